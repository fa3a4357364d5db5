import LeakwardPlan

/// Formats a rotation plan. Pure: the same plan always gives the same text.
public protocol PlanWriter {
    /// The `--format` name.
    static var formatName: String { get }
    func render(_ plan: RotationPlan) throws -> String
}
