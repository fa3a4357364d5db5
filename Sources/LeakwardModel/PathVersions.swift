/// One secret left in a file across many edits is one sighting per version (each version is
/// its own blob): a config file touched in 400 commits would be 400 findings. Sightings of the
/// same secret, rule, path and decode chain in history blobs are grouped into one: the first
/// version's location and commit, with how many versions held it, the newest commit that
/// brought one in, and the commit count summed over them.
public enum PathVersions {
    public static func grouped(_ findings: [Finding]) -> [Finding] {
        struct Key: Hashable {
            var secret: String, rule: String, origin: Origin, members: [String], decoders: [DecodeStep]
        }
        var groups: [Key: [Int]] = [:]
        var kept: [Finding] = []
        for (i, finding) in findings.enumerated() {
            guard finding.location.commit != nil, finding.location.blob != nil else { continue }
            let key = Key(secret: finding.secretSHA256, rule: finding.ruleID, origin: finding.location.origin,
                          members: finding.location.members, decoders: finding.location.decoders)
            groups[key, default: []].append(i)
        }
        var merged = [Int: Finding]()
        var dropped = Set<Int>()
        for members in groups.values where members.count > 1 {
            // Each rank made once (its ids spelled in hex), not at every comparison.
            let order = members.map { (member: $0, rank: rank(findings[$0])) }.sorted { $0.rank < $1.rank }.map(\.member)
            var lead = findings[order[0]]
            let last = findings[order[order.count - 1]].location.commit!
            let commits = order.map { findings[$0].location.commit! }
            var commit = lead.location.commit!
            commit.commitCount = commits.reduce(0) { $0 + $1.commitCount }
            commit.isInHEAD = commits.contains { $0.isInHEAD }
            func breadth(_ commit: CommitInfo) -> (RefReach, Int) { (commit.reach ?? .unreachable, -(commit.refCount ?? 0)) }
            let widest = commits.min { breadth($0) < breadth($1) }!
            commit.reach = widest.reach
            commit.refCount = commits.compactMap { $0.refCount }.max()
            commit.refs = widest.refs
            commit.versions = members.count
            commit.lastCommit = last.id
            commit.lastDate = last.date
            lead.location.commit = commit
            merged[order[0]] = lead
            dropped.formUnion(order.dropFirst())
        }
        for (i, finding) in findings.enumerated() where !dropped.contains(i) { kept.append(merged[i] ?? finding) }
        return kept
    }

    /// Oldest commit first; ties by commit id, then blob, so the lead does not depend on order.
    private static func rank(_ finding: Finding) -> (String, String, String) {
        (finding.location.commit?.date ?? "", finding.location.commit?.id.description ?? "", finding.location.blob?.description ?? "")
    }
}
