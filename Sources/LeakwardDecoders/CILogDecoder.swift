#if canImport(Glibc)
import Glibc
#endif
import LeakwardModel

/// Normalises CI job logs (GitHub Actions, GitLab CI, CircleCI, Jenkins) before matching:
/// leading timestamps, GitLab stream markers, `##[group]`-style workflow commands, ANSI colour
/// and cursor codes and carriage returns are blanked out with spaces. Blanking instead of
/// deleting keeps every byte where it was, so a finding's line and column are those of the
/// original log. `***` masks are left alone: they are what CI printed instead of a secret.
///
/// A log is recognised by its path (`*.log`, a `logs/` folder, a `.txt` inside a logs folder or
/// a downloaded `logs_….zip`) or by its content (a leading ISO timestamp, `##[`, ANSI escapes).
public struct CILogDecoder: ContentDecoder {
    public let kind = DecoderKind.ciLog
    public var wholeBlobNeed: WholeBlobNeed { WholeBlobNeed(byName: { CILogDecoder.isLog($0) }) }
    public var judgesWholeBlob: Bool { true }

    public init() {}

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        guard !chunk.looksBinary, !chunk.bytes.isEmpty, chunk.steps.last?.decoder != kind,
              CILogDecoder.isLog(chunk) || CILogDecoder.looksLikeLog(chunk.bytes) else { return .none }
        var text = chunk.bytes
        guard CILogDecoder.blankNoise(&text) else { return .none }
        guard text.count <= limits.remainingBytes else {
            return Decoded(problems: [DecodeProblem(chunk, limits.exhausted)])
        }
        return Decoded(chunks: [chunk.derived(text, step: DecodeStep(kind))], supersedesInput: true)
    }

    /// Judged by path alone.
    public static func isLog(_ chunk: Chunk) -> Bool {
        let name = chunk.lowercasedName
        if name.hasSuffix(".log") { return true }
        guard name.hasSuffix(".txt") || !name.utf8.contains(UInt8(ascii: ".")) else { return false }
        // Checked byte-wise and only when the name could be a log: this runs for every chunk.
        return chunk.hasFolder(where: isLogFolder)
    }

    /// `logs`, `log`, `logs_…` or `logs-…`, in any case.
    static func isLogFolder(_ part: Substring) -> Bool {
        guard part.utf8.allSatisfy({ $0 < 0x80 }) else {
            let folder = part.lowercased()
            return folder == "logs" || folder == "log" || folder.hasPrefix("logs_") || folder.hasPrefix("logs-")
        }
        // ASCII: compared byte by byte, with no lower-cased copy.
        let bytes = part.utf8
        func folded(_ k: Int) -> UInt8 {
            let b = bytes[bytes.index(bytes.startIndex, offsetBy: k)]
            return b >= 65 && b <= 90 ? b + 32 : b
        }
        guard bytes.count >= 3, folded(0) == UInt8(ascii: "l"), folded(1) == UInt8(ascii: "o"), folded(2) == UInt8(ascii: "g") else {
            return false
        }
        if bytes.count == 3 { return true }
        guard folded(3) == UInt8(ascii: "s") else { return false }
        return bytes.count == 4 || folded(4) == UInt8(ascii: "_") || folded(4) == UInt8(ascii: "-")
    }

    /// Judged by the first 4 KB: a line starting with an ISO timestamp, a workflow command, or an ANSI escape.
    public static func looksLikeLog(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        return head.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            if memchr(base, 0x1B, buffer.count) != nil { return true }
            var lineStart = 0
            while lineStart < buffer.count {
                // Cheap first test: a timestamp starts with a digit or '[', a command with '#'.
                let first = buffer[lineStart]
                if first == 35, lineStart + 3 <= buffer.count, buffer[lineStart + 1] == 35, buffer[lineStart + 2] == 91 { return true }
                if (isDigit(first) || first == 91), timestampLength(head, at: lineStart) > 0 { return true }
                guard let newline = memchr(base + lineStart, 10, buffer.count - lineStart) else { break }
                lineStart = UnsafeRawPointer(newline) - UnsafeRawPointer(base) + 1
            }
            return false
        }
    }

    /// Replaces noise with spaces in place; returns whether anything changed.
    static func blankNoise(_ text: inout [UInt8]) -> Bool {
        var changed = false
        var i = 0
        var atLineStart = true
        let count = text.count
        while i < count {
            if atLineStart {
                atLineStart = false
                var prefix = timestampLength(text[...], at: i)
                if prefix > 0 {
                    var j = i + prefix
                    // GitLab's stream marker after the timestamp: `00O ` / `01E+ `.
                    if j + 3 < count, isDigit(text[j]), isDigit(text[j + 1]), text[j + 2] == 79 || text[j + 2] == 69 {
                        var k = j + 3
                        if k < count, text[k] == 43 { k += 1 }
                        if k < count, text[k] == 32 { j = k + 1 }
                    }
                    prefix = j - i
                }
                // `##[group]`, `##[endgroup]`, `##[command]`, `##[error]`…
                let commandStart = i + prefix
                if commandStart + 3 < count, text[commandStart] == 35, text[commandStart + 1] == 35, text[commandStart + 2] == 91,
                   let close = text[(commandStart + 3)..<min(count, commandStart + 24)].firstIndex(of: 93) {
                    prefix = close + 1 - i
                }
                if prefix > 0 {
                    for k in i..<i + prefix { text[k] = 32 }
                    i += prefix
                    changed = true
                    continue
                }
            }
            let byte = text[i]
            if byte == 10 { atLineStart = true; i += 1; continue }
            if byte == 13 { text[i] = 32; changed = true; i += 1; continue }
            if byte == 0x1B {
                let end = escapeEnd(text, at: i)
                for k in i..<end { text[k] = 32 }
                changed = true
                i = end
                continue
            }
            i += 1
        }
        return changed
    }

    /// Length of `2024-05-01T12:00:00[.1234567][Z|+00:00][ ]` (optionally in `[…]`, Jenkins'
    /// timestamper) at `start`, or 0.
    static func timestampLength(_ text: ArraySlice<UInt8>, at start: Int) -> Int {
        var i = start
        let end = text.endIndex
        let bracketed = i < end && text[i] == 91
        if bracketed { i += 1 }
        func digits(_ n: Int) -> Bool {
            guard i + n <= end else { return false }
            for k in i..<i + n where !isDigit(text[k]) { return false }
            i += n
            return true
        }
        func byte(_ b: UInt8) -> Bool {
            guard i < end, text[i] == b else { return false }
            i += 1
            return true
        }
        guard digits(4), byte(45), digits(2), byte(45), digits(2), i < end, text[i] == 84 || text[i] == 32 else { return 0 }
        i += 1
        guard digits(2), byte(58), digits(2), byte(58), digits(2) else { return 0 }
        if byte(46) || byte(44) { while i < end, isDigit(text[i]) { i += 1 } }
        if !byte(90), i < end, text[i] == 43 || text[i] == 45 {
            i += 1
            guard digits(2) else { return 0 }
            _ = byte(58)
            guard digits(2) else { return 0 }
        }
        if bracketed { guard byte(93) else { return 0 } }
        _ = byte(32)
        return i - start
    }

    /// End of an escape sequence starting at ESC: CSI (`ESC [ … final`), OSC (`ESC ] … BEL/ST`), or a two-byte escape.
    static func escapeEnd(_ text: [UInt8], at start: Int) -> Int {
        var i = start + 1
        guard i < text.count else { return i }
        switch text[i] {
        case 91:  // CSI: parameters and intermediates, then one final byte @…~
            i += 1
            // Parameter bytes 0x30–0x3F and intermediate bytes 0x20–0x2F.
            while i < text.count, i - start < 64, text[i] >= 0x20, text[i] <= 0x3F { i += 1 }
            if i < text.count, text[i] >= 0x40, text[i] <= 0x7E { i += 1 }
            return i
        case 93:  // OSC: up to BEL or ESC \
            i += 1
            while i < text.count, i - start < 512, text[i] != 7, text[i] != 10 {
                if text[i] == 0x1B { return min(text.count, i + 2) }
                i += 1
            }
            return i < text.count && text[i] == 7 ? i + 1 : i
        default:
            return i + 1
        }
    }

    public static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
}
