/// Builds one derived chunk from many small decoded pieces (base64 values, escaped strings),
/// each placed on the line it was found on, so a finding's line is the original line.
/// A piece that itself holds newlines pushes the pieces after it down; they then follow on
/// the next free line.
struct DecodedText {
    private(set) var bytes: [UInt8] = []
    private var line = 1
    private var atLineStart = true
    private(set) var pieces = 0

    /// Appends `piece`, found on `sourceLine` (1-based).
    mutating func append<C: Collection>(_ piece: C, line sourceLine: Int) where C.Element == UInt8 {
        if sourceLine > line {
            bytes.append(contentsOf: repeatElement(10, count: sourceLine - line))
            line = sourceLine
            atLineStart = true
        }
        if !atLineStart { bytes.append(32) }
        for byte in piece {
            bytes.append(byte)
            if byte == 10 { line += 1 }
        }
        atLineStart = false
        pieces += 1
    }

    var isEmpty: Bool { pieces == 0 }
}
