import Foundation
import LeakwardModel
import LeakwardPlan

/// A JSON report read back (`plan --from`): the scan report plus the project facts stored
/// with it, so nothing is read from the current directory or the scanned tree again.
public struct SavedReport: Sendable {
    public var report: ScanReport
    /// Nil for reports written without them (older versions, `merge`): the plan then judges
    /// exposure from the findings alone.
    public var project: ProjectFacts?

    /// Why a file is not a report this version reads: one line for a person.
    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func read(_ data: Data, path: String) throws(FormatError) -> SavedReport {
        let fail = { (reason: String) in FormatError(description: "\(path) is not a Leakward report: \(reason)") }
        guard let top = try? JSONSerialization.jsonObject(with: data) else {
            throw fail("not JSON; write one with `leakward scan --format json -o report.json`")
        }
        guard let object = top as? [String: Any] else { throw fail("JSON, but not an object") }
        if object["runs"] != nil, (object["$schema"] as? String)?.contains("sarif") == true || object["version"] as? String == "2.1.0" {
            throw fail("a SARIF log; plan reads `leakward scan --format json` reports")
        }
        if let schema = object["schema"] as? String, schema.hasPrefix("leakward.plan") {
            throw fail("a rotation plan; plan reads `leakward scan --format json` reports")
        }
        guard object["tool"] as? String == "leakward", let schema = object["schema"] as? String else {
            throw fail("no \"tool\": \"leakward\" and \"schema\" keys; write one with `leakward scan --format json -o report.json`")
        }
        guard schema == ScanReport.schemaVersion else {
            throw FormatError(description: "\(path) is a \(schema) report; this leakward reads \(ScanReport.schemaVersion)")
        }
        struct Project: Decodable { var project: ProjectFacts? }
        do {
            let report = try JSONDecoder().decode(ScanReport.self, from: data)
            let project = try JSONDecoder().decode(Project.self, from: data).project
            return SavedReport(report: report, project: project)
        } catch let error as DecodingError {
            throw FormatError(description: "\(path): a Leakward report this version cannot read (\(SavedReport.describe(error)))")
        } catch {
            throw FormatError(description: "\(path): cannot read the report (\(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        let place = { (context: DecodingError.Context) in
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\" at \(place(context).isEmpty ? "the top" : place(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "unexpected value at \(place(context))"
        case .dataCorrupted(let context): return "bad value at \(place(context))"
        @unknown default: return "unreadable"
        }
    }
}
