/// Program code where a value is expected: a config file's block text holding a program (a
/// CloudFormation template's inline Lambda source under `ZipFile: |`, a release note's sample)
/// reads as `name = value` lines, and the value is an expression, not a literal. Shared by the
/// config decoder (which then re-emits no such entry) and the literal-value check.
public enum CodeExpression {
    /// Why an unquoted value is a code expression: a call whose callee is a member chain or a
    /// snake_case name (`json.dumps(secret)`, `client.get_random_password(ExcludeCharacters=x)`),
    /// or whose arguments are empty or start with a quote (`generate_password()`,
    /// `boto3.client('secretsmanager')`), or a subscript with a quoted or named key
    /// (`event['SecretId']`, `data["init_parameters"]["api_key"]`, `secret[key]`). Trailing commas
    /// and semicolons (a keyword argument's) are ignored. A password like `Pass(word)` (a bare
    /// capitalised word, an unquoted argument) is not taken for a call. Nil otherwise.
    public static func shape(_ value: [UInt8]) -> String? {
        if let reference = referenceShape(value) { return reference }
        var bytes = value[...]
        while let last = bytes.last, last == 44 || last == 59 { bytes = bytes.dropLast() }
        guard let last = bytes.last, last == 41 || last == 93 else { return nil }
        let start = bytes.startIndex
        var i = start
        while i < bytes.endIndex, isNameByte(bytes[i]) || bytes[i] == 46 { i += 1 }
        guard i > start, i < bytes.endIndex - 1, isLetter(bytes[start]) || bytes[start] == 95 else { return nil }
        let callee = bytes[start..<i]
        // Each part of a dotted callee is a name (`boto3.client`), none empty.
        guard callee.split(separator: 46, omittingEmptySubsequences: false).allSatisfy({ part in
            part.first.map { isLetter($0) || $0 == 95 } ?? false
        }) else { return nil }
        let inner = bytes[(i + 1)..<(bytes.endIndex - 1)]
        let startsQuoted = inner.first.map { $0 == 34 || $0 == 39 } ?? false
        let named = !inner.isEmpty && inner.allSatisfy { isNameByte($0) || $0 == 46 }
        switch (bytes[i], last) {
        case (40, 41):
            let namedCallee = callee.contains(46) || callee.contains(95)
            guard inner.isEmpty || startsQuoted || namedCallee else { return nil }
            return "a call"
        case (91, 93):
            guard startsQuoted || named else { return nil }
            return "a subscript"
        default:
            return nil
        }
    }

    /// Why a value is a name read where a value is expected: JavaScript inside a config file's
    /// block text (a workflow's `actions/github-script` step under `script: |`) reads as
    /// `key: value` lines, `NODE_AUTH_TOKEN: target.npmToken,` in an object literal and
    /// `const token = payload?.value;`. A name or a member chain followed by the comma or
    /// semicolon that ends an expression in code (`npmToken,`), or a chain with optional
    /// chaining (`payload?.value`, TypeScript's `payload!.value`), is a reference to a variable,
    /// not a literal. Every name is one of words (`isNameOfWords`), so a password with a comma
    /// after it (`x7Kq2Lz9Vr,`) stays a value. Nil otherwise.
    static func referenceShape(_ value: [UInt8]) -> String? {
        var bytes = value[...]
        var punctuated = false
        while let last = bytes.last, last == 44 || last == 59 { bytes = bytes.dropLast(); punctuated = true }
        guard !bytes.isEmpty else { return nil }
        // `a?.b` and `a!.b` are `a.b` with a marker before the dot; a marker anywhere else is no chain.
        var names: [ArraySlice<UInt8>] = []
        var optional = false
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i <= bytes.endIndex {
            if i == bytes.endIndex || bytes[i] == 46 {
                var name = bytes[start..<i]
                if let last = name.last, last == 63 || last == 33, i < bytes.endIndex {
                    name = name.dropLast()
                    optional = true
                }
                names.append(name)
                start = i + 1
            }
            i += 1
        }
        guard names.allSatisfy(isNameOfWords) else { return nil }
        if optional { return "an optional member access" }
        guard punctuated else { return nil }
        return names.count > 1 ? "a member access in code" : "a name in code"
    }

    /// One name of code: an identifier (letters, digits, `_`, `$`) whose digits come only at
    /// the end of one of its words (`v2`, `sha256`, `ai302Options`, `s3Client`, `oauth2_client`)
    /// and whose case changes rarely (camelCase words, not random letters: `npmToken`, not
    /// `xK9qLm2`).
    public static func isNameOfWords(_ segment: ArraySlice<UInt8>) -> Bool {
        guard let first = segment.first, isLetter(first) || first == 95 || first == 36 else { return false }
        guard segment.allSatisfy({ isNameByte($0) || $0 == 36 }) else { return false }
        guard digitsEndWords(Array(segment)) else { return false }
        var changes = 0
        var previousUpper = false
        for (i, byte) in segment.enumerated() {
            let upper = byte >= 65 && byte <= 90
            if i > 0, upper, !previousUpper { changes += 1 }
            previousUpper = upper
        }
        return changes * 3 <= segment.count
    }

    /// Whether every run of digits ends the name or one of its words: the run follows a
    /// lower-case letter and is followed by the end, `_`, or a capitalised word (`ai302Options`:
    /// a provider's number in a camelCase name). A run inside random letters (`xK9qLm2`, a
    /// token's `…NDY1NDYy…`) follows or precedes no such boundary. At most two inner runs.
    static func digitsEndWords(_ bytes: [UInt8]) -> Bool {
        var inner = 0
        var i = 0
        while i < bytes.count {
            guard isDigit(bytes[i]) else { i += 1; continue }
            let start = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            if i == bytes.count { break }
            guard start > 0, isLower(bytes[start - 1]) else { return false }
            let isWordEnd = bytes[i] == 95
                || (isUpper(bytes[i]) && i + 1 < bytes.count && isLower(bytes[i + 1]))
            guard isWordEnd else { return false }
            inner += 1
        }
        return inner <= 2
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    private static func isLower(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
    private static func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
    private static func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
    private static func isNameByte(_ b: UInt8) -> Bool { isLetter(b) || (b >= 48 && b <= 57) || b == 95 }
}
