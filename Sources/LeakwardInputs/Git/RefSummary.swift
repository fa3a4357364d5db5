import LeakwardModel

/// How the refs that reach a sighting are told: the strongest class of ref (default branch,
/// branch, tag, other), how many, and a few names. A mirror with 50,000 pull-request refs
/// would otherwise write 50,000 names per sighting. Worked out from one reachability set per
/// ref (the provenance walk's, per commit), never from a walk per ref.
struct RefSummary {
    /// What one target's refs come to.
    struct Sighting: Equatable {
        var reach: RefReach?
        var count = 0
        var names: [String] = []
    }

    let tips: [(name: String, node: Int, isUnreachable: Bool)]
    let classes: [RefReach]
    let defaultBranch: String?
    /// Names kept per sighting; nil keeps every one.
    let nameLimit: Int?
    /// Tip indices in the order their names are shown.
    private let shown: [Int]

    /// How a tip walked from a commit no ref reaches is shown (the tip itself says it is one).
    static func unreachableName(of commit: ObjectID) -> String { "unreachable:\(commit)" }

    /// Names shown when not all are asked for.
    static let defaultNameLimit = 3

    init(tips: [(name: String, node: Int, isUnreachable: Bool)], defaultBranch: String?, nameLimit: Int? = RefSummary.defaultNameLimit) {
        self.tips = tips
        self.defaultBranch = defaultBranch
        self.nameLimit = nameLimit
        let classes = tips.map { $0.isUnreachable ? RefReach.unreachable : RefSummary.classify($0.name, defaultBranch: defaultBranch) }
        self.classes = classes
        shown = RefSummary.shownOrder(tips: tips, classes: classes, defaultBranch: defaultBranch)
    }

    /// The class of one ref name, as walked: full names from `--all` walks, or revisions a
    /// user gave (`main`, `HEAD`, an id), which count as branches unless they name the default.
    static func classify(_ name: String, defaultBranch: String?) -> RefReach {
        if name == "HEAD" { return .defaultBranch }
        if let defaultBranch, name == defaultBranch || name == shortName(defaultBranch) { return .defaultBranch }
        if name.hasPrefix("refs/heads/") || name.hasPrefix("refs/remotes/") { return .branch }
        if name.hasPrefix("refs/tags/") { return .tag }
        if name.hasPrefix("refs/") { return .otherRefs }
        return .branch
    }

    /// `refs/heads/main` → `main`, `refs/remotes/origin/main` → `origin/main`.
    static func shortName(_ name: String) -> String {
        for prefix in ["refs/heads/", "refs/remotes/", "refs/tags/"] where name.hasPrefix(prefix) {
            return String(name.dropFirst(prefix.count))
        }
        return name
    }

    /// One summary per target bit; `reach(node)` is the set of targets a commit's history holds.
    /// Tips are visited in the order names are shown (refs first, then unreachable tips), so a
    /// sighting's first names are its best ones and no name is compared or classified again per
    /// sighting: with 50,000 pull-request refs that per-sighting string work was most of the scan.
    func summarise(targetCount: Int, reach: (Int) -> [UInt64]) -> [Sighting] {
        var sightings = [Sighting](repeating: Sighting(), count: targetCount)
        for t in shown {
            let bits = reach(tips[t].node)
            let kind = classes[t]
            for w in bits.indices where bits[w] != 0 {
                var word = bits[w]
                while word != 0 {
                    let bit = w * 64 + word.trailingZeroBitCount
                    word &= word - 1
                    guard bit < targetCount else { continue }
                    add(t, kind, to: &sightings[bit])
                }
            }
        }
        return sightings
    }

    /// Refs before unreachable tips (`CommitGraph.extend` puts them last: they are no refs, so
    /// they are named only for a target no ref reaches); within each, default branch first, then
    /// shorter names, then by name.
    private static func shownOrder(tips: [(name: String, node: Int, isUnreachable: Bool)], classes: [RefReach],
                                   defaultBranch: String?) -> [Int] {
        let keys = tips.map { tip in
            (RefSummary.classify(tip.name, defaultBranch: defaultBranch) == .defaultBranch ? 0 : 1, tip.name.utf8.count, tip.name)
        }
        return tips.indices.sorted { a, b in
            let ua = classes[a] == .unreachable, ub = classes[b] == .unreachable
            if ua != ub { return ub }
            return keys[a] < keys[b]
        }
    }

    private func add(_ tip: Int, _ kind: RefReach, to sighting: inout Sighting) {
        if kind == .unreachable {
            guard sighting.count == 0 else { return }
            sighting.reach = .unreachable
        } else {
            sighting.count += 1
            if sighting.reach.map({ kind < $0 }) ?? true { sighting.reach = kind }
        }
        if let limit = nameLimit, sighting.names.count >= limit { return }
        sighting.names.append(tips[tip].name)
    }
}
