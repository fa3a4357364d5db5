import Foundation

/// The machine-readable report described in `docs/report-schema.md`.
public struct JSONReportWriter: ReportWriter {
    public static let formatName = "json"
    /// Include raw secrets (`--reveal`).
    public var revealsSecrets: Bool

    public init(revealsSecrets: Bool = false) { self.revealsSecrets = revealsSecrets }

    public func render(_ report: ScanReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[.revealSecrets] = revealsSecrets
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
