#if canImport(Glibc)
import Glibc
#endif
/// A buffer to match: a blob's raw bytes, or text a decoder derived from them.
public struct Chunk: Sendable {
    public var bytes: [UInt8] { didSet { binaryVerdict = nil } }
    /// `looksBinary`, once a scan has asked it of these bytes: every decoder asks it again of
    /// the same chunk. Cleared when the bytes change.
    public var binaryVerdict: Bool?
    /// The blob this chunk was read or decoded from.
    public let origin: Origin
    /// Archive or source-map members from the blob down to this text (empty for the blob itself).
    public let members: [String]
    /// Decoders applied to reach this text from the blob, outermost first.
    public let steps: [DecodeStep]
    /// The name decoders judge this chunk by (see `Chunk.fileName(path:steps:)`), worked out
    /// once: every decoder asks for it on every chunk.
    public let fileName: String
    /// `fileName` in lower case.
    public let lowercasedName: String
    /// For a window of a blob (history scans match only where a blob changed): its first
    /// byte's offset in the blob, added to findings' offsets.
    public var byteOffset = 0

    public init(bytes: [UInt8], origin: Origin, members: [String] = [], steps: [DecodeStep] = []) {
        self.bytes = bytes
        self.origin = origin
        self.members = members
        self.steps = steps
        fileName = Chunk.fileName(path: members.last ?? origin.path, steps: steps)
        lowercasedName = fileName.lowercased()
    }

    /// A chunk of a file at `path` relative to the current directory (tests, tools).
    public init(bytes: [UInt8], path: String, steps: [DecodeStep] = []) {
        self.init(bytes: bytes, origin: .file(root: ".", path: path), steps: steps)
    }

    /// A chunk derived from this one by one more decoding step; `member` names a member of
    /// this chunk (an archive entry, a source map's source) when the step opened one.
    public func derived(_ bytes: [UInt8], step: DecodeStep, member: String? = nil) -> Chunk {
        Chunk(bytes: bytes, origin: origin, members: member.map { members + [$0] } ?? members, steps: steps + [step])
    }

    /// Whether the first bytes hold a NUL: such chunks are matched only through a decoder.
    public var looksBinary: Bool {
        if let binaryVerdict { return binaryVerdict }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, 0, min(buffer.count, 8000)) != nil
        }
    }
}
