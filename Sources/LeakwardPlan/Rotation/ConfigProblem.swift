import LeakwardModel

/// A configuration mistake that is not itself a credential: tracked `.env` files, `.env` missing
/// from `.gitignore`, shipped source maps, weak signing secrets, debug flags in production.
public struct ConfigProblem: Sendable, Hashable, Codable {
    /// `C1`, `C2`... in plan order.
    public var id: String
    /// `env-file-tracked`, `env-not-ignored`, `source-map-shipped`, `weak-secret`, or a config check's kind
    /// (`secret-in-prompt`, `logs-secret`, `ci-echoes-secret`... see docs/plan-schema.md).
    public var kind: String
    public var severity: Severity
    public var title: String
    /// Why it matters, with the evidence.
    public var detail: String
    /// The files it is about.
    public var paths: [String]
    public var steps: [PlanStep]
    /// Ids (`K1`...) of the plan's credentials this problem concerns; it is listed after the last of them.
    public var credentials: [String]
    /// The line in the first path, for problems found at one place by a config check.
    public var line: Int? = nil
    /// The config check (`rules/checks/`) that found it, when one did.
    public var check: String? = nil

    public enum CodingKeys: String, CodingKey { case id, kind, severity, title, detail, paths, steps, credentials, line, check }
}
