/// Where a blob's bytes come from.
public enum BlobRef: Sendable, Hashable {
    /// A file on disk; `path` is absolute, `display` is what reports show.
    case file(path: String, display: String, isUntracked: Bool?)
    /// A git object, read through the repository's object database.
    case gitBlob(id: String, display: String)
    /// Bytes already in memory (tests, stdin).
    case memory(name: String, bytes: [UInt8])

    public var display: String {
        switch self {
        case .file(_, let display, _), .gitBlob(_, let display): display
        case .memory(let name, _): name
        }
    }
}

/// The bytes of one input, ready for decoding and matching.
public struct Blob: Sendable {
    public var ref: BlobRef
    public var bytes: [UInt8]
    /// When set, only these ranges (whole lines) are matched: the rest is known to hold
    /// nothing (a history blob matched only where it changed since its delta base).
    public var windows: [Range<Int>]?

    public init(ref: BlobRef, bytes: [UInt8], windows: [Range<Int>]? = nil) {
        self.ref = ref
        self.bytes = bytes
        self.windows = windows
    }
}
