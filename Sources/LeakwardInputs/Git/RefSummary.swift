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

    /// How a tip walked from a commit no ref reaches is shown (the tip itself says it is one).
    static func unreachableName(of commit: ObjectID) -> String { "unreachable:\(commit)" }

    /// Names shown when not all are asked for.
    static let defaultNameLimit = 3

    init(tips: [(name: String, node: Int, isUnreachable: Bool)], defaultBranch: String?, nameLimit: Int? = RefSummary.defaultNameLimit) {
        self.tips = tips
        self.defaultBranch = defaultBranch
        self.nameLimit = nameLimit
        classes = tips.map { $0.isUnreachable ? .unreachable : RefSummary.classify($0.name, defaultBranch: defaultBranch) }
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
    func summarise(targetCount: Int, reach: (Int) -> [UInt64]) -> [Sighting] {
        var sightings = [Sighting](repeating: Sighting(), count: targetCount)
        for (t, tip) in tips.enumerated() {
            let bits = reach(tip.node)
            let kind = classes[t]
            for w in bits.indices where bits[w] != 0 {
                var word = bits[w]
                while word != 0 {
                    let bit = w * 64 + word.trailingZeroBitCount
                    word &= word - 1
                    guard bit < targetCount else { continue }
                    add(tip.name, kind, to: &sightings[bit])
                }
            }
        }
        if nameLimit == nil {
            for i in sightings.indices { sightings[i].names.sort { key($0) < key($1) } }
        }
        return sightings
    }

    /// Default branch first, then shorter names, then by name.
    private func key(_ name: String) -> (Int, Int, String) {
        (RefSummary.classify(name, defaultBranch: defaultBranch) == .defaultBranch ? 0 : 1, name.utf8.count, name)
    }

    /// Unreachable tips come after every ref (`CommitGraph.extend`): they are no refs, so they
    /// are not counted, and named only for a target no ref reaches.
    private func add(_ name: String, _ kind: RefReach, to sighting: inout Sighting) {
        if kind == .unreachable {
            guard sighting.count == 0 else { return }
            sighting.reach = .unreachable
        } else {
            sighting.count += 1
            if sighting.reach.map({ kind < $0 }) ?? true { sighting.reach = kind }
        }
        guard let limit = nameLimit else {
            sighting.names.append(name)
            return
        }
        let new = key(name)
        if sighting.names.count == limit, let last = sighting.names.last, key(last) <= new { return }
        let at = sighting.names.firstIndex { key($0) > new } ?? sighting.names.count
        sighting.names.insert(name, at: at)
        if sighting.names.count > limit { sighting.names.removeLast() }
    }
}
