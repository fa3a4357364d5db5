import LeakwardModel

/// Finds the name a value is assigned to (`OPENAI_API_KEY=…`, `"apiKey": "…"`, `token: …`,
/// `export X='…'`) by reading backwards from the value on its line.
public enum VariableName {
    /// The name the candidate's secret, or failing that its whole match, is assigned to.
    public static func assigned(to candidate: Candidate, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        before(candidate.secret.lowerBound, in: buffer) ?? before(candidate.match.lowerBound, in: buffer)
    }

    public static func before(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        range(before: offset, in: buffer).flatMap { range in
            let name = String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)
            return name.first.map { $0.isLetter || $0 == "_" } == true ? name : nil
        }
    }

    /// Whether the name the candidate's value is assigned to follows `checksum/`: Helm's checksum
    /// annotation (`checksum/db-secret: <sha256>` in a rendered chart, the hash of the Secret's
    /// template so pods restart when it changes) names a digest, under a secret's name.
    public static func isChecksumAnnotation(_ candidate: Candidate, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = (range(before: candidate.secret.lowerBound, in: buffer)
                ?? range(before: candidate.match.lowerBound, in: buffer))?.lowerBound,
              start >= checksumPrefix.count else { return false }
        return buffer[(start - checksumPrefix.count)..<start].elementsEqual(checksumPrefix)
    }

    /// The prefix of Helm's checksum annotations (`checksum/config`, `checksum/secret`).
    private static let checksumPrefix = Array("checksum/".utf8)

    /// Where the name a value at `offset` is assigned to lies, read backwards over quotes, spaces,
    /// one wrapped line break and the operator; nil when no operator or name is there.
    static func range(before offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var i = offset
        let floor = max(0, offset - 256)
        func skip(_ bytes: Set<UInt8>) { while i > floor, bytes.contains(buffer[i - 1]) { i -= 1 } }
        // " ' ` and `\`: a notebook's cell source is JSON, so `API_KEY = \"…\"` is escaped there.
        let quotes: Set<UInt8> = [34, 39, 96, 92]
        let space: Set<UInt8> = [32, 9]
        skip(quotes)
        skip(space)
        // A value a formatter wrapped onto the next line, under its name (`clearanceToken:` then
        // `    'qTyw…'` in a JavaScript object): one line break, only where an operator ends the
        // line above (checked below).
        if i > floor, buffer[i - 1] == 10 {
            i -= 1
            if i > floor, buffer[i - 1] == 13 { i -= 1 }
            skip(space)
        }
        // `=`, `:`, `=>`, `:=`
        let operatorEnd = i
        while i > floor, [UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: ">")].contains(buffer[i - 1]) {
            i -= 1
        }
        guard i < operatorEnd else { return nil }
        let plainEquals = operatorEnd - i == 1 && buffer[i] == UInt8(ascii: "=")
        let operatorStart = i
        skip(space)
        // `api_key: str = "sk-…"` (a Python dataclass or pydantic setting), `token: string = "…"`
        // (TypeScript), `key: Optional[str] = …`: the annotation between the name and `=` is a
        // type; the value belongs to the name before it. Declarations space their `=`; YAML's
        // `env: TOKEN=…` does not, and names TOKEN.
        if plainEquals, i < operatorStart, let declared = declaredName(beforeType: i, floor: floor, in: buffer) { return declared }
        skip(quotes)
        let end = i
        while i > floor, isNameByte(buffer[i - 1]) { i -= 1 }
        guard end > i else { return nil }
        // `scheme://user:` is a URL's user name, not an assignment; `//azure_openai_token: "…"` at
        // the start of a line is a commented-out setting in a C-like file, named as ever.
        if i >= 2, buffer[i - 1] == UInt8(ascii: "/"), buffer[i - 2] == UInt8(ascii: "/"), !opensLine(i - 2, in: buffer) { return nil }
        return i..<end
    }

    /// The name declared before a type annotation ending at `end` (`api_key: str`,
    /// `token: Optional[str]`, `key: string | undefined`, `secret: String?`), or nil when no
    /// single `:` with a name before it precedes a type. A `::` (C++, Rust paths) is no
    /// annotation, nor are words after a colon (`run: export TOKEN = …` in YAML).
    private static func declaredName(beforeType end: Int, floor: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var i = end
        let limit = max(floor, end - 64)
        while i > limit, isTypeByte(buffer[i - 1]) { i -= 1 }
        guard i < end, i > floor, buffer[i - 1] == UInt8(ascii: ":"), isTypeAnnotation(i..<end, in: buffer) else { return nil }
        i -= 1
        guard i > floor, buffer[i - 1] != UInt8(ascii: ":") else { return nil }
        while i > floor, buffer[i - 1] == 32 || buffer[i - 1] == 9 { i -= 1 }
        let nameEnd = i
        while i > floor, isNameByte(buffer[i - 1]) { i -= 1 }
        // A declared name is an identifier (`self.api_key` too); a hyphen makes it a key, such as
        // the config decoder's own `config-value: KEY = "…"`, whose value is KEY's.
        guard nameEnd > i, !buffer[i..<nameEnd].contains(45), startsDeclaration(at: i, floor: floor, in: buffer) else { return nil }
        return i..<nameEnd
    }

    /// Words that may stand before a declared name (`private readonly token: string = …`,
    /// `val secret: String = …`, `const key: string = …`).
    private static let declarationWords: Set<String> = [
        "const", "let", "var", "val", "private", "public", "protected", "internal", "readonly",
        "static", "export", "declare", "final", "late", "lateinit", "override", "open",
    ]

    /// Whether a declaration can start at `start`: at the start of a line (after a comment
    /// marker too), inside a parameter list or object type (after `(`, `,`, `{`), or after
    /// declaration words only. `if key is None: key = "…"` and PowerShell's `$env:NAME = …`
    /// have a colon before an assignment, and no declaration.
    private static func startsDeclaration(at start: Int, floor: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = start
        while true {
            while i > floor, buffer[i - 1] == 32 || buffer[i - 1] == 9 { i -= 1 }
            if i == 0 || buffer[i - 1] == 10 || buffer[i - 1] == 13 { return true }
            guard i > floor else { return false }
            let previous = buffer[i - 1]
            if "(,{#".utf8.contains(previous) { return true }
            if previous == 47, i >= 2, buffer[i - 2] == 47 { return true }
            let wordEnd = i
            while i > floor, isLetter(buffer[i - 1]) { i -= 1 }
            guard wordEnd > i, i == floor || !isNameByte(buffer[i - 1]) && buffer[i - 1] != 36,
                  declarationWords.contains(String(decoding: UnsafeBufferPointer(rebasing: buffer[i..<wordEnd]), as: UTF8.self))
            else { return false }
        }
    }

    /// Identifiers, dots, generics' brackets, `?`, and the `|` and `,` of unions and type
    /// arguments, with the spaces between them.
    private static func isTypeByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 48 && byte <= 57) || byte == 46 || byte == 32 || byte == 9
            || "[]<>?|,".utf8.contains(byte)
    }

    /// Whether `range` reads as one type: it starts with a letter, and words in it are only ever
    /// joined by `|`, `,` or brackets (`string | undefined`, `Dict[str, str]`), never by a bare
    /// space as prose is.
    private static func isTypeAnnotation(_ range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        let bytes = Array(buffer[range]).filter { $0 != 9 }
        guard let first = bytes.firstIndex(where: { $0 != 32 }), isLetter(bytes[first]) else { return false }
        let joiners: Set<UInt8> = Set("[]<>?|,".utf8)
        var previous: UInt8? = nil
        var sawSpace = false
        for byte in bytes[first...] {
            if byte == 32 { sawSpace = true; continue }
            if sawSpace, let before = previous, !joiners.contains(before), !joiners.contains(byte) { return false }
            sawSpace = false
            previous = byte
        }
        return true
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
    }

    /// Whether only spaces or tabs lie between the start of `offset`'s line and `offset`.
    private static func opensLine(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = offset
        while i > 0, buffer[i - 1] == 32 || buffer[i - 1] == 9 { i -= 1 }
        return i == 0 || buffer[i - 1] == 10 || buffer[i - 1] == 13
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
            || byte == 45 || byte == 46
    }
}
