import LeakwardModel
import LeakwardSupport

/// JUnit XML for CI test dashboards: one failing test case per credential (the unit a person
/// fixes), or one passing case when the scan is clean so the dashboard shows a green run.
public struct JUnitReportWriter: ReportWriter {
    public static let formatName = "junit"

    public init() {}

    public func render(_ report: ScanReport) throws -> String {
        let credentials = report.credentials
        let errors = report.errors.filter { $0.level == .error }
        let tests = max(1, credentials.count)
        let time = format1(report.stats.durationSeconds)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"leakward\" tests=\"\(tests)\" failures=\"\(credentials.count)\" errors=\"0\" time=\"\(time)\">\n"
        out += "  <testsuite name=\"leakward secret scan\" tests=\"\(tests)\" failures=\"\(credentials.count)\" errors=\"0\" skipped=\"0\" time=\"\(time)\">\n"
        if credentials.isEmpty {
            let name = errors.isEmpty ? "no secrets found" : "no secrets found, but \(ScanIssue.unscannedPhrase(report.unscannedInputs))"
            out += "    <testcase classname=\"leakward\" name=\"\(name)\" time=\"\(time)\"/>\n"
        }
        // Names from the scanned content are made visible-safe before the body's own line breaks
        // are added, so no line of the report begins with one.
        let v = InertText.visible
        for credential in credentials {
            let first = credential.locations.first
            let place = first.map { "\(v($0.displayPath)):\($0.line)" } ?? "?"
            let name = "\(v(credential.ruleName)) \(v(credential.preview)) at \(place)"
            var body = "\(v(credential.ruleName)) (\(v(credential.ruleID))), severity \(credential.severity.name), \(credential.kind.rawValue)\n"
            body += "secret: \(v(credential.preview))\n"
            if let verification = credential.verification {
                // The provider's answer (`--verify`): a live key is the one to rotate first.
                body += "provider says: \(verification.status.rawValue) (\(v(CSVReportWriter.detail(verification))))\n"
            }
            if !credential.variables.isEmpty { body += "variable: \(v(credential.variables.joined(separator: ", ")))\n" }
            for location in credential.locations {
                body += "at \(v(location.displayPath)):\(location.line):\(location.column)"
                if let commit = location.commit { body += " (commit \(commit.id.short))" }
                body += "\n"
            }
            body += "Rotate the credential, then remove it; if it is not a secret, add a leakward:allow comment on its line."
            out += "    <testcase classname=\"leakward.\(xml(v(credential.ruleID)))\" name=\"\(xml(name))\" file=\"\(xml(v(first?.origin.displayPath ?? "")))\">\n"
            if let verification = credential.verification {
                out += "      <properties><property name=\"verification\" value=\"\(verification.status.rawValue)\"/></properties>\n"
            }
            out += "      <failure type=\"\(xml(v(credential.ruleID)))\" message=\"\(xml("\(credential.severity.name): \(v(credential.ruleName)) \(v(credential.preview))"))\">"
            out += xml(body) + "</failure>\n"
            out += "    </testcase>\n"
        }
        if !errors.isEmpty {
            let lines = errors.map { "\(v($0.path)): \($0.stage): \(v($0.reason))" }.joined(separator: "\n")
            out += "    <system-err>\(xml(lines))</system-err>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry.
    public func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
