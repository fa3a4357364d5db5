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
    /// over generic) names the credential. One half of a pair seen beside its other half (an
    /// AWS access key ID beside its secret access key, `Finding.pairedWith`) joins the other
    /// half's credential when that is reported too: the pair is one thing to rotate.
    /// Output order is deterministic.
    public static func group(_ findings: [Finding]) -> [Credential] {
        var bySecret: [String: [Finding]] = [:]
        let reported = Set(findings.lazy.filter { $0.pairedWith == nil }.map(\.secretSHA256))
        for finding in findings {
            let key = finding.pairedWith.flatMap { reported.contains($0) ? $0 : nil } ?? finding.secretSHA256
            bySecret[key, default: []].append(finding)
        }
        return bySecret.map { key, sightings in
            // The secret names the credential, never the key ID that joined it; the pair is as
            // severe as its more severe half.
            let lead = sightings.filter { $0.secretSHA256 == key }.min { a, b in
                (a.category == .generic ? 1 : 0, -a.severity.rawValue, a.ruleID)
                    < (b.category == .generic ? 1 : 0, -b.severity.rawValue, b.ruleID)
            }!
            let severity = sightings.lazy.filter { $0.secretSHA256 != key }.map(\.severity).reduce(lead.severity, max)
            return Credential(
                secretSHA256: lead.secretSHA256, ruleID: lead.ruleID, ruleName: lead.ruleName,
                category: lead.category, provider: lead.provider, severity: severity, kind: lead.kind,
                validation: lead.validation, preview: lead.preview,
                variables: Array(Set(sightings.compactMap(\.variable))).sorted(),
                locations: Array(Set(sightings.map(\.location))).sorted())
        }.sorted { ($0.severity, $1.ruleID, $1.secretSHA256) > ($1.severity, $0.ruleID, $0.secretSHA256) }
    }
}
