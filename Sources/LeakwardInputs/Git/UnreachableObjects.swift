import LeakwardModel

/// Objects in the store that no ref reaches: commits of force-pushed or deleted branches and
/// of pull requests whose refs were not fetched or were dropped, and blobs no commit holds
/// (staged then reset, left behind by a rewrite), until garbage collection removes them.
/// Hosting services keep serving such commits by id, so their secrets are as public as any.
struct UnreachableObjects {
    /// Unreachable commits that no other unreachable commit has as a parent: walking from
    /// them reaches every unreachable commit.
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
        var parents = Set<ObjectID>()
        for id in commits { parents.formUnion((try? repository.commit(id).parents) ?? []) }
        heads = commits.filter { !parents.contains($0) }.sorted()
        commitCount = commits.count
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
