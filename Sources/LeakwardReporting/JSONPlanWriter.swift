import Foundation
import LeakwardPlan

/// The machine-readable plan described in `docs/plan-schema.md`.
public struct JSONPlanWriter: PlanWriter {
    public static let formatName = "json"

    public init() {}

    public func render(_ plan: RotationPlan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n"
    }
}
