import LeakwardModel

/// A source that can say where its findings came from after matching (for git history: the
/// commit that introduced a blob). Called once, after matching, only when there are findings
/// (a history source spreads the work over its own workers).
public protocol ProvenanceSource: Source {
    /// Fills provenance in the findings this source produced; leaves the others untouched.
    /// Its steps' costs are added to `timings` (`--verbose`).
    func attribute(_ findings: inout [Finding], issues: inout [ScanIssue], timings: inout ScanTimings)
    /// Git blob ids this source reads: a working-tree file with one of these ids is the same
    /// content, matched once, and its sighting joins the source's findings.
    var knownBlobIDs: Set<ObjectID> { get }
}

extension ProvenanceSource {
    /// The same, its timings not wanted.
    public func attribute(_ findings: inout [Finding], issues: inout [ScanIssue]) {
        var timings = ScanTimings()
        attribute(&findings, issues: &issues, timings: &timings)
    }
}
