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
    /// For text a decoder made of pieces of this chunk's parent, each written back on its own
    /// line (percent-decoded tokens, unescaped strings, decoded base64 runs): where each piece
    /// starts here and where its source starts in the parent. Nil for a whole text of its own
    /// (a file, an archive member, a decompressed stream).
    public var pieces: [Piece]?
    /// For a chunk made of pieces: the whole text they were decoded from (the nearest ancestor
    /// that is not itself made of pieces), with each piece's source there. What that text says
    /// around the source (a comment line, a docstring, an allow marker) is what the decoded
    /// text says too: the decoding lost it. Set by the scan, not by decoders.
    public var enclosing: Enclosing?

    /// One decoded piece: its first byte here, and its source's first byte in the parent.
    public struct Piece: Sendable, Hashable {
        public var start: Int
        public var source: Int
        public init(start: Int, source: Int) {
            self.start = start
            self.source = source
        }
    }

    /// The whole text a chunk of pieces came from, and where each piece's source sits in it.
    public struct Enclosing: Sendable {
        public let bytes: [UInt8]
        public let pieces: [Piece]

        public init(bytes: [UInt8], pieces: [Piece]) {
            self.bytes = bytes
            self.pieces = pieces
        }

        /// The offset in `bytes` of the source of the piece holding `offset` (the last piece
        /// starting at or before it), nil before the first piece.
        public func sourceOffset(of offset: Int) -> Int? {
            var low = 0, high = pieces.count
            while low < high {
                let mid = (low + high) / 2
                if pieces[mid].start <= offset { low = mid + 1 } else { high = mid }
            }
            return low == 0 ? nil : pieces[low - 1].source
        }
    }

    /// What `child`, derived from this chunk, was decoded from: this chunk's own text when this
    /// is a whole text, or this chunk's enclosing text (the pieces' sources mapped through this
    /// chunk's) when this is itself made of pieces. Nil when `child` is a whole text.
    public func enclosing(of child: Chunk) -> Enclosing? {
        guard let pieces = child.pieces, !pieces.isEmpty else { return nil }
        guard let enclosing else { return Enclosing(bytes: bytes, pieces: pieces) }
        let mapped = pieces.compactMap { piece in enclosing.sourceOffset(of: piece.source).map { Piece(start: piece.start, source: $0) } }
        return mapped.isEmpty ? nil : Enclosing(bytes: enclosing.bytes, pieces: mapped)
    }

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
