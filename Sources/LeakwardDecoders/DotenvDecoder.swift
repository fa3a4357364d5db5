import LeakwardModel

/// Reads `.env`, `.env.*` and `*.env` files with dotenv semantics (`export` prefix; single,
/// double and back quotes; escapes in double quotes; multi-line quoted values; inline
/// comments). Values the raw text already shows as-is are matched there; an entry whose value
/// only exists after decoding (escapes, multi-line) is re-emitted as `NAME="value"` at its
/// original line, as its own chunk with step `dotenv[NAME]`, so the variable name reaches the
/// finding. `${VAR}` references are skipped.
public struct DotenvDecoder: ContentDecoder {
    public let kind = DecoderKind.dotenv
    /// Env files and their relatives (`app.env.local`, `.env.example`, `.envrc`).
    public var wholeBlobNeed: WholeBlobNeed {
        WholeBlobNeed(byName: { FileKind.isEnvFile(path: $0.fileName) || $0.lowercasedName.contains(".env") })
    }
    public var judgesWholeBlob: Bool { true }

    public init() {}

    /// One `NAME=value` entry, with the line its name is on.
    public struct Entry: Equatable {
        public var name: String
        public var value: [UInt8]
        public var line: Int
        /// Whether the value is exactly the raw text between its quotes (nothing to decode).
        var isVerbatim: Bool
    }

    public func decode(_ chunk: Chunk, limits: DecodeLimits) -> Decoded {
        guard !chunk.looksBinary, FileKind.isEnvFile(path: chunk.fileName), chunk.steps.last?.decoder != kind else { return .none }
        var decoded = Decoded()
        var spent = 0
        for entry in DotenvDecoder.entries(chunk.bytes) where !entry.isVerbatim && !DotenvDecoder.isReference(entry.value) {
            // One chunk per entry, named after its variable: a secret on a later line of a
            // multi-line value still gets the name.
            var text = DecodedText()
            text.append(Array("\(entry.name)=\"".utf8) + entry.value + [34], line: entry.line)
            spent += text.bytes.count
            guard spent <= limits.remainingBytes else {
                decoded.problems.append(DecodeProblem(chunk, limits.exhausted))
                break
            }
            decoded.chunks.append(chunk.derived(text.bytes, step: DecodeStep(kind, detail: entry.name)))
        }
        return decoded
    }

    /// `${VAR}`, `$VAR`, `${VAR:-default}`: a reference to another variable, never a secret.
    static func isReference(_ value: [UInt8]) -> Bool {
        let text = String(decoding: value, as: UTF8.self)
        if text.hasPrefix("${") && text.hasSuffix("}") && !text.dropFirst(2).contains("$") { return true }
        return text.hasPrefix("$") && text.count > 1 && text.dropFirst().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Every entry of a dotenv file, in order.
    public static func entries(_ bytes: [UInt8]) -> [Entry] {
        var result: [Entry] = []
        var i = 0
        var line = 1
        let n = bytes.count
        func skipSpaces() { while i < n, bytes[i] == 32 || bytes[i] == 9 { i += 1 } }
        func skipToNextLine() {
            while i < n, bytes[i] != 10 { i += 1 }
            if i < n { i += 1; line += 1 }
        }
        while i < n {
            skipSpaces()
            guard i < n else { break }
            if bytes[i] == 10 { i += 1; line += 1; continue }
            if bytes[i] == UInt8(ascii: "#") { skipToNextLine(); continue }
            if bytes[i...].starts(with: "export ".utf8) { i += 7; skipSpaces() }
            let nameStart = i
            while i < n, isNameByte(bytes[i]) { i += 1 }
            let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
            skipSpaces()
            guard !name.isEmpty, i < n, bytes[i] == UInt8(ascii: "=") || bytes[i] == UInt8(ascii: ":") else { skipToNextLine(); continue }
            i += 1
            skipSpaces()
            let entryLine = line
            guard i < n else { result.append(Entry(name: name, value: [], line: entryLine, isVerbatim: true)); break }
            let quote = bytes[i]
            if quote == 34 || quote == 39 || quote == 96 {
                // Quoted: up to the matching unescaped quote, across lines.
                i += 1
                var value: [UInt8] = []
                var verbatim = true
                var closed = false
                while i < n {
                    let byte = bytes[i]
                    if byte == quote { closed = true; i += 1; break }
                    if byte == 10 { line += 1; verbatim = false }
                    if quote == 34, byte == 92, i + 1 < n {
                        verbatim = false
                        i += 1
                        switch bytes[i] {
                        // An escaped newline becomes a space: the value stays on its
                        // line, and the PEM rule accepts spaces between key lines.
                        case UInt8(ascii: "n"), UInt8(ascii: "r"): value.append(32)
                        case UInt8(ascii: "t"): value.append(9)
                        case 10: line += 1  // a backslash-newline continues the line
                        default: value.append(bytes[i])
                        }
                        i += 1
                        continue
                    }
                    value.append(byte)
                    i += 1
                }
                result.append(Entry(name: name, value: value, line: entryLine, isVerbatim: verbatim && closed))
                skipToNextLine()
            } else {
                // Unquoted: to the end of the line, minus a ` #` comment and trailing spaces.
                let start = i
                while i < n, bytes[i] != 10, !(bytes[i] == UInt8(ascii: "#") && i > start && (bytes[i - 1] == 32 || bytes[i - 1] == 9)) { i += 1 }
                var end = i
                while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 || bytes[end - 1] == 13 { end -= 1 }
                result.append(Entry(name: name, value: Array(bytes[start..<end]), line: entryLine, isVerbatim: true))
                skipToNextLine()
            }
        }
        return result
    }

    public static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95 || b == 46 || b == 45
    }
}
