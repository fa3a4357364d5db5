import LeakwardModel

/// A source that can say where its findings came from after matching (for git history: the
/// commit that introduced a blob). Called once, after matching, only when there are findings
/// (a history source spreads the work over its own workers).
public protocol ProvenanceSource: Source {
    /// Fills provenance in the findings this source produced; leaves the others untouched.
    func attribute(_ findings: inout [Finding], issues: inout [ScanIssue])
    /// Git blob ids this source reads: a working-tree file with one of these ids is the same
    /// content, matched once, and its sighting joins the source's findings.
    var knownBlobIDs: Set<ObjectID> { get }
}
