/// Recognises values that only look like secrets: placeholders, templates, references to
/// variables, documentation examples and degenerate strings.
public enum Placeholder {
    static let words = [
        "example", "your", "xxxx", "changeme", "change_me", "change-me", "dummy", "placeholder", "sample",
        "redacted", "insert", "replace", "todo", "fixme", "<", ">", "****", "....", "…", "lorem", "notreal",
        "not_real", "not-a-real", "fake_", "_fake", "test_key_here", "secret_here", "key_here", "token_here",
    ]
    static let referencePrefixes = [
        "${", "$(", "{{", "%(", "#{", "process.env", "import.meta.env", "os.environ", "os.getenv", "env(", "env[",
        "getenv(", "secrets.", "vars.", "context.", "settings.", "config.", "this.", "self.",
    ]
    static let sequences = ["0123456789", "123456789", "12345678", "abcdefgh", "qwertyui", "abcdef123456"]

    /// Why `secret` is not a real secret, or nil when it may be one.
    public static func reason(for secret: [UInt8]) -> String? {
        let text = String(decoding: secret, as: UTF8.self).lowercased()
        if let word = words.first(where: { text.contains($0) }) { return "placeholder (\(word))" }
        if let prefix = referencePrefixes.first(where: { text.hasPrefix($0) }) { return "variable reference (\(prefix))" }
        if text.hasPrefix("$") && text.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            return "variable reference ($)"
        }
        if let sequence = sequences.first(where: { text.contains($0) }) { return "sequential characters (\(sequence))" }
        if secret.count >= 8 && Set(secret).count <= 3 { return "repeated characters" }
        if hasLongRun(secret, length: 8) { return "repeated characters" }
        return nil
    }

    private static func hasLongRun(_ bytes: [UInt8], length: Int) -> Bool {
        var run = 1
        for i in bytes.indices.dropFirst() {
            run = bytes[i] == bytes[i - 1] ? run + 1 : 1
            if run >= length { return true }
        }
        return false
    }
}
