import LeakwardModel

/// Where a blob's bytes come from.
public enum BlobRef: Sendable, Hashable {
    /// A file on disk at `path` (what `open` takes); `origin` is where findings say it is.
    case file(path: String, origin: Origin, isUntracked: Bool?)
    /// A git object (a blob, or a commit whose message is read), read from the packs or
    /// through the repository's object database.
    case gitBlob(id: ObjectID, origin: Origin)
    /// Bytes already in memory (tests, stdin).
    case memory(origin: Origin, bytes: [UInt8])

    public var origin: Origin {
        switch self {
        case .file(_, let origin, _), .gitBlob(_, let origin), .memory(let origin, _): origin
        }
    }

    /// The path issues about this input are recorded under (`Origin.displayPath`).
    public var display: String { origin.displayPath }
}

/// The bytes of one input, ready for decoding and matching.
public struct Blob: Sendable {
    public var ref: BlobRef
    public var bytes: [UInt8]
    /// When set, only these ranges (whole lines) are matched: the rest is known to hold
    /// nothing (a history blob matched only where it changed since its delta base).
    public var windows: [Range<Int>]?
    /// Whether the config checks' patterns run on it (file checks always do). False for a
    /// history blob no longer in HEAD: its config problems would be dropped as fixed since
    /// (`ConfigFindings.settle`), so looking for them cost a second pass over every version of
    /// every file of the history for nothing.
    public var checksPatterns: Bool
    /// Set when the blob was matched where it changed and around the copies of its base's
    /// findings (or whole, because they have no places): the base and those places. Its
    /// findings are then final unless the base's places differ in the end.
    public var matchedAround: BaseFindings?

    public init(ref: BlobRef, bytes: [UInt8], windows: [Range<Int>]? = nil, checksPatterns: Bool = true) {
        self.ref = ref
        self.bytes = bytes
        self.windows = windows
        self.checksPatterns = checksPatterns
    }
}
