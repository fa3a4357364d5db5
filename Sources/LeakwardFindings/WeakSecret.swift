import LeakwardMatching
import LeakwardModel

/// Signing secrets that offer no protection: framework sample values and short strings.
public enum WeakSecret {
    /// Defaults seen in tutorials and framework templates (wallarm's jwt-secrets list, express-session's README, jwt.io).
    static let knownDefaults: Set<String> = [
        "secret", "secretkey", "secret-key", "secret_key", "mysecret", "my-secret", "my_secret", "supersecret",
        "super-secret", "super_secret", "changeme", "change-me", "change_me", "changeit", "keyboard cat",
        "your-256-bit-secret", "jwt-secret", "jwt_secret", "jwtsecret", "password", "passw0rd", "default",
        "development", "dev", "test", "testing", "s3cr3t", "shhhhh", "shhhh", "topsecret", "top-secret",
        "session-secret", "session_secret", "cookie-secret", "cookie_secret", "nextauth-secret", "abc123",
        "qwerty", "123456", "admin", "letmein", "not-so-secret", "notsecret", "insecure", "mysupersecretkey",
    ]
    /// Below this many characters a signing secret is weak whatever it looks like (32 bytes of key).
    public static let minimumLength = 32

    public static func isKnownDefault(_ secret: [UInt8]) -> Bool {
        knownDefaults.contains(String(decoding: secret, as: UTF8.self).lowercased())
    }

    /// Why `secret` is weak, or nil when it is strong enough.
    public static func reason(for secret: [UInt8]) -> String? {
        let text = String(decoding: secret, as: UTF8.self)
        if knownDefaults.contains(text.lowercased()) { return "a well-known default value from tutorials and framework templates" }
        if text.lowercased().hasPrefix("django-insecure-") { return "Django's insecure development key" }
        if secret.count < minimumLength { return "only \(secret.count) characters; use at least \(minimumLength) random bytes" }
        if Entropy.bitsPerByte(secret) < 3.0 { return "low entropy (\(String(format3(Entropy.bitsPerByte(secret)))) bits per character)" }
        return nil
    }

    private static func format3(_ value: Double) -> String {
        let scaled = Int((value * 100).rounded())
        return "\(scaled / 100).\(scaled % 100 < 10 ? "0" : "")\(scaled % 100)"
    }

    /// Weak values fail CI in env, config and source files, not in docs, tests, fixtures or
    /// templates, where a sample signing secret is an illustration rather than a configuration
    /// (there they are reported at info with the reason; see `FindingFilter` and `LocationContext`).
    public static func applies(toPath path: String) -> Bool {
        guard !FileKind.isTemplate(path: path) else { return false }
        return ![.test, .fixture, .example, .documentation].contains(LocationContext.of(path: path))
    }
}
