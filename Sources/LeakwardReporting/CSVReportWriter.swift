import Foundation
import LeakwardModel
import LeakwardSupport

/// CSV (RFC 4180), one row per sighting, for spreadsheets and ad-hoc triage.
public struct CSVReportWriter: ReportWriter {
    public static let formatName = "csv"
    /// Include raw secrets (`--reveal`) in a last `secret` column.
    public var revealsSecrets: Bool

    public init(revealsSecrets: Bool = false) { self.revealsSecrets = revealsSecrets }

    public static let header = ["rule_id", "rule_name", "severity", "kind", "validation", "provider", "category", "path",
                         "line", "column", "decoders", "commit", "variable", "preview", "secret_sha256",
                         "verification", "verification_detail"]

    public func render(_ report: ScanReport) throws -> String {
        var rows = [Self.header + (revealsSecrets ? ["secret"] : [])]
        // With `--verify`, every sighting of a credential carries the provider's answer; empty when not asked.
        let verified = Dictionary(report.credentials.compactMap { credential in credential.verification.map { (credential.secretSHA256, $0) } },
                                  uniquingKeysWith: { first, _ in first })
        for finding in report.findings {
            let location = finding.location
            var row = [finding.ruleID, finding.ruleName, finding.severity.name, finding.kind.rawValue,
                       finding.validation.rawValue, finding.provider, finding.category.rawValue, location.displayPath,
                       String(location.line), String(location.column),
                       location.decoders.map(\.description).joined(separator: " > "), location.commit?.id.description ?? "",
                       finding.variable ?? "", finding.preview, finding.secretSHA256]
            let verification = verified[finding.secretSHA256]
            row += [verification?.status.rawValue ?? "", verification.map(Self.detail) ?? ""]
            if revealsSecrets { row.append(finding.secret.revealed) }
            rows.append(row)
        }
        return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// `api.github.com: HTTP 200 as octocat`: where the answer came from and how it was read.
    static func detail(_ result: VerificationResult) -> String {
        var text = "\(result.host): \(result.detail)"
        if let identity = result.identity { text += " as \(identity)" }
        return text
    }

    /// Quotes a field when needed, and defuses spreadsheet formulas: a cell starting with
    /// `=`, `+`, `-`, `@` or a tab is prefixed with `'` (a path or variable name is attacker-chosen).
    /// Control characters are shown as escapes and a cell that would start a CI command
    /// (`::`, `##vso[`) is prefixed too: a CSV printed to a CI log must not drive the runner.
    public func field(_ value: String) -> String {
        var text = InertText.visible(value)
        if let first = text.first, "=+-@\t\r".contains(first) || InertText.startsCICommand(Substring(text)) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
