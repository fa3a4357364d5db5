/// The kind of thing a secret unlocks; drives exposure rules and the generic rotation playbook.
public enum SecretCategory: String, Sendable, Codable, CaseIterable {
    case model, database, session, webhook, smtp, cloud, payment, vcs, messaging
    case privateKey = "private-key"
    case generic
    /// Not a credential: a config problem found by a check (`rules/checks/`).
    case config
}
