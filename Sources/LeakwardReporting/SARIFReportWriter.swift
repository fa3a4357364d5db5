import Foundation
import LeakwardModel
import LeakwardSupport

/// SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps).
///
/// One `rule` per rule that matched, one `result` per sighting (a working-tree file and the
/// history blob it holds are one sighting). Raw secrets never appear: the
/// message and the snippet carry the redacted preview, and the fingerprint is a hash of the rule,
/// the secret's hash and the path, so it survives line shifts (unlike GitHub's own line hash).
public struct SARIFReportWriter: ReportWriter {
    public static let formatName = "sarif"
    static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    static let fingerprintKey = "leakwardFingerprint/v1"

    public init() {}

    public func render(_ report: ScanReport) throws -> String {
        let rules = ruleDescriptors(for: report.findings)
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let verified = Dictionary(report.credentials.compactMap { credential in credential.verification.map { (credential.secretSHA256, $0) } },
                                  uniquingKeysWith: { a, _ in a })
        let results = SARIFReportWriter.distinct(report.findings).map { finding -> [String: Any] in
            var result = result(for: finding, ruleIndex: ruleIndex[finding.ruleID] ?? 0)
            if let verification = verified[finding.secretSHA256], var properties = result["properties"] as? [String: Any] {
                properties["verification"] = verification.status.rawValue
                properties["verification_detail"] = verification.detail
                result["properties"] = properties
            }
            return result
        }
        var invocation: [String: Any] = ["executionSuccessful": report.isComplete]
        let notifications = report.errors.map { issue -> [String: Any] in
            [
                "level": issue.level == .error ? "error" : "note",
                "message": ["text": "\(issue.path): \(issue.stage): \(issue.reason)"],
                "descriptor": ["id": "leakward/\(issue.level.rawValue)"],
            ]
        }
        if !notifications.isEmpty { invocation["toolExecutionNotifications"] = notifications }
        let run: [String: Any] = [
            "tool": [
                "driver": [
                    "name": "Leakward",
                    "version": report.version,
                    "semanticVersion": report.version,
                    "rules": rules.map(\.json),
                ] as [String: Any],
            ],
            "results": results,
            "invocations": [invocation],
            // Columns are written in UTF-16 code units, as GitHub code scanning reads them.
            "columnKind": "utf16CodeUnits",
            "properties": [
                "files_scanned": report.stats.filesScanned, "blobs_scanned": report.stats.blobsScanned,
                "suppressed": report.stats.suppressed, "baselined": report.stats.baselined,
                "allowlisted_paths": report.stats.allowlistedPaths,
            ],
        ]
        let log: [String: Any] = ["$schema": SARIFReportWriter.schemaURI, "version": "2.1.0", "runs": [run]]
        let data = try JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One result per place a dashboard can show: a working-tree file whose content is a
    /// history blob is one sighting at one file and line, not two alerts (the working-tree
    /// result takes the commit from the history one). A secret only in history keeps its own.
    static func distinct(_ findings: [Finding]) -> [Finding] {
        struct Place: Hashable {
            var rule: String, secret: String, root: String, path: String, members: [String], line: Int, blob: ObjectID?
        }
        func place(_ finding: Finding) -> Place? {
            let location = finding.location
            switch location.origin {
            case .file(let root, let path), .history(let root, let path):
                guard let blob = location.blob else { return nil }
                return Place(rule: finding.ruleID, secret: finding.secretSHA256, root: root, path: path,
                             members: location.members, line: location.line, blob: blob)
            default: return nil
            }
        }
        var fileAt: [Place: Int] = [:]
        var kept = findings
        for (index, finding) in findings.enumerated() {
            if case .file = finding.location.origin, let key = place(finding) { fileAt[key] = index }
        }
        var dropped = Set<Int>()
        for (index, finding) in findings.enumerated() {
            guard case .history = finding.location.origin, let key = place(finding), let file = fileAt[key] else { continue }
            if kept[file].location.commit == nil { kept[file].location.commit = finding.location.commit }
            dropped.insert(index)
        }
        return kept.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
    }

    /// What SARIF calls a reportingDescriptor, for one rule id.
    struct RuleDescriptor {
        var id: String
        var json: [String: Any]
    }

    func ruleDescriptors(for findings: [Finding]) -> [RuleDescriptor] {
        var byRule: [String: [Finding]] = [:]
        for finding in findings { byRule[finding.ruleID, default: []].append(finding) }
        return byRule.keys.sorted().map { id in
            let sightings = byRule[id]!
            let lead = sightings[0]
            // A rule's findings can differ in severity (a test key is lowered); the rule shows the worst.
            let severity = sightings.map(\.severity).max()!
            let help = """
                Leakward found a \(lead.ruleName) (\(lead.provider), \(lead.category.rawValue)) in the scanned content. \
                Anyone who can read this repository or its history can use it. Rotate it at \(lead.provider) first, \
                then remove it from the code and read it from the environment or a secret manager. \
                Removing it from the file alone is not enough: it stays in git history. \
                If it is not a secret, add a `leakward:allow` comment on its line, or list it in `.leakward.toml`.
                """
            let json: [String: Any] = [
                "id": id,
                "name": Self.pascalName(lead.ruleName),
                "shortDescription": ["text": lead.ruleName],
                "fullDescription": ["text": "\(lead.ruleName) issued by \(lead.provider)."],
                "help": ["text": help, "markdown": help],
                "defaultConfiguration": ["level": Self.level(for: severity)],
                "properties": [
                    "tags": ["security", "secret", lead.category.rawValue],
                    "security-severity": Self.securitySeverity(severity),
                    "precision": "high",
                    "problem.severity": Self.level(for: severity) == "note" ? "recommendation" : Self.level(for: severity),
                ] as [String: Any],
            ]
            return RuleDescriptor(id: id, json: json)
        }
    }

    public func result(for finding: Finding, ruleIndex: Int) -> [String: Any] {
        let location = finding.location
        // An archive member or a decoded buffer is reported on its container file (the origin);
        // the line and column then refer to the decoded text, so they go to properties, not the region.
        let filePath = location.origin.displayPath
        var artifact: [String: Any] = ["uri": Self.uri(for: filePath)]
        if !filePath.hasPrefix("/") { artifact["uriBaseId"] = "%SRCROOT%" }
        var physical: [String: Any] = ["artifactLocation": artifact]
        let isDecoded = !location.decoders.isEmpty || !location.members.isEmpty
        if !isDecoded {
            physical["region"] = [
                "startLine": location.line,
                "startColumn": location.utf16Column ?? location.column,
                "snippet": ["text": finding.preview],
            ] as [String: Any]
        }
        var properties: [String: Any] = [
            "provider": finding.provider, "category": finding.category.rawValue, "severity": finding.severity.name,
            "kind": finding.kind.rawValue, "validation": finding.validation.rawValue, "preview": finding.preview,
        ]
        if let variable = finding.variable { properties["variable"] = variable }
        if !finding.notes.isEmpty { properties["notes"] = finding.notes }
        if isDecoded {
            properties["decoded_path"] = location.displayPath
            if !location.members.isEmpty { properties["members"] = location.members }
            properties["decoders"] = location.decoders.map(\.description)
            properties["decoded_line"] = location.line
            properties["decoded_column"] = location.column
        }
        if let blob = location.blob { properties["blob"] = blob.description }
        if let commit = location.commit {
            var info: [String: Any] = ["id": commit.id.description, "author": commit.author, "date": commit.date,
                                       "in_head": commit.isInHEAD, "commit_count": commit.commitCount]
            if let summary = commit.summary { info["summary"] = summary }
            if !commit.refs.isEmpty { info["refs"] = commit.refs }
            if let reach = commit.reach { info["reach"] = reach.rawValue }
            if let count = commit.refCount { info["ref_count"] = count }
            properties["commit"] = info
        }
        var message = "\(finding.ruleName) \(finding.preview)"
        if let variable = finding.variable { message += " assigned to \(variable)" }
        if let commit = location.commit { message += " (commit \(commit.id.short)\(commit.isInHEAD ? "" : ", history only"))" }
        return [
            "ruleId": finding.ruleID,
            "ruleIndex": ruleIndex,
            "level": Self.level(for: finding.severity),
            "kind": "fail",
            "message": ["text": message],
            "locations": [["physicalLocation": physical]],
            "partialFingerprints": [Self.fingerprintKey: Self.fingerprint(of: finding)],
            "properties": properties,
        ]
    }

    /// Line-independent identity of a sighting: rule, secret hash, the file's path relative to
    /// its root and the members (plus the commit for history findings), domain-separated so it
    /// cannot be compared with a bare secret hash; fields joined with NUL, which no path holds.
    public static func fingerprint(of finding: Finding) -> String {
        let location = finding.location
        // A working-tree file's identity is its path: the commit a history blob lends it (see
        // `distinct`) must not change its fingerprint.
        let commit = location.origin.kind == .file ? "" : location.commit?.id.description ?? location.origin.messageCommit?.description ?? ""
        let text = (["leakward-sarif/1", finding.ruleID, finding.secretSHA256, location.origin.kind.rawValue, location.origin.path]
                    + location.members + [commit])
            .joined(separator: "\u{0}")
        return String(SHA256.hex(of: Array(text.utf8)).prefix(32))
    }

    public static func level(for severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// GitHub maps > 9.0 to critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "3.0"
        case .info: "1.0"
        }
    }

    /// `GitHub personal access token` → `GithubPersonalAccessToken` (SARIF's rule `name` convention).
    static func pascalName(_ text: String) -> String {
        text.split { !$0.isLetter && !$0.isNumber }.map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined()
    }

    /// A URI reference for a path: relative paths stay relative (to `%SRCROOT%`), absolute ones
    /// become `file://` URIs; everything outside the unreserved set is percent-encoded.
    static func uri(for path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.hasPrefix("./") { trimmed = trimmed.dropFirst(2) }
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~/")
        let encoded = String(trimmed).addingPercentEncoding(withAllowedCharacters: allowed) ?? String(trimmed)
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
