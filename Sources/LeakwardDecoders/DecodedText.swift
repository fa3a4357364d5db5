import LeakwardModel

/// Builds one derived chunk from many small decoded pieces (base64 values, escaped strings),
/// each placed on the line it was found on, so a finding's line is the original line.
/// A piece that itself holds newlines pushes the pieces after it down; they then follow on
/// the next free line.
struct DecodedText {
    private(set) var bytes: [UInt8] = []
    private var line = 1
    private var atLineStart = true
    private(set) var pieces = 0
    /// Where each piece starts here and its source in the decoded text's parent, for pieces
    /// appended with a source offset (`Chunk.pieces`).
    private(set) var sources: [Chunk.Piece] = []

    /// Appends `piece`, found on `sourceLine` (1-based), from `source` (its offset in the
    /// parent) when known.
    mutating func append<C: Collection>(_ piece: C, line sourceLine: Int, source: Int? = nil) where C.Element == UInt8 {
        if sourceLine > line {
            bytes.append(contentsOf: repeatElement(10, count: sourceLine - line))
            line = sourceLine
            atLineStart = true
        }
        if !atLineStart { bytes.append(32) }
        if let source { sources.append(Chunk.Piece(start: bytes.count, source: source)) }
        for byte in piece {
            bytes.append(byte)
            if byte == 10 { line += 1 }
        }
        atLineStart = false
        pieces += 1
    }

    var isEmpty: Bool { pieces == 0 }
}
