/// Everything a report writer needs about one finished scan.
public struct ScanReport: Sendable, Codable {
    public static let schemaVersion = "leakward.report/1"

    public var schema = ScanReport.schemaVersion
    public var tool = "leakward"
    public var version: String
    /// False when the scan was interrupted; what was found so far is still here.
    public var isComplete: Bool
    public var roots: [String]
    /// The roots as absolute paths, so a saved report says what it scanned wherever it is read
    /// (nil in reports from before they were recorded).
    public var rootPaths: [String]?
    public var findings: [Finding]
    public var credentials: [Credential]
    public var stats: ScanStats
    public var errors: [ScanIssue]
    /// Findings a `leakward:allow` comment allowed (counted in `stats.suppressed`): not written
    /// to reports; `ci` lists the ones its range adds.
    public var allowedInline: [Finding] = []
    /// Where the scan's time went (`--verbose`); not written to reports.
    public var timings = ScanTimings()

    /// `groupsVersions`: one sighting for a secret kept in many versions of one file (`PathVersions`).
    public init(version: String, isComplete: Bool = true, roots: [String], findings: [Finding],
                stats: ScanStats, errors: [ScanIssue], groupsVersions: Bool = true) {
        self.version = version
        self.isComplete = isComplete
        self.roots = roots
        let grouped = groupsVersions ? PathVersions.grouped(findings) : findings
        self.findings = grouped.sorted { ($0.location, $0.ruleID) < ($1.location, $1.ruleID) }
        // Config problems are findings but not credentials: nothing to rotate at a provider.
        self.credentials = Credential.group(grouped.filter { !$0.kind.isConfigProblem })
        self.stats = stats
        self.errors = errors.sorted()
    }

    /// Inputs that could not be (fully) scanned: a clean result says nothing about them.
    public var unscannedInputs: Int { ScanIssue.unscannedInputs(errors) }

    /// Reports of shards of one scan as one report: every finding kept, credentials grouped
    /// again across all of them (one per secret, every location), errors and counters added
    /// up, complete only when every part is.
    /// `groupsVersions` as for one scan (false keeps `--each-version` reports as they are).
    public static func merging(_ parts: [ScanReport], version: String, groupsVersions: Bool = true) -> ScanReport {
        var stats = ScanStats()
        for part in parts {
            stats.merge(part.stats)
            stats.durationSeconds += part.stats.durationSeconds
        }
        var merged = ScanReport(version: version, isComplete: parts.allSatisfy(\.isComplete), roots: parts.flatMap(\.roots).sorted(),
                                findings: parts.flatMap(\.findings), stats: stats, errors: parts.flatMap(\.errors),
                                groupsVersions: groupsVersions)
        if parts.allSatisfy({ $0.rootPaths != nil }) { merged.rootPaths = parts.flatMap { $0.rootPaths ?? [] }.sorted() }
        return merged
    }

    /// The findings of config checks (`rules/checks/`), in report order.
    public var configProblems: [Finding] { findings.filter { $0.kind.isConfigProblem } }

    public enum CodingKeys: String, CodingKey {
        case schema, tool, version, isComplete = "complete", roots, rootPaths = "root_paths", findings, credentials, stats, errors
    }
}
