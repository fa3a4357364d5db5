import LeakwardModel

/// The config-problem findings of a finished scan, settled once after provenance.
public enum ConfigFindings {
    /// Keeps what is true of the project now: a problem only in history (a file since fixed) is
    /// dropped, except a committed env file that held a secret, whose value stays in every
    /// clone (its old versions are one problem per path); and a HEAD blob's problem is dropped
    /// when the working-tree file holding that blob reports it too (the file's is kept).
    public static func settle(_ findings: [Finding]) -> [Finding] {
        guard findings.contains(where: { $0.kind.isConfigProblem }) else { return findings }
        let kept = findings.filter { !$0.kind.isConfigProblem }
        var problems: [Finding] = []
        var pastEnvFiles = Set<Origin>()
        // An env file gone from HEAD matters for the secrets it held; one that held none is history.
        let blobsWithSecrets = Set(kept.compactMap(\.location.blob))
        // Workers hand findings in in any order: the version of a past env file that is kept is
        // the earliest (the commit that first held it; dates are UTC ISO 8601, so they sort as
        // text), then by place, so one scan reports the same blob whatever the worker count.
        let ordered = findings.filter(\.kind.isConfigProblem).sorted { a, b in
            let (da, db) = (a.location.commit?.date ?? "", b.location.commit?.date ?? "")
            return da != db ? da < db : a.location < b.location
        }
        for finding in ordered {
            if let commit = finding.location.commit, !commit.isInHEAD {
                guard finding.kind == .envFileTracked, let blob = finding.location.blob, blobsWithSecrets.contains(blob),
                      pastEnvFiles.insert(finding.location.origin).inserted else { continue }
            }
            problems.append(finding)
        }
        // The working-tree twin of a history sighting: same check, blob and place, and the same
        // path under the same root.
        struct Place: Hashable {
            var rule: String, blob: ObjectID, root: String, path: String, line: Int, column: Int
        }
        func place(_ finding: Finding) -> Place? {
            finding.location.blob.map {
                Place(rule: finding.ruleID, blob: $0, root: finding.location.origin.root, path: finding.location.origin.path,
                      line: finding.location.line, column: finding.location.column)
            }
        }
        let files = Set(problems.filter { $0.location.commit == nil }.compactMap(place))
        problems.removeAll { finding in
            guard finding.location.commit != nil, let key = place(finding) else { return false }
            return files.contains(key)
        }
        return kept + problems.sorted { ($0.location, $0.ruleID) < ($1.location, $1.ruleID) }
    }
}
