import LeakwardModel

/// One credential in the rotation plan: what it is, where and since when it is exposed, why it
/// sits where it does, and the steps to rotate it.
public struct PlanItem: Sendable, Hashable, Codable {
    /// `K1`, `K2`... in plan order.
    public var id: String
    public var rank: Int
    public var secretSHA256: String
    /// `sha256:` and the first 12 hex digits: what people and filter files refer to.
    public var fingerprint: String
    public var ruleID: String
    public var ruleName: String
    public var provider: String
    public var category: SecretCategory
    public var kind: FindingKind
    public var validation: Validation
    public var preview: String
    public var variables: [String]
    public var role: SecretRole
    public var isClientExposed: Bool
    /// The one sentence that says how the secret reaches browsers.
    public var clientEvidence: String?
    /// `bundle` when a built client bundle holds the value, `inferred` when only names say so.
    public var clientProof: ClientProof? = nil
    public var worstChannel: ExposureChannel
    public var channels: [ExposureChannel]
    public var exposures: [Exposure]
    public var firstSeen: CommitInfo?
    public var isStillPresent: Bool
    public var urgency: Urgency
    public var blastRadius: String
    /// The playbook whose steps were used.
    public var playbook: String
    /// Files that mention the credential's variable names: the consumers to update.
    public var consumers: [String]
    public var steps: [PlanStep]
    /// For history sightings: a `git filter-repo --replace-text` file.
    public var historyPurge: HistoryPurge?
    public var notes: [String]
    /// Ids of the config problems about this credential.
    public var configProblems: [String]
    /// The provider's answer with `--verify`; nil when not asked (or no verifier knows the provider).
    public var verification: VerificationResult?

    public enum CodingKeys: String, CodingKey {
        case id, rank, secretSHA256 = "secret_sha256", fingerprint, ruleID = "rule_id", ruleName = "rule_name", provider
        case category, kind, validation, preview, variables, role, isClientExposed = "client_exposed"
        case clientEvidence = "client_evidence", clientProof = "client_proof", worstChannel = "worst_channel", channels, exposures
        case firstSeen = "first_seen", isStillPresent = "still_present", urgency, blastRadius = "blast_radius"
        case playbook, consumers, steps, historyPurge = "history_purge", notes, configProblems = "config_problems"
        case verification
    }

    /// Done when every step is ticked.
    public var isDone: Bool { !steps.isEmpty && steps.allSatisfy(\.isDone) }

    /// What to do, in a few words, for the plan's summary table.
    public var action: String {
        if verification?.status == .revoked { return "revoked: replace, redeploy, purge" }
        if role == .publicByDesign { return "none: public by design (check restrictions)" }
        if kind == .testKey { return "roll when convenient (test key)" }
        switch urgency.tier {
        case .urgent: return "revoke now, move behind a server route"
        case .rotate:
            if channels.contains(.ciLog) { return "revoke, delete CI logs, mask" }
            return isStillPresent ? "revoke, replace, purge history" : "revoke, purge history"
        case .review: return "replace if it left this machine"
        case .low: return "review"
        }
    }

}
