import LeakwardModel

/// How to rotate one kind of credential, as written in `rules/rotation/*.toml`: a provider
/// playbook (matched by provider name or rule id prefix) or a category's generic playbook.
public struct Playbook: Sendable, Hashable {
    public var id: String
    /// Provider names as the rules spell them (`OpenAI`), matched case-insensitively.
    public var providers: [String]
    /// Rule id prefixes (`stripe.webhook`), which win over a provider match.
    public var rulePrefixes: [String]
    /// Set for a category's generic playbook (no providers, no rule prefixes).
    public var category: SecretCategory?
    /// What a holder of the secret can do.
    public var blastRadius: String
    /// Where to revoke or roll it: the dashboard path.
    public var revoke: String
    /// The API, CLI or endpoint that revokes it, when there is one.
    public var revokeAPI: String?
    /// How to issue the replacement.
    public var replace: String
    /// How to prove the old secret no longer works.
    public var verify: String
    /// What to look for in the provider's logs since the first-seen date.
    public var logs: String
    /// Extra facts worth knowing (auto-revocation, side effects of rotating).
    public var notes: [String]
    /// The TOML file it came from, for messages.
    public var origin: String
}
