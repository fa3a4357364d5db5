/// One box to tick in a rotation plan.
public struct PlanStep: Sendable, Hashable, Codable {
    /// What the step is for: `revoke`, `move-to-server`, `replace`, `redeploy`, `verify`,
    /// `check-logs`, `purge-history`, `ci-logs`, `review`, `fix-config`.
    public var kind: String
    /// Stable within its credential across re-scans (the kind, numbered when a kind repeats):
    /// what a plan state file records ticks by, next to the credential's fingerprint.
    public var id: String
    /// The instruction, in Markdown (code spans for paths and names).
    public var text: String
    /// Sub-points: files to edit, commands to run.
    public var details: [String]
    /// Ticked in the plan state (`--state`), or known done (a key the provider says is revoked).
    public var isDone: Bool

    public init(kind: String, text: String, details: [String] = [], id: String? = nil, isDone: Bool = false) {
        self.kind = kind
        self.id = id ?? kind
        self.text = text
        self.details = details
        self.isDone = isDone
    }

    public enum CodingKeys: String, CodingKey { case kind, id, text, details, isDone = "done" }

    /// Gives repeated kinds distinct ids (`fix-config`, `fix-config-2`) so each box has its own tick.
    public static func numbered(_ steps: [PlanStep]) -> [PlanStep] {
        var seen: [String: Int] = [:]
        return steps.map { step in
            var step = step
            seen[step.kind, default: 0] += 1
            if let count = seen[step.kind], count > 1 { step.id = "\(step.kind)-\(count)" }
            return step
        }
    }
}
