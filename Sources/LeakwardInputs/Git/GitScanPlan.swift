import LeakwardModel
import LeakwardSupport
import Synchronization

/// What a history scan will read, worked out before any matching worker starts (the walk
/// itself runs on every core through `Parallel`, see `BlobInventory.walking`): the
/// unique blobs of the selected commits (each once, by object id), the commits whose messages
/// are scanned, and for staged and range scans the older blob each new one is compared with,
/// so only added lines are reported.
struct GitScanPlan: Sendable {
    typealias Selection = GitSelection

    struct Entry: Sendable {
        var id: ObjectID
        /// Relative to the repository's top, with `pathPrefix` in front; "" for a commit message.
        var path: String
        var kind: Kind

        enum Kind: Sendable {
            /// A blob some selected commit holds, at `path`.
            case blob
            /// A commit whose message is scanned, not a blob.
            case commitMessage
            /// A blob no commit holds (no path is known).
            case unreachableBlob
        }
    }

    var gitDirectory = ""
    /// The repository as shown in origins (a submodule's superproject for submodules).
    var root = ""
    /// Put before every path (a submodule's path in its superproject, ending in `/`).
    var pathPrefix = ""
    var entries: [Entry] = []
    /// New blob → the blob it replaced at the same path; lines already there are not reported
    /// (staged and range scans).
    var baselines: [ObjectID: ObjectID] = [:]
    /// Blob → the blob its pack stores it as a delta of (same path), in full-history scans:
    /// only what the delta changed (plus a margin) is matched, and a blob whose base had
    /// findings is matched again in full, so every blob holding a secret is still known.
    var deltaBases = ObjectIDMap<ObjectID>(capacity: 1)
    /// The values of `deltaBases`, for the workers' cheap lookups. (Which blobs are built on
    /// a given one is worked out from `entries` when a rescan asks: a table of it cost 40 MB
    /// on a 290,000-blob history.)
    var deltaBaseIDs = ObjectIDMap<Bool>(capacity: 1)
    /// The entries matched against a base, by the base's first 64 bits: `dependentIndices[i]`
    /// is an index into `entries` whose base starts with `dependentHighs[i]` (sorted by those
    /// bits, then by index), so a rescan round finds a base's dependents by a binary search
    /// instead of a hash of every entry. 12 bytes per delta-matched blob.
    var dependentHighs: [UInt64] = []
    var dependentIndices: [UInt32] = []
    /// The selected commits; empty for staged scans.
    var graph = CommitGraph()
    /// Their messages, as the commit table read them (empty when it did not).
    var messages = KeptMessages()
    /// Every tree the walk read, with a filter of the blobs under it (for provenance).
    var trees = TreeSummaries()
    /// The repository's packs, read directly by the workers; nil for staged scans.
    var packs: PackStore?
    /// Every blob id listed (for provenance and working-tree joins).
    var blobs = Set<ObjectID>()
    /// The blobs of HEAD's tree, when provenance will tell which sightings are in HEAD (every
    /// selection but `--staged`): config-check patterns run only on those, since problems in a
    /// file since fixed are dropped (`ConfigFindings.settle`). Nil: every blob is checked.
    var headBlobs: Set<ObjectID>?
    var issues: [ScanIssue] = []
    /// Blobs not listed because the config's allowlist paths name the path they were seen at.
    var allowlisted = 0
    /// Why nothing could be planned at all (the repository does not open, a revision does not resolve).
    var fatalProblem: String?
    /// What each step of planning cost (`--verbose`).
    var timings = ScanTimings()

    init() {}

    /// Walks the repository at `path`. Never throws: an unreadable repository is one recorded error.
    init(repositoryPath path: String, selection: Selection, scansMessages: Bool, partialMatching: PartialMatching,
         root: String? = nil, pathPrefix: String = "", followsSubmodules: Bool = false, includesUnreachable: Bool = false,
         workers: Int = ProcessInfoCores.workerCount,
         isCancelled: @escaping @Sendable () -> Bool = { false },
         progress: (@Sendable (ScanProgress) -> Void)? = nil, isExcluded: (String) -> Bool) {
        self.root = root ?? path
        self.pathPrefix = pathPrefix
        let repository: GitRepository
        do {
            repository = try GitRepository(path: path)
        } catch {
            issues.append(ScanIssue(path: path, level: .error, stage: .git, reason: "\(error)"))
            fatalProblem = "\(error)"
            return
        }
        gitDirectory = repository.gitDirectory
        switch selection {
        case .staged:
            planStaged(repository, isExcluded: isExcluded)
            return
        case .allRefs, .refs, .range:
            break
        }
        var tips: [(name: String, id: ObjectID)] = []
        var excluded = Set<ObjectID>()
        do {
            switch selection {
            case .allRefs:
                let refs = try repository.references()
                tips = refs.commits
                if let problem = repository.headProblem {
                    issues.append(ScanIssue(path: "HEAD", level: .error, stage: .git,
                                            reason: "HEAD does not name a commit (damaged repository?): \(problem); "
                                                + "the refs were scanned, but no finding can say whether it is still in HEAD"))
                }
                for name in refs.unpeelable {
                    issues.append(ScanIssue(path: name, level: .skipped, stage: .git, reason: "ref does not point at a commit"))
                }
            case .refs(let names):
                tips = try names.map { ($0, try repository.resolveCommit($0)) }
            case .range(let base, let tip):
                tips = [(tip, try repository.resolveCommit(tip))]
                excluded = CommitGraph.ancestors(of: [try repository.resolveCommit(base)], in: repository)
            case .staged:
                break
            }
        } catch {
            issues.append(ScanIssue(path: path, level: .error, stage: .git, reason: "\(error)"))
            fatalProblem = "\(error)"
            return
        }
        timings.lap("refs", phase: .walkingHistory, note: "\(tips.count) tips")
        // Reading the commits is part of walking the history: said from the start, with a count.
        progress?(ScanProgress(phase: .walkingHistory))
        let counted = { (commits: Int) -> Void in progress?(ScanProgress(phase: .walkingHistory, done: commits)) }
        let store = PackStore(objectsDirectory: repository.objectsDirectory, workers: workers)
        timings.lap("pack headers", phase: .walkingHistory)
        if case .allRefs = selection {
            // Every commit is about to be read: all at once from the packs, on every worker.
            repository.commitTable = CommitTable.reading(store, workers: workers, keepsMessages: scansMessages, isCancelled: isCancelled)
            timings.lap("commit table", phase: .walkingHistory)
        }
        defer { repository.commitTable = nil }
        // Every object, not only what the refs reach: commits no ref reaches are walked after
        // the rest (their tips named `unreachable:<id>`), so their blobs are listed too.
        let readsUnreachable: Bool
        if includesUnreachable, case .allRefs = selection { readsUnreachable = true } else { readsUnreachable = false }
        let findCommits = {
            GitScanPlan.commits(repository: repository, tips: tips, excluded: excluded, readsUnreachable: readsUnreachable,
                                store: store, isCancelled: isCancelled, counted: counted)
        }
        var found: Commits
        var side: PackSide?
        if case .allRefs = selection {
            // The graph is one thread's work, and so is copying the packs' trees out: side by
            // side (one after the other, a core idled through about 0.4 s of a Rails plan). The
            // graph stays on this thread, with the repository and the commit table. (The packs'
            // ranks for the matching order were made beside it too, but their 25 MB of
            // temporaries, freed in the worker's heap, stayed resident through matching: a Rails
            // mirror's peak rose by 30-60 MiB.)
            let both = Parallel.beside(workers: workers, {
                PackSide(trees: PackedTrees(store: store, workers: 1))
            }, while: findCommits)
            side = both.side
            found = both.main
            timings.lap("commit graph", phase: .walkingHistory,
                        note: "\(found.reachable) commits, \(found.unreachableTips) unreachable tips; "
                            + "beside it, \((side?.trees?.byteCount ?? 0) >> 20) MiB of trees copied")
        } else {
            found = findCommits()
            timings.lap("commit graph", phase: .walkingHistory, note: "\(found.graph.nodes.count) commits")
        }
        graph = found.graph
        found.graph = CommitGraph()   // the plan's is the one copy
        // An interrupt while planning: nothing is listed, and the scan reports itself incomplete.
        if isCancelled() {
            issues += graph.issues
            graph = CommitGraph()
            return
        }

        packs = store
        for problem in store.problems {
            issues.append(ScanIssue(path: problem, level: .skipped, stage: .git,
                                    reason: "pack not readable directly; its objects are read through libgit2"))
        }
        let loose = found.loose
        let reachableCommits = found.reachable
        issues += graph.issues
        if scansMessages, let table = repository.commitTable {
            var kept = table.messages
            kept.index(graph) { table.slot(of: $0) }
            messages = KeptMessages(kept)
        }
        repository.commitTable = nil   // its commits are in the graph now
        let commits = graph.nodes.count
        progress?(ScanProgress(phase: .walkingHistory, done: 0, total: commits))
        var isRange = false
        if case .range = selection { isRange = true }
        repository.packReader = try? PackReader(store: store, cacheBudget: PackReader.treeCacheBudget)
        var inventory = BlobInventory()
        if !isRange {
            var walked: (@Sendable (Int) -> Void)?
            if let progress { walked = { @Sendable done in progress(ScanProgress(phase: .walkingHistory, done: done, total: commits)) } }
            // A whole history reads every tree of the packs: their stored bytes are copied out
            // at once (`PackedTrees`), for the walk only: let go as soon as the last stage is
            // walked, before its merge, where the walk's memory peaks (by 89 MiB more on Rails
            // while they were held).
            let packedTrees = Mutex(side == nil ? PackedTrees(store: store, workers: workers) : side?.trees)
            side?.trees = nil   // one reference, the walk's, so `lastStageWalked` lets them go
            if side == nil, let bytes = packedTrees.withLock({ $0?.byteCount }) {
                timings.lap("trees copied", phase: .walkingHistory, note: "\(bytes >> 20) MiB")
            }
            repository.packReader = try? PackReader(store: store, cacheBudget: PackReader.treeCacheBudget,
                                                    packedTrees: packedTrees.withLock { $0 })
            // The unreachable commits branch off anywhere in the history: walked once the
            // reachable ones are merged, against those (see `walking`).
            inventory = BlobInventory.walking(graph.nodes.map(\.tree), workers: workers, in: repository,
                                              laterStage: reachableCommits, isCancelled: isCancelled, progress: walked,
                                              lastStageWalked: {
                packedTrees.withLock { $0 = nil }
                repository.packReader = try? PackReader(store: store, cacheBudget: PackReader.treeCacheBudget)
            }, lap: { step, note in timings.lap(step, phase: .walkingHistory, note: note.isEmpty ? nil : note) }) {
                let handle = try? GitRepository(path: path)
                handle?.packReader = try? PackReader(store: store, cacheBudget: PackReader.treeCacheBudget,
                                                     packedTrees: packedTrees.withLock { $0 })
                return handle
            }
        }
        if !excluded.isEmpty {
            // The base side of a range is known already: walk the trees where the range starts.
            for node in graph.nodes {
                for parent in (try? repository.commit(node.id).parents) ?? [] where excluded.contains(parent) {
                    if let record = try? repository.commit(parent) { inventory.markKnown(tree: record.tree, in: repository) }
                }
            }
        }
        for (index, node) in graph.nodes.enumerated() where isRange {
            let before = inventory.items.count
            inventory.add(tree: node.tree, commit: index, in: repository)
            guard inventory.items.count > before,
                  let parent = try? repository.commit(node.id).parents.first,
                  let parentTree = try? repository.commit(parent).tree else { continue }
            for item in inventory.items[before...] {
                guard let old = repository.blob(atPath: item.path, inTree: parentTree), old != item.id else { continue }
                baselines[item.id] = old
            }
        }
        timings.lap("history walk", phase: .walkingHistory, note: "\(inventory.items.count) blobs, \(inventory.trees.count) trees")
        if isCancelled() { graph = CommitGraph(); return }
        headBlobs = GitScanPlan.blobs(ofHEAD: repository)
        issues += inventory.issues
        trees = inventory.trees
        for path in inventory.submodules.sorted() where !followsSubmodules {
            issues.append(ScanIssue(path: shown(path), level: .skipped, stage: .git,
                                    reason: "submodule not followed (--recurse-submodules scans it)"))
        }
        blobs.reserveCapacity(inventory.items.count)
        entries.reserveCapacity(inventory.items.count + (scansMessages ? graph.nodes.count : 0))
        for item in inventory.items {
            let path = pathPrefix + item.path
            if isExcluded(path) {
                allowlisted += 1
                continue
            }
            blobs.insert(item.id)
            entries.append(Entry(id: item.id, path: path, kind: .blob))
        }
        timings.lap("blob list", phase: .walkingHistory, note: "HEAD's blobs, allowlisted paths")
        var located = entries.map { store.locate($0.id) }
        timings.lap("blobs located", phase: .walkingHistory)
        if readsUnreachable {
            // Blobs no commit holds at all: no path is known, only the id. With no allowlisted
            // path, the listed blobs are `blobs` already (a second set of 290,000 ids on Rails).
            let listed = allowlisted == 0 ? blobs : Set(inventory.items.map(\.id))
            for id in UnreachableObjects.danglingBlobs(store: store, repository: repository, loose: loose, listed: listed,
                                                       listedAt: located) {
                blobs.insert(id)
                entries.append(Entry(id: id, path: "", kind: .unreachableBlob))
                located.append(store.locate(id))
            }
            timings.lap("unreachable blobs", phase: .walkingHistory)
        }
        let order = GitScanPlan.packOrder(located, ranks: store.rebuildRanks())
        timings.lap("pack order", phase: .walkingHistory)
        var pairs: [(blob: Int32, base: ObjectID)] = []
        if !isRange && partialMatching.isEnabled {
            pairs = planDeltaBases(located, store: store, partialMatching: partialMatching, workers: workers)
        }
        entries = order.map { entries[$0] }
        timings.lap("delta bases", phase: .walkingHistory, note: "\(deltaBases.count) of \(entries.count) blobs matched in part")
        indexDependents(pairs, order: order)
        if scansMessages {
            for node in graph.nodes {
                entries.append(Entry(id: node.id, path: "", kind: .commitMessage))
            }
        }
        timings.lap("dependents index", phase: .walkingHistory)
    }

    /// The packs' side of a whole history's plan, made beside its commit graph.
    private struct PackSide: Sendable {
        /// The packs' trees copied out (`PackedTrees`; nil past its budget).
        var trees: PackedTrees?
    }

    /// The selected commits, and with `readsUnreachable` those no ref reaches after them.
    private struct Commits {
        var graph: CommitGraph
        /// How many of `graph`'s commits the refs reach (they come first).
        var reachable: Int
        var loose: [ObjectID] = []
        var unreachableTips = 0
    }

    private static func commits(repository: GitRepository, tips: [(name: String, id: ObjectID)], excluded: Set<ObjectID>,
                                readsUnreachable: Bool, store: PackStore, isCancelled: @escaping @Sendable () -> Bool,
                                counted: (Int) -> Void) -> Commits {
        var graph = CommitGraph(repository: repository, tips: tips, excluded: excluded, isCancelled: isCancelled, counted: counted)
        var found = Commits(graph: CommitGraph(), reachable: graph.nodes.count)
        // An interrupt: the caller drops the graph.
        if readsUnreachable, !isCancelled() {
            found.loose = repository.looseObjectIDs()
            let unreachable = UnreachableObjects(store: store, repository: repository, loose: found.loose, reachable: graph)
            graph.extend(repository: repository, tips: unreachable.heads.map { (RefSummary.unreachableName(of: $0), $0) },
                         areUnreachable: true, isCancelled: isCancelled, counted: counted)
            found.unreachableTips = unreachable.heads.count
        }
        found.graph = graph
        return found
    }

    /// Every blob id under HEAD's tree (empty when HEAD names no commit: then no sighting is in HEAD).
    static func blobs(ofHEAD repository: GitRepository) -> Set<ObjectID> {
        guard let head = repository.headCommit(), let tree = try? repository.commit(head).tree else { return [] }
        var found = Set<ObjectID>()
        var seen = Set<ObjectID>()
        var stack = [tree]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            try? repository.forEachEntry(ofTree: next) { _, id, kind in
                switch kind {
                case .blob: found.insert(id)
                case .tree: stack.append(id)
                case .submodule, .other: break
                }
            }
        }
        return found
    }

    /// Indices of blobs in the order their packs rebuild them (each delta right after its
    /// base, depth first), so a worker taking a batch usually holds the base already; blobs
    /// in no pack last, in listing order. Each entry's rank is its own (no two entries share a
    /// place), so the indices are laid out at their ranks instead of sorted.
    private static func packOrder(_ located: [(pack: Int, entry: Int)?], ranks: [[Int32]]) -> [Int] {
        var atRank = [Int32](repeating: -1, count: ranks.reduce(0) { $0 + $1.count })
        var unplaced: [Int] = []
        for (i, place) in located.enumerated() {
            guard let place else { unplaced.append(i); continue }
            let rank = Int(ranks[place.pack][place.entry])
            guard atRank[rank] < 0 else { return sortedOrder(located, ranks: ranks) }   // never: ids are listed once
            atRank[rank] = Int32(i)
        }
        var order: [Int] = []
        order.reserveCapacity(located.count)
        for i in atRank where i >= 0 { order.append(Int(i)) }
        return order + unplaced
    }

    /// `packOrder` by a sort: rank, then listing order.
    private static func sortedOrder(_ located: [(pack: Int, entry: Int)?], ranks: [[Int32]]) -> [Int] {
        let keys = located.map { $0.map { Int(ranks[$0.pack][$0.entry]) } ?? Int.max }
        return keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
    }

    /// Blobs stored as a delta of a blob listed at the same path are matched only where they
    /// changed, when `partialMatching` suits their path (`entries` still in listing order,
    /// `located` alongside). The blobs are judged in pieces on every core (each piece asks
    /// `partialMatching` once per path; the lookups are cache misses, 290,000 of each on Rails,
    /// where this took half a second of one core); the pairs are added in listing order and
    /// returned (blob by listing index).
    /// A delta's base is in its own pack: the listed blob there is found by its place (a flat
    /// table per pack, no hashing of 290,000 ids); an id listed at its place in another pack
    /// (a repository with several packs may hold an object twice) is looked up by id.
    private mutating func planDeltaBases(_ located: [(pack: Int, entry: Int)?], store: PackStore, partialMatching: PartialMatching,
                                         workers: Int) -> [(blob: Int32, base: ObjectID)] {
        var listedAt = store.packs.map { [Int32](repeating: -1, count: $0.entries.count) }
        for (i, place) in located.enumerated() {
            if let place { listedAt[place.pack][place.entry] = Int32(i) }
        }
        var entryOf = ObjectIDMap<Int>(capacity: 1)
        if store.packs.count > 1 {
            entryOf = ObjectIDMap<Int>(capacity: entries.count)
            for (i, entry) in entries.enumerated() { entryOf[entry.id] = i }
        }
        let entries = self.entries, listed = entryOf, byPlace = listedAt
        let segments = Parallel.segments(of: located.count, workers: workers, minimumLength: 16_384)
        let parts = Parallel.run(pieces: segments.count, workers: workers, start: { [(piece: Int, pairs: [(blob: Int32, base: ObjectID)])]() },
                                 piece: { found, piece in
            var suits: [String: Bool] = [:]   // many blobs are versions of one path
            var pairs: [(blob: Int32, base: ObjectID)] = []
            for i in segments[piece] {
                guard let place = located[i] else { continue }
                let stored = store.packs[place.pack].entries[place.entry]
                guard stored.base >= 0 else { continue }
                let base = store.packs[place.pack].id(ofEntry: Int(stored.base))
                let entry = entries[i]
                var at = Int(byPlace[place.pack][Int(stored.base)])
                if at < 0, let elsewhere = listed[base] { at = elsewhere }
                guard at >= 0, entries[at].path == entry.path else { continue }
                let partial = suits[entry.path] ?? partialMatching.suits(path: entry.path)
                suits[entry.path] = partial
                guard partial else { continue }
                pairs.append((Int32(i), base))
            }
            found.append((piece, pairs))
        }, finish: { $0 })
        let pairs = parts.flatMap { $0 }.sorted { $0.piece < $1.piece }.flatMap(\.pairs)
        deltaBases = ObjectIDMap(capacity: pairs.count)
        deltaBaseIDs = ObjectIDMap(capacity: pairs.count)
        for (blob, base) in pairs {
            deltaBases[entries[Int(blob)].id] = base
            deltaBaseIDs[base] = true
        }
        return pairs
    }

    /// Fills `dependentHighs` and `dependentIndices` from the delta-matched blobs `pairs` (by
    /// listing index), now at their places in `order` (entries in their final order).
    private mutating func indexDependents(_ pairs: [(blob: Int32, base: ObjectID)], order: [Int]) {
        guard !pairs.isEmpty else { return }
        var placeOf = [UInt32](repeating: 0, count: order.count)
        for (i, listed) in order.enumerated() { placeOf[listed] = UInt32(i) }
        // Listed blobs only: a blob no commit holds has no path to be matched by.
        var index = pairs.map { (high: $0.base.high, index: placeOf[Int($0.blob)]) }.filter { entries[Int($0.index)].kind == .blob }
        index.sort { ($0.high, $0.index) < ($1.high, $1.index) }
        dependentHighs = index.map(\.high)
        dependentIndices = index.map(\.index)
    }

    /// The blobs stored as deltas of `bases` and matched only where they changed, with their
    /// paths, base by base (in id order), each base's in listing order.
    func dependents(of bases: Set<ObjectID>) -> [(id: ObjectID, path: String)] {
        guard !bases.isEmpty, deltaBases.count > 0 else { return [] }
        var found: [(id: ObjectID, path: String)] = []
        for base in bases.sorted() {
            // The first pair with the base's first 64 bits, then every pair with them.
            var low = 0, high = dependentHighs.count
            while low < high {
                let middle = (low + high) / 2
                if dependentHighs[middle] < base.high { low = middle + 1 } else { high = middle }
            }
            while low < dependentHighs.count, dependentHighs[low] == base.high {
                let entry = entries[Int(dependentIndices[low])]
                if deltaBases[entry.id] == base { found.append((entry.id, entry.path)) }
                low += 1
            }
        }
        return found
    }

    /// Where an entry's findings are: a history blob at its path, a commit's message, or a
    /// blob no commit holds.
    func origin(of entry: Entry) -> Origin {
        switch entry.kind {
        case .blob: .history(root: root, path: entry.path)
        case .commitMessage: .commitMessage(root: messageRoot, commit: entry.id)
        case .unreachableBlob: .unreachableBlob(root: messageRoot, blob: entry.id)
        }
    }

    /// The repository a commit message or unreachable blob belongs to, as shown: a submodule's own directory.
    var messageRoot: String {
        pathPrefix.isEmpty ? root : Origin.history(root: root, path: String(pathPrefix.dropLast())).displayPath
    }

    /// The display path of `path` in this repository (for issues).
    func shown(_ path: String) -> String { Origin.history(root: root, path: pathPrefix + path).displayPath }

    /// Index entries whose blob differs from HEAD's at the same path; no history is walked.
    private mutating func planStaged(_ repository: GitRepository, isExcluded: (String) -> Bool) {
        let headTree = repository.headCommit().flatMap { try? repository.commit($0).tree }
        let index: [(path: String, id: ObjectID, isSubmodule: Bool)]
        do {
            index = try repository.indexEntries()
        } catch {
            issues.append(ScanIssue(path: repository.gitDirectory, level: .error, stage: .git, reason: "\(error)"))
            return
        }
        var listed = Set<ObjectID>()
        for entry in index {
            let old = headTree.flatMap { repository.blob(atPath: entry.path, inTree: $0) }
            guard old != entry.id else { continue }
            if entry.isSubmodule {
                issues.append(ScanIssue(path: shown(entry.path), level: .skipped, stage: .git, reason: "submodule not followed"))
                continue
            }
            if isExcluded(entry.path) {
                allowlisted += 1
                continue
            }
            if !listed.insert(entry.id).inserted { continue }
            if let old { baselines[entry.id] = old }
            blobs.insert(entry.id)
            entries.append(Entry(id: entry.id, path: pathPrefix + entry.path, kind: .blob))
        }
    }
}
