/// One box to tick in a rotation plan.
public struct PlanStep: Sendable, Hashable, Codable {
    /// What the step is for: `revoke`, `replace`, `update-consumers`, `move-to-server`, `redeploy`,
    /// `verify`, `check-logs`, `purge-history`, `fix-config`.
    public var kind: String
    /// The instruction, in Markdown (code spans for paths and names).
    public var text: String
    /// Sub-points: files to edit, commands to run.
    public var details: [String]

    public init(kind: String, text: String, details: [String] = []) {
        self.kind = kind
        self.text = text
        self.details = details
    }

    enum CodingKeys: String, CodingKey { case kind, text, details }
}
