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
        var sawOperator = false
        while i > floor, [UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: ">")].contains(buffer[i - 1]) {
            i -= 1
            sawOperator = true
        }
        guard sawOperator else { return nil }
        skip(space)
        skip(quotes)
        let end = i
        while i > floor, isNameByte(buffer[i - 1]) { i -= 1 }
        guard end > i else { return nil }
        // `scheme://user:` is a URL's user name, not an assignment; `//azure_openai_token: "…"` at
        // the start of a line is a commented-out setting in a C-like file, named as ever.
        if i >= 2, buffer[i - 1] == UInt8(ascii: "/"), buffer[i - 2] == UInt8(ascii: "/"), !opensLine(i - 2, in: buffer) { return nil }
        return i..<end
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
