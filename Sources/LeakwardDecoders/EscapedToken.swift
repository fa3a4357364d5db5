#if canImport(Glibc)
import Glibc
#endif
import LeakwardModel
import LeakwardSupport

/// Finds the tokens of a text that hold escapes (`%40`, `\x41`, `\u0041`) and hands each
/// decoded token to a `DecodedText` on its own line. A token is a run of bytes up to
/// whitespace or a quote, so only the escaped value is re-emitted, not the whole file.
struct EscapedToken {
    /// Byte that starts an escape (`%` or `\`), found with `memchr` first so clean text costs one pass in C.
    let marker: UInt8
    /// Decodes one token; nil when it held no escape worth decoding.
    let decodeToken: (ArraySlice<UInt8>) -> [UInt8]?

    func decodeAll(_ bytes: [UInt8]) -> DecodedText {
        var text = DecodedText()
        guard ByteSearch.contains(marker, in: bytes) else { return text }
        var line = 1
        var lineCountedTo = 0
        var searchFrom = 0
        // Markers found with memchr and tokens walked through a raw pointer: this runs over
        // every byte of every chunk.
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let count = buffer.count
            while searchFrom < count, let found = memchr(base + searchFrom, Int32(marker), count - searchFrom) {
                let hit = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                var start = hit
                while start > 0, hit - start < 4096, !EscapedToken.isBoundary(base[start - 1]) { start -= 1 }
                var end = hit
                while end < count, end - hit < 65_536, !EscapedToken.isBoundary(base[end]) || (base[end] == 34 && end > 0 && base[end - 1] == 92) { end += 1 }
                if let decoded = decodeToken(bytes[start..<end]) {
                    for i in lineCountedTo..<start where base[i] == 10 { line += 1 }
                    lineCountedTo = max(lineCountedTo, start)
                    text.append(decoded, line: line, source: start)
                }
                searchFrom = max(end, hit + 1)
            }
        }
        return text
    }

    /// The decoder result for `chunk`: one derived chunk of its decoded tokens, named `step`,
    /// within the blob's decode budget. Shared by every escape-style decoder.
    func decode(_ chunk: Chunk, limits: DecodeLimits, step: DecoderKind) -> Decoded {
        guard !chunk.looksBinary else { return .none }
        let text = decodeAll(chunk.bytes)
        guard !text.isEmpty else { return .none }
        guard text.bytes.count <= limits.remainingBytes else { return Decoded(problems: [DecodeProblem(chunk, limits.exhausted)]) }
        var derived = chunk.derived(text.bytes, step: DecodeStep(step))
        derived.pieces = text.sources
        return Decoded(chunks: [derived])
    }

    static func isBoundary(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 34 || b == 39 || b == 96 || b == 60 || b == 62 }

    static func hexValue(_ b: UInt8) -> UInt32? { HexDigit.value(b).map(UInt32.init) }
}

/// Decodes percent-encoding (`p%40ss`, `%2F`) in URL-like tokens and rescans them: a password
/// in a connection string is often percent-encoded.
public struct PercentDecoder: ContentDecoder {
    public let kind = DecoderKind.percent
    public var wholeBlobNeed: WholeBlobNeed { .none }

    public init() {}

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        EscapedToken(marker: UInt8(ascii: "%"), decodeToken: PercentDecoder.decodeToken).decode(chunk, limits: limits, step: kind)
    }

    /// Decodes `%XX` (and `+` as-is); nil when no escape decodes to a printable byte other than a space.
    static func decodeToken(_ token: ArraySlice<UInt8>) -> [UInt8]? {
        // Nothing is built for a token with no `%XX` at all (a `%` in a format string).
        guard token.indices.contains(where: { token[$0] == 37 && $0 + 2 < token.endIndex
            && EscapedToken.hexValue(token[$0 + 1]) != nil && EscapedToken.hexValue(token[$0 + 2]) != nil }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(token.count)
        var useful = false
        var i = token.startIndex
        while i < token.endIndex {
            if token[i] == 37, i + 2 < token.endIndex, let high = EscapedToken.hexValue(token[i + 1]), let low = EscapedToken.hexValue(token[i + 2]) {
                let byte = UInt8(high << 4 | low)
                // Newlines stay out so the token keeps its line.
                out.append(byte == 10 || byte == 13 ? 32 : byte)
                if byte > 32 && byte < 127 { useful = true }
                i += 3
            } else {
                out.append(token[i])
                i += 1
            }
        }
        return useful ? out : nil
    }
}

/// Decodes JavaScript string escapes (`\x41`, `\u0041`, `\u{41}`, `\/`) that bundlers and
/// obfuscators use, and rescans the tokens that held them.
public struct JSEscapeDecoder: ContentDecoder {
    public let kind = DecoderKind.jsEscape
    public var wholeBlobNeed: WholeBlobNeed { .none }

    public init() {}

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        EscapedToken(marker: 92, decodeToken: JSEscapeDecoder.decodeToken).decode(chunk, limits: limits, step: kind)
    }

    /// Decodes `\xHH`, `\uHHHH`, `\u{H…}` and single-character escapes; nil when no `\x`/`\u` escape was present.
    static func decodeToken(_ token: ArraySlice<UInt8>) -> [UInt8]? {
        // Only a `\x` or `\u` makes a token worth decoding; nothing is built for the `\n`,
        // `\\` and regex escapes most backslashes in code are.
        guard token.indices.contains(where: { token[$0] == 92 && $0 + 1 < token.endIndex
            && (token[$0 + 1] == UInt8(ascii: "x") || token[$0 + 1] == UInt8(ascii: "u")) }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(token.count)
        var useful = false
        var i = token.startIndex
        func hex(_ from: Int, _ count: Int) -> UInt32? {
            guard from + count <= token.endIndex else { return nil }
            var value: UInt32 = 0
            for k in from..<from + count {
                guard let digit = EscapedToken.hexValue(token[k]) else { return nil }
                value = value << 4 | digit
            }
            return value
        }
        while i < token.endIndex {
            guard token[i] == 92, i + 1 < token.endIndex else { out.append(token[i]); i += 1; continue }
            let kind = token[i + 1]
            var scalar: UInt32?
            var length = 2
            if kind == UInt8(ascii: "x"), let v = hex(i + 2, 2) {
                scalar = v; length = 4
            } else if kind == UInt8(ascii: "u"), i + 2 < token.endIndex, token[i + 2] == UInt8(ascii: "{"),
                      let close = token[(i + 3)..<min(token.endIndex, i + 10)].firstIndex(of: UInt8(ascii: "}")),
                      let v = hex(i + 3, close - i - 3) {
                scalar = v; length = close - i + 1
            } else if kind == UInt8(ascii: "u"), let v = hex(i + 2, 4) {
                scalar = v; length = 6
            }
            if let scalar, let unicode = Unicode.Scalar(scalar), scalar != 10, scalar != 13 {
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
                useful = true
                i += length
                continue
            }
            // `\"`, `\/`, `\\`: the escaped character itself.
            out.append(kind)
            i += 2
        }
        return useful ? out : nil
    }
}
