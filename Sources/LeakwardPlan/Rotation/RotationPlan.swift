import LeakwardModel

/// The rotation plan: credentials most urgent first, with the configuration problems they concern.
public struct RotationPlan: Sendable, Codable {
    public static let schemaVersion = "leakward.plan/1"

    public var schema = RotationPlan.schemaVersion
    public var tool = "leakward"
    public var version: String
    /// `scan` (a fresh scan) or `report` (`--from report.json`).
    public var source: String
    public var roots: [String]
    /// When the plan was made (ISO 8601, UTC): exposure windows are counted up to here.
    public var generatedAt: String
    public var items: [PlanItem]
    public var configProblems: [ConfigProblem]
    /// Every history sighting of every credential, as one `--replace-text` file.
    public var historyPurge: HistoryPurge?
    /// False when the scan it comes from was interrupted.
    public var isComplete: Bool
    /// Inputs the scan could not read (the plan covers only the rest).
    public var unscannedInputs = 0

    /// Credentials the plan state (`--state`) knew that this scan no longer finds.
    public var gone: [GoneCredential] = []
    /// Built with a plan state: steps carry their ticks, and Markdown boxes their ids.
    public var hasState = false
    /// Whether `--verify` asked the providers (so "not checked" means no verifier knows the provider).
    public var isVerified = false

    /// A credential of an earlier plan that the scan no longer finds.
    public struct GoneCredential: Sendable, Codable, Hashable {
        public var fingerprint: String
        public var provider: String
        public var ruleName: String
        /// Step ids ticked before it went.
        public var done: [String]
        public var lastSeen: String

        public enum CodingKeys: String, CodingKey { case fingerprint, provider, ruleName = "rule_name", done, lastSeen = "last_seen" }
    }

    public enum CodingKeys: String, CodingKey {
        case schema, tool, version, source, roots, generatedAt = "generated_at", items, configProblems = "config_problems"
        case historyPurge = "history_purge", isComplete = "complete", unscannedInputs = "unscanned_inputs", summary, gone, isVerified = "verified"
    }

    /// Counts for the top of the plan.
    public struct Summary: Sendable, Codable, Hashable {
        public var credentials: Int
        public var clientExposed: Int
        public var urgent: Int
        public var rotate: Int
        public var review: Int
        public var low: Int
        public var configProblems: Int
        /// Verification answers (zero without `--verify`).
        public var live: Int
        public var revoked: Int
        /// Credentials with every step ticked.
        public var done: Int

        public enum CodingKeys: String, CodingKey {
            case credentials, clientExposed = "client_exposed", urgent, rotate, review, low, configProblems = "config_problems"
            case live, revoked, done
        }
    }

    public var summary: Summary {
        Summary(credentials: items.count, clientExposed: items.filter(\.isClientExposed).count,
                urgent: items.filter { $0.urgency.tier == .urgent }.count,
                rotate: items.filter { $0.urgency.tier == .rotate }.count,
                review: items.filter { $0.urgency.tier == .review }.count,
                low: items.filter { $0.urgency.tier == .low }.count, configProblems: configProblems.count,
                live: items.filter { $0.verification?.status == .live }.count,
                revoked: items.filter { $0.verification?.status == .revoked }.count,
                done: items.filter(\.isDone).count)
    }

    public init(version: String, source: String, roots: [String], generatedAt: String, items: [PlanItem],
                configProblems: [ConfigProblem], historyPurge: HistoryPurge?, isComplete: Bool) {
        self.version = version
        self.source = source
        self.roots = roots
        self.generatedAt = generatedAt
        self.items = items
        self.configProblems = configProblems
        self.historyPurge = historyPurge
        self.isComplete = isComplete
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        tool = try c.decode(String.self, forKey: .tool)
        version = try c.decode(String.self, forKey: .version)
        source = try c.decode(String.self, forKey: .source)
        roots = try c.decode([String].self, forKey: .roots)
        generatedAt = try c.decode(String.self, forKey: .generatedAt)
        items = try c.decode([PlanItem].self, forKey: .items)
        configProblems = try c.decode([ConfigProblem].self, forKey: .configProblems)
        historyPurge = try c.decodeIfPresent(HistoryPurge.self, forKey: .historyPurge)
        isComplete = try c.decode(Bool.self, forKey: .isComplete)
        unscannedInputs = try c.decodeIfPresent(Int.self, forKey: .unscannedInputs) ?? 0
        gone = try c.decodeIfPresent([GoneCredential].self, forKey: .gone) ?? []
        isVerified = try c.decodeIfPresent(Bool.self, forKey: .isVerified) ?? false
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(tool, forKey: .tool)
        try c.encode(version, forKey: .version)
        try c.encode(source, forKey: .source)
        try c.encode(roots, forKey: .roots)
        try c.encode(generatedAt, forKey: .generatedAt)
        try c.encode(items, forKey: .items)
        try c.encode(configProblems, forKey: .configProblems)
        try c.encodeIfPresent(historyPurge, forKey: .historyPurge)
        try c.encode(isComplete, forKey: .isComplete)
        try c.encode(unscannedInputs, forKey: .unscannedInputs)
        try c.encode(summary, forKey: .summary)
        if !gone.isEmpty { try c.encode(gone, forKey: .gone) }
        try c.encode(isVerified, forKey: .isVerified)
    }
}
