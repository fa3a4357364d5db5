/// Progress through a rotation plan that survives a re-scan (`leakward plan --state FILE`):
/// per credential fingerprint, the ids of the ticked steps. It never holds a secret, a
/// preview or a full hash: the 12-digit fingerprint is all a regenerated plan needs to match.
public struct PlanState: Sendable, Codable, Hashable {
    public static let schemaVersion = "leakward.plan-state/1"

    public var schema = PlanState.schemaVersion
    /// When the state was last written (ISO 8601 UTC).
    public var updatedAt: String
    /// By fingerprint (`sha256:` and 12 hex digits).
    public var credentials: [String: Entry]

    public init(updatedAt: String = "", credentials: [String: Entry] = [:]) {
        self.updatedAt = updatedAt
        self.credentials = credentials
    }

    public enum CodingKeys: String, CodingKey { case schema, updatedAt = "updated_at", credentials }

    public struct Entry: Sendable, Codable, Hashable {
        /// For people reading the file: provider and rule name, never the value.
        public var provider: String
        public var ruleName: String
        /// Ids of the ticked steps.
        public var done: [String]
        /// `open`, `done` (every step ticked, or revoked and the rest ticked) or `gone` (no longer found).
        public var status: String
        /// The last verification answer (`live`, `revoked`, `unknown`), when one was asked.
        public var verification: String?
        /// When the credential was last found (the plan's `generated_at`).
        public var lastSeen: String

        public init(provider: String, ruleName: String, done: [String], status: String, verification: String?, lastSeen: String) {
            self.provider = provider
            self.ruleName = ruleName
            self.done = done
            self.status = status
            self.verification = verification
            self.lastSeen = lastSeen
        }

        public enum CodingKeys: String, CodingKey {
            case provider, ruleName = "rule_name", done, status, verification, lastSeen = "last_seen"
        }
    }

    /// A tick given on the command line or read from a previous Markdown plan: a credential
    /// (fingerprint, or a `K` id of the current plan) and a step id.
    public struct Tick: Sendable, Hashable {
        public var credential: String
        public var step: String

        public init(credential: String, step: String) {
            self.credential = credential
            self.step = step
        }

        /// `sha256:abc123def456/revoke` or `K2/revoke`.
        public init?(_ text: String) {
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            self.init(credential: parts[0], step: parts[1])
        }
    }

    /// The ticked boxes of a Markdown plan written with `--state` (each box ends with its
    /// `<!-- sha256:…/step -->` marker), so ticking in the Markdown file and regenerating works.
    public static func ticks(inMarkdown text: String) -> [Tick] {
        text.split(separator: "\n").compactMap { line -> Tick? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("- [x]") || trimmed.hasPrefix("- [X]"),
                  let open = trimmed.range(of: "<!-- ", options: .backwards),
                  let close = trimmed.range(of: " -->", options: .backwards), open.upperBound <= close.lowerBound else { return nil }
            return Tick(String(trimmed[open.upperBound..<close.lowerBound]))
        }
    }

    /// Marks in `plan` the steps this state (and `ticks`) say are done, lists credentials the
    /// state knew that the plan no longer has as gone, and returns the state to save next.
    public func apply(to plan: inout RotationPlan, ticks: [Tick] = []) -> PlanState {
        var done: [String: Set<String>] = credentials.mapValues { Set($0.done) }
        let fingerprintOf = Dictionary(plan.items.map { ($0.id, $0.fingerprint) }, uniquingKeysWith: { a, _ in a })
        for tick in ticks {
            done[fingerprintOf[tick.credential] ?? tick.credential, default: []].insert(tick.step)
        }
        var next = PlanState(updatedAt: plan.generatedAt)
        for index in plan.items.indices {
            let item = plan.items[index]
            let ticked = done[item.fingerprint] ?? []
            for step in plan.items[index].steps.indices where ticked.contains(plan.items[index].steps[step].id) {
                plan.items[index].steps[step].isDone = true
            }
            let updated = plan.items[index]
            next.credentials[item.fingerprint] = Entry(
                provider: item.provider, ruleName: item.ruleName,
                done: updated.steps.filter(\.isDone).map(\.id).sorted(),
                status: updated.isDone ? "done" : "open", verification: item.verification?.status.rawValue,
                lastSeen: plan.generatedAt)
        }
        for (fingerprint, entry) in credentials.sorted(by: { $0.key < $1.key }) where next.credentials[fingerprint] == nil {
            var gone = entry
            gone.status = "gone"
            gone.done = Array(done[fingerprint] ?? Set(entry.done)).sorted()
            next.credentials[fingerprint] = gone
            plan.gone.append(RotationPlan.GoneCredential(fingerprint: fingerprint, provider: entry.provider, ruleName: entry.ruleName,
                                                         done: gone.done, lastSeen: entry.lastSeen))
        }
        plan.hasState = true
        return next
    }
}
