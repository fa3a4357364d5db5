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

    private static func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
    private static func isNameByte(_ b: UInt8) -> Bool { isLetter(b) || (b >= 48 && b <= 57) || b == 95 }
}
