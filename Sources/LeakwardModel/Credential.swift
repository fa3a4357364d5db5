/// Every sighting of one secret, grouped by its SHA-256: the unit a person rotates.
public struct Credential: Sendable, Codable, Hashable {
    public var secretSHA256: String
    public var ruleID: String
    public var ruleName: String
    public var category: SecretCategory
    public var provider: String
    public var severity: Severity
    public var kind: FindingKind
    public var validation: Validation
    public var preview: String
    public var variables: [String]
    public var locations: [Finding.Location]
    /// The provider's answer with `scan --verify`; nil when not asked.
    public var verification: VerificationResult?

    public enum CodingKeys: String, CodingKey {
        case secretSHA256 = "secret_sha256", ruleID = "rule_id", ruleName = "rule_name", category, provider
        case severity, kind, validation, preview, variables, locations, verification
    }

    /// Groups findings by secret; the strongest rule (highest severity, then provider-specific
    /// over generic) names the credential. Output order is deterministic.
    public static func group(_ findings: [Finding]) -> [Credential] {
        var bySecret: [String: [Finding]] = [:]
        for finding in findings { bySecret[finding.secretSHA256, default: []].append(finding) }
        return bySecret.values.map { sightings in
            let lead = sightings.min { a, b in
                (a.category == .generic ? 1 : 0, -a.severity.rawValue, a.ruleID)
                    < (b.category == .generic ? 1 : 0, -b.severity.rawValue, b.ruleID)
            }!
            return Credential(
                secretSHA256: lead.secretSHA256, ruleID: lead.ruleID, ruleName: lead.ruleName,
                category: lead.category, provider: lead.provider, severity: lead.severity, kind: lead.kind,
                validation: lead.validation, preview: lead.preview,
                variables: Array(Set(sightings.compactMap(\.variable))).sorted(),
                locations: Array(Set(sightings.map(\.location))).sorted())
        }.sorted { ($0.severity, $1.ruleID, $1.secretSHA256) > ($1.severity, $0.ruleID, $0.secretSHA256) }
    }
}
