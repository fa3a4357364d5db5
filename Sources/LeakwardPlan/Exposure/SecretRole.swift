import LeakwardModel

/// Whether a secret may ever reach a client: decides if a client channel is a leak at all.
public enum SecretRole: String, Sendable, Codable {
    /// Must stay on servers: model keys, database URLs, signing and webhook secrets, cloud, payment secret keys...
    case serverOnly = "server-only"
    /// Meant for browsers (publishable keys, anon keys, DSNs): a client channel is expected.
    case publicByDesign = "public-by-design"

    /// Variable-name stems that make a value server-only whatever its shape: signing and webhook secrets.
    static let serverOnlyNameMarkers = [
        "SESSION_SECRET", "COOKIE_SECRET", "JWT_SECRET", "NEXTAUTH_SECRET", "AUTH_SECRET", "SECRET_KEY_BASE",
        "WEBHOOK_SECRET", "SIGNING_SECRET", "SIGNING_KEY", "APP_KEY", "SECRET_KEY", "MASTER_KEY", "PRIVATE_KEY",
        "SERVICE_ROLE", "CLIENT_SECRET",
    ]

    /// The role of a credential from its rule's kind, its category and the names it is assigned to.
    /// A public-by-design rule stays public unless a name says it is a signing or webhook secret.
    public static func of(kind: FindingKind, category: SecretCategory, variables: [String]) -> SecretRole {
        if variables.contains(where: isServerOnlyName) { return .serverOnly }
        if category == .session || category == .webhook { return .serverOnly }
        return kind == .publicByDesign ? .publicByDesign : .serverOnly
    }

    /// True for names such as `SESSION_SECRET` or `STRIPE_WEBHOOK_SECRET`.
    public static func isServerOnlyName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return serverOnlyNameMarkers.contains { upper.contains($0) }
    }
}
