import LeakwardModel

/// Objects in the store that no ref reaches: commits of force-pushed or deleted branches and
/// of pull requests whose refs were not fetched or were dropped, and blobs no commit holds
/// (staged then reset, left behind by a rewrite), until garbage collection removes them.
/// Hosting services keep serving such commits by id, so their secrets are as public as any.
struct UnreachableObjects {
    /// Unreachable commits that no other unreachable commit has as a parent: walking from
    /// them reaches every unreachable commit. In the order of the reachable commit each one's
    /// history forks from last (`forkPoints`), then by id: the history walk takes their
    /// commits in this order, and branches that fork from nearby commits hold nearly the same
    /// trees, so each is compared with a close version and its trees' delta chains are still
    /// in the reader's cache. In id order (random in time) a Rails history's 18,000 dropped
    /// branches took 72% of the CPU of its 119,000 reachable commits: most entries differed
    /// from the last version of their directory, a lookup each, and chains were rebuilt cold.
    var heads: [ObjectID] = []
    /// How many commits no ref reaches.
    var commitCount = 0

    init() {}

    /// The commits of `store` and the loose objects that `graph` (walked from the refs) lacks.
    init(store: PackStore, repository: GitRepository, loose: [ObjectID], reachable graph: CommitGraph) {
        var commits = Set<ObjectID>()
        let (packed, unknown) = store.objectIDs(ofKind: .commit)
        for id in packed where graph.index[id] == nil { commits.insert(id) }
        for id in unknown + loose where graph.index[id] == nil && repository.objectKind(id) == 1 { commits.insert(id) }
        var parentsOf: [ObjectID: [ObjectID]] = [:]
        parentsOf.reserveCapacity(commits.count)
        var parents = Set<ObjectID>()
        for id in commits {
            let those = (try? repository.commit(id).parents) ?? []
            parentsOf[id] = those
            parents.formUnion(those)
        }
        let forks = UnreachableObjects.forkPoints(of: parentsOf) { graph.index[$0] }
        heads = commits.filter { !parents.contains($0) }
            .map { (id: $0, fork: forks[$0] ?? -1) }
            .sorted { ($0.fork, $0.id) < ($1.fork, $1.id) }
            .map(\.id)
        commitCount = commits.count
    }

    /// For each unreachable commit (`parentsOf`: their parents), the latest reachable commit
    /// (by its graph index, `reachable`) its history holds, or -1 when it holds none (an
    /// orphan branch, or parents missing from the repository).
    static func forkPoints(of parentsOf: [ObjectID: [ObjectID]], reachable: (ObjectID) -> Int?) -> [ObjectID: Int] {
        var fork: [ObjectID: Int] = [:]
        fork.reserveCapacity(parentsOf.count)
        // Iterative, parents first: a dropped branch may be thousands of commits long. A commit
        // is entered once, so even a forged cycle of parents ends.
        var entered = Set<ObjectID>()
        var work: [(id: ObjectID, expanded: Bool)] = []
        for start in parentsOf.keys where fork[start] == nil {
            work.append((start, false))
            while let (id, expanded) = work.popLast() {
                guard let parents = parentsOf[id] else { continue }
                if expanded {
                    var latest = -1
                    for parent in parents { latest = max(latest, reachable(parent) ?? fork[parent] ?? -1) }
                    fork[id] = latest
                    continue
                }
                guard entered.insert(id).inserted else { continue }
                work.append((id, true))
                for parent in parents where !entered.contains(parent) && parentsOf[parent] != nil { work.append((parent, false)) }
            }
        }
        return fork
    }

    /// Blobs of `store` and `loose` that no listed tree holds. `listedAt`: where the listed
    /// blobs sit in the packs (`PackStore.locate`), so a pack's blob at a listed place needs no
    /// lookup of its id in `listed` (300,000 hashed on Rails); only the others are looked up
    /// (an object a second pack holds again sits at a place not listed).
    static func danglingBlobs(store: PackStore, repository: GitRepository, loose: [ObjectID],
                              listed: Set<ObjectID>, listedAt: [(pack: Int, entry: Int)?] = []) -> [ObjectID] {
        var isListedAt = store.packs.map { [Bool](repeating: false, count: $0.entries.count) }
        for case let place? in listedAt { isListedAt[place.pack][place.entry] = true }
        var found = Set<ObjectID>()
        let (packed, unknown) = store.entries(ofKind: .blob)
        for place in packed where !isListedAt[Int(place.pack)][Int(place.entry)] {
            let id = store.packs[Int(place.pack)].id(ofEntry: Int(place.entry))
            if !listed.contains(id) { found.insert(id) }
        }
        for id in unknown + loose where !listed.contains(id) && !found.contains(id) && repository.objectKind(id) == 3 { found.insert(id) }
        return found.sorted()
    }
}
