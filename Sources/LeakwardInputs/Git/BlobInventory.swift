import LeakwardModel
import LeakwardSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The unique blobs of a set of commits, found by walking their trees once each: a tree id
/// seen before is skipped whole, so a history of thousands of commits costs about as much as
/// its distinct trees. Each blob keeps the first path it was seen at and the commit whose
/// tree showed it first.
struct BlobInventory: Sendable {
    struct Item: Sendable {
        var id: ObjectID
        var path: String
        /// Index in the commit graph of the commit that showed the blob first.
        var commit: Int
    }

    private(set) var items: [Item] = []
    private(set) var known = ObjectIDMap<Bool>(capacity: 1 << 14)
    /// Every tree walked, with its subtrees and the blobs directly in it (as a change from an
    /// earlier version of its directory): provenance later reads only the trees that may hold
    /// a blob with findings directly.
    private(set) var trees = TreeSummaries()
    /// Submodule paths (gitlinks) met, each once.
    private(set) var submodules = Set<String>()
    private(set) var issues: [ScanIssue] = []
    /// Ids this walker met lately, direct-mapped by their middle bits: blobs already in
    /// `known`, and subtrees with their slot. The next version of a directory repeats almost
    /// all of its entries, so most entries are answered here, in a few hundred KiB that stay
    /// in cache, instead of by a probe of the big maps (a cache miss each, for 20 million
    /// entries on a Rails history). Only ever a shortcut: a miss asks the maps.
    private var recentBlobs = [ObjectID](repeating: BlobInventory.none, count: BlobInventory.recentCount)
    private var recentTrees = [ObjectID](repeating: BlobInventory.none, count: BlobInventory.recentCount)
    private var recentTreeSlots = [Int32](repeating: -1, count: BlobInventory.recentCount)
    private static let recentCount = 1 << 14
    private static let none = ObjectID(high: 0, middle: 0, low: 0)
    /// The last tree this walker summarised at each directory path (by `pathKey`): the next
    /// version there is summarised as what it adds and removes (`TreeSummaries`), and compared
    /// with it entry by entry, so what it repeats needs no lookup.
    private var lastAtPath: [UInt64: LastTree] = [:]
    /// The lists of the `LastTree`s replaced in `lastAtPath`, emptied with their room kept:
    /// the next trees' lists are made in them. Each tree walked allocated and freed its lists
    /// (three, and the names' buffer, regrown name by name): 820,000 trees on a Rails history,
    /// where the allocator's calls were an eighth of the walk's CPU.
    private var spareLists: [(blobs: [UInt64], entryStarts: [Int32], entrySlots: [Int32])] = []
    /// The subtree names' buffer (`TreeVisit.names`), lent to each tree until its name list is made.
    private var spareNames: [UInt8] = []
    /// What earlier stages of a walk settled (merged from every worker), read only: a tree or
    /// blob in it is seen already. Its trees keep their slots; this walker's own are numbered
    /// after them (`TreeSummaries.firstSlot`).
    private var settled: Settled?

    /// The merged blob set and tree summaries of the stages walked before, shared read-only by
    /// the workers of a later stage.
    struct Settled: Sendable {
        let known: ObjectIDMap<Bool>
        let trees: TreeSummaries
    }

    /// A tree as the next version of its directory is compared with it.
    private struct LastTree {
        var slot: Int32
        /// The first 64 bits of its blobs' ids, sorted and distinct.
        var blobs: [UInt64]
        /// Its subtree names' list, which the next version almost always repeats.
        var names: Int32
        /// Its raw bytes (empty when no pack held it whole), where each entry starts in them, and
        /// each entry's subtree slot (-1 for anything else). A commit changes an entry or two of a
        /// directory; the entries both versions hold (the same bytes at an entry's start) are a
        /// blob already known and a subtree whose slot is here, so only the changed ones cost a
        /// probe of the big maps (a cache miss each, for 20 million entries on a Rails history).
        var bytes: [UInt8]
        var entryStarts: [Int32]
        var entrySlots: [Int32]
    }

    /// A directory path's key in `lastAtPath`: its FNV-1a hash. Two paths sharing one only make
    /// a poorer base: a change is exact from any base, and an entry counts as repeated only
    /// when the other tree holds that very entry.
    private static func pathKey(_ path: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    init() {}

    /// A walker that sees everything in `settled` as seen already.
    init(after settled: Settled) {
        self.settled = settled
        trees = TreeSummaries(after: settled.trees)
    }

    private static func recentSlot(_ id: ObjectID) -> Int { Int(truncatingIfNeeded: id.middle) & (recentCount - 1) }

    /// The slot of tree `id` when it was walked already.
    private mutating func slot(ofTree id: ObjectID) -> Int32? {
        let r = BlobInventory.recentSlot(id)
        if recentTrees[r] == id, id != BlobInventory.none { return recentTreeSlots[r] }
        guard let slot = settled?.trees.slot(of: id) ?? trees.slot(of: id) else { return nil }
        recentTrees[r] = id
        recentTreeSlots[r] = slot
        return slot
    }

    /// Adds blob `id` to `known`; true when it was not known before.
    private mutating func isNew(blob id: ObjectID) -> Bool {
        let r = BlobInventory.recentSlot(id)
        if recentBlobs[r] == id, id != BlobInventory.none { return false }
        recentBlobs[r] = id
        if let settled, settled.known[id] != nil { return false }
        return known.insert(id, true)
    }

    /// Marks everything under `tree` as already known: its blobs are not listed later.
    mutating func markKnown(tree: ObjectID, in repository: GitRepository) {
        var ignored: [Item] = []
        walk(tree, prefix: [], commit: -1, repository: repository, into: &ignored, listing: false)
    }

    /// Lists the blobs of `tree` not known yet, attributing them to `commit`.
    mutating func add(tree: ObjectID, commit: Int, in repository: GitRepository) {
        var found: [Item] = []
        walk(tree, prefix: [], commit: commit, repository: repository, into: &found, listing: true)
        items += found
    }

    /// The inventory of `trees` (one per commit, parents first) walked in segments on up to
    /// `workers` threads, each with its own repository handle from `open`. Equal to adding
    /// them in order on one thread: a blob's first commit and path are those of the first
    /// segment that lists it, and within it, of the first commit whose tree holds the blob —
    /// a subtree a worker skips as seen holds only blobs listed before, so skipping never
    /// changes where a new blob is met first.
    /// The commits from `laterStage` on (those no ref reaches: each branches off anywhere in
    /// the history) are walked once the ones before are merged, against that merged state read
    /// only: a worker then reads only the trees that no earlier commit holds, where on its own
    /// it would read again every tree of the eras the other workers walked.
    /// Segments are at least `segmentLength` commits long. `lastStageWalked` is called once the last
    /// stage is walked, before it is merged (where the walk's memory peaks): what only the
    /// walkers needed can be let go there.
    static func walking(_ trees: [ObjectID], workers: Int, in repository: GitRepository, segmentLength: Int = 256,
                        laterStage: Int? = nil,
                        isCancelled: @escaping @Sendable () -> Bool = { false },
                        progress: (@Sendable (_ commits: Int) -> Void)? = nil,
                        lastStageWalked: () -> Void = {},
                        lap: (_ step: String, _ note: String) -> Void = { _, _ in },
                        open: @Sendable () -> GitRepository?) -> BlobInventory {
        let split = min(max(laterStage ?? trees.count, 0), trees.count)
        var merged = BlobInventory()
        var issues = Set<ScanIssue>()
        var isFirst = true
        for stage in [0..<split, split..<trees.count] where !stage.isEmpty || (isFirst && trees.isEmpty) {
            // Each segment costs one extra full snapshot; shrinking ones end the stage together.
            let segments = Parallel.shrinkingSegments(of: stage.count, workers: workers, minimumLength: segmentLength)
                .map { stage.lowerBound + $0.lowerBound..<stage.lowerBound + $0.upperBound }
            let before = stage.lowerBound
            let finished: (@Sendable (Int) -> Void)?
            if let progress {
                // Segments are taken in order and the first are the longest: `done` finished
                // ones are about the first `done`.
                let walked = segments.map { $0.upperBound - before }
                finished = { @Sendable done in progress(before + (done > 0 ? walked[min(done, walked.count) - 1] : 0)) }
            } else {
                finished = nil
            }
            var walks = walkStage(segments, trees: trees, workers: workers, in: repository,
                                  settled: isFirst ? nil : Settled(known: merged.known, trees: merged.trees),
                                  isCancelled: isCancelled, finished: finished, open: open)
            if stage.upperBound == trees.count { lastStageWalked() }
            lap(isFirst ? "refs' commits walked" : "unreachable commits walked", "\(stage.count) commits, \(segments.count) segments")
            // Memory is released as soon as each part is merged: the walkers' blob sets first
            // (only the walk needed them), then their lists and their trees, merged into the
            // walker that read the most of them (the first stage) or into the settled ones.
            var listedCount = 0
            for w in walks.indices {
                walks[w].inventory.known = ObjectIDMap(capacity: 1)
                walks[w].inventory.settled = nil   // the merge below must not copy what it extends
                walks[w].inventory.lastAtPath = [:]
                walks[w].inventory.spareLists = []
                walks[w].inventory.spareNames = []
                merged.submodules.formUnion(walks[w].inventory.submodules)
                issues.formUnion(walks[w].inventory.issues)
                listedCount += walks[w].inventory.items.count
            }
            if isFirst { merged.known = ObjectIDMap(capacity: listedCount) }
            merged.items.reserveCapacity(merged.items.count + listedCount)
            let order = walks.indices.flatMap { w in walks[w].listed.map { (segment: $0.segment, walk: w, items: $0.items) } }
                .sorted { $0.segment < $1.segment }
            // Each table has one owner while it is extended, so merging never copies it.
            var base: TreeSummaries
            var others: [TreeSummaries] = []
            if isFirst {
                let largest = walks.indices.max { walks[$0].inventory.trees.count < walks[$1].inventory.trees.count }!
                base = BlobInventory.take(&walks[largest].inventory.trees, leaving: TreeSummaries())
                for w in walks.indices where w != largest { others.append(BlobInventory.take(&walks[w].inventory.trees, leaving: TreeSummaries())) }
            } else {
                base = BlobInventory.take(&merged.trees, leaving: TreeSummaries())
                for w in walks.indices { others.append(BlobInventory.take(&walks[w].inventory.trees, leaving: TreeSummaries())) }
            }
            let listing = Mutex((known: BlobInventory.take(&merged.known, leaving: ObjectIDMap(capacity: 1)),
                                 items: BlobInventory.take(&merged.items, leaving: [])))
            let summaries = Mutex(BlobInventory.take(&base, leaving: TreeSummaries()))
            let walked = BlobInventory.take(&walks, leaving: []), parts = BlobInventory.take(&others, leaving: [])
            // The blob lists and the tree summaries are independent: merged side by side, one on
            // each of two workers (one after the other, they took about 0.45 s of one core on a
            // Rails history while the other waited).
            _ = Parallel.run(pieces: 2, workers: min(workers, 2), start: {}, piece: { _, piece in
                if piece == 0 {
                    listing.withLock { listing in
                        for (_, w, range) in order {
                            for item in walked[w].inventory.items[range] where listing.known.insert(item.id, true) {
                                listing.items.append(item)
                            }
                        }
                    }
                } else {
                    summaries.withLock { trees in
                        for part in parts { trees.merge(part) }
                    }
                }
            }, finish: { _ in 0 })
            listing.withLock { listing in
                merged.known = BlobInventory.take(&listing.known, leaving: ObjectIDMap(capacity: 1))
                merged.items = BlobInventory.take(&listing.items, leaving: [])
            }
            merged.trees = summaries.withLock { BlobInventory.take(&$0, leaving: TreeSummaries()) }
            if stage.upperBound < trees.count { lap("walks merged", "") }
            isFirst = false
        }
        merged.known = ObjectIDMap(capacity: 1)
        merged.issues = issues.sorted()
        return merged
    }

    /// `value`, replaced by `empty`: the one reference to a table being handed on, so the next
    /// owner extends it in place instead of copying it.
    private static func take<T>(_ value: inout T, leaving empty: T) -> T {
        var taken = empty
        swap(&taken, &value)
        return taken
    }

    /// One stage of `walking`: its segments on the workers (each walker seeing `settled` as
    /// seen), and here those whose worker could not open the repository.
    private static func walkStage(_ segments: [Range<Int>], trees: [ObjectID], workers: Int, in repository: GitRepository,
                                  settled: Settled?, isCancelled: @escaping @Sendable () -> Bool,
                                  finished: (@Sendable (Int) -> Void)?,
                                  open: @Sendable () -> GitRepository?) -> [SegmentWalk.Result] {
        let inventory: @Sendable () -> BlobInventory = { settled.map { BlobInventory(after: $0) } ?? BlobInventory() }
        var walks = Parallel.run(pieces: segments.count, workers: workers,
                                 start: { SegmentWalk(repository: open(), isCancelled: isCancelled, inventory: inventory()) },
                                 piece: { $0.walk(segment: $1, commits: segments[$1], trees: trees) },
                                 finish: { $0.result },
                                 finished: finished)
        // A worker that could not open the repository left its segments: walk them here.
        let done = Set(walks.flatMap { $0.listed.map(\.segment) })
        var rest = SegmentWalk(repository: repository, isCancelled: isCancelled, inventory: inventory())
        for (segment, commits) in segments.enumerated() where !done.contains(segment) {
            rest.walk(segment: segment, commits: commits, trees: trees)
        }
        walks.append(rest.result)
        return walks
    }

    /// One worker's share of a parallel walk: the segments it took, in increasing order.
    private struct SegmentWalk {
        struct Result: Sendable {
            var inventory: BlobInventory
            var listed: [(segment: Int, items: Range<Int>)]
        }

        let repository: GitRepository?
        let isCancelled: @Sendable () -> Bool
        var result: Result

        init(repository: GitRepository?, isCancelled: @escaping @Sendable () -> Bool, inventory: BlobInventory) {
            self.repository = repository
            self.isCancelled = isCancelled
            result = Result(inventory: inventory, listed: [])
        }

        mutating func walk(segment: Int, commits: Range<Int>, trees: [ObjectID]) {
            guard let repository else { return }
            let before = result.inventory.items.count
            for commit in commits {
                if isCancelled() { break }   // an interrupt: the plan is dropped anyway
                result.inventory.add(tree: trees[commit], commit: commit, in: repository)
            }
            result.listed.append((segment, before..<result.inventory.items.count))
        }
    }

    /// What the walk gathers from one tree's entries.
    private struct TreeVisit {
        let prefix: [UInt8]
        let commit: Int
        let listing: Bool
        var highs: [UInt64] = []
        var subtrees: [Int32] = []
        var unseen: [(at: Int, entry: Int, id: ObjectID, path: [UInt8])] = []
        /// The subtrees' names, each followed by a NUL, for provenance (`TreeSummaries.subtreeNames`).
        var names: [UInt8] = []
        var entryStarts: [Int32] = []
        var entrySlots: [Int32] = []
    }

    /// One entry of a tree; `repeated`, when not -1, is the same entry's index in the
    /// directory's last version (`previousSlots` its `entrySlots`).
    private mutating func visit(_ name: UnsafeBufferPointer<UInt8>, _ id: ObjectID, _ kind: GitRepository.EntryKind, repeated: Int,
                                previousSlots: [Int32], into visit: inout TreeVisit, found: inout [Item]) {
        switch kind {
        case .blob:
            visit.highs.append(id.high)
            if repeated < 0, isNew(blob: id), visit.listing {
                found.append(Item(id: id, path: BlobInventory.path(visit.prefix, name), commit: visit.commit))
            }
            visit.entrySlots.append(-1)
        case .tree:
            visit.names.append(contentsOf: name)
            visit.names.append(0)
            // Most subtrees of a commit are unchanged from its parent's: repeated from the
            // directory's last version or seen already, so they cost no path.
            if repeated >= 0 {
                visit.subtrees.append(previousSlots[repeated])
                visit.entrySlots.append(previousSlots[repeated])
            } else if let seen = slot(ofTree: id) {
                visit.subtrees.append(seen)
                visit.entrySlots.append(seen)
            } else {
                visit.unseen.append((visit.subtrees.count, visit.entrySlots.count, id, BlobInventory.directory(visit.prefix, name)))
                visit.subtrees.append(-1)
                visit.entrySlots.append(-1)
            }
        case .submodule:
            if visit.listing { submodules.insert(BlobInventory.path(visit.prefix, name)) }
            visit.entrySlots.append(-1)
        case .other:
            visit.entrySlots.append(-1)
        }
    }

    /// The path of entry `name` under directory `prefix`, as a String (each made once: the
    /// joined bytes were made into an array, then into the String).
    private static func path(_ prefix: [UInt8], _ name: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: prefix.count + name.count) { out in
            _ = out.initialize(from: prefix)
            _ = UnsafeMutableBufferPointer(rebasing: out[prefix.count...]).initialize(from: name)
            return prefix.count + name.count
        }
    }

    /// The prefix of the entries of subtree `name` under `prefix`: `prefix`, `name`, `/`, in
    /// one allocation (it was four).
    private static func directory(_ prefix: [UInt8], _ name: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var path: [UInt8] = []
        path.reserveCapacity(prefix.count + name.count + 1)
        path += prefix
        path += name
        path.append(UInt8(ascii: "/"))
        return path
    }

    /// Walks `tree` unless seen; returns its slot in `trees`.
    @discardableResult
    private mutating func walk(_ tree: ObjectID, prefix: [UInt8], commit: Int, repository: GitRepository,
                               into found: inout [Item], listing: Bool) -> Int32 {
        if let seen = slot(ofTree: tree) { return seen }
        let key = BlobInventory.pathKey(prefix)
        var previous = lastAtPath[key]
        var v = TreeVisit(prefix: prefix, commit: commit, listing: listing)
        if let spare = spareLists.popLast() { (v.highs, v.entryStarts, v.entrySlots) = spare }
        swap(&v.names, &spareNames)
        var isWhole = true   // a tree not read whole has no names list
        let bytes = repository.packedTreeBytes(tree)
        if let bytes {
            // An entry takes 24 bytes at least: room for all at once, not a regrowth per doubling.
            let most = bytes.count / 24 + 1
            v.highs.reserveCapacity(most)
            v.entryStarts.reserveCapacity(most)
            v.entrySlots.reserveCapacity(most)
            let old = previous?.bytes ?? []
            let starts = previous?.entryStarts ?? [], slots = previous?.entrySlots ?? []
            bytes.withUnsafeBufferPointer { new in
                old.withUnsafeBufferPointer { old in
                    guard let base = new.baseAddress else { return }   // the empty tree
                    let raw = UnsafeRawBufferPointer(new)
                    // Both versions are sorted by name (as git orders them): one pass over the
                    // previous version's entries alongside finds each entry it holds byte for byte.
                    var k = 0
                    var i = 0
                    while i < new.count {   // well-formed: `packedTreeBytes` checked
                        let start = i
                        var mode = 0
                        while base[i] != 0x20 { mode = mode << 3 | Int(base[i] - 0x30); i += 1 }
                        i += 1
                        let nameStart = i
                        while base[i] != 0 { i += 1 }
                        let name = UnsafeBufferPointer(start: base + nameStart, count: i - nameStart)
                        let id = ObjectID(rawBytes: raw, at: i + 1)
                        i += 21
                        let kind = GitRepository.entryKind(mode: mode)
                        var repeated = -1
                        if let oldBase = old.baseAddress {
                            while k < starts.count {
                                let oldStart = Int(starts[k]), oldEnd = k + 1 < starts.count ? Int(starts[k + 1]) : old.count
                                if oldEnd - oldStart == i - start, memcmp(oldBase + oldStart, base + start, i - start) == 0 {
                                    repeated = k
                                    k += 1
                                    break
                                }
                                var n = oldStart
                                while oldBase[n] != 0x20 { n += 1 }
                                let oldName = UnsafeBufferPointer(start: oldBase + n + 1, count: oldEnd - 21 - (n + 1))
                                guard BlobInventory.precedes(oldName, isTree: slots[k] >= 0, name, isTree: kind == .tree) else { break }
                                k += 1
                            }
                        }
                        v.entryStarts.append(Int32(start))
                        visit(name, id, kind, repeated: repeated, previousSlots: slots, into: &v, found: &found)
                    }
                }
            }
        } else {
            do {
                try repository.forEachEntry(ofTree: tree) { name, id, kind in visit(name, id, kind, repeated: -1, previousSlots: [], into: &v, found: &found) }
            } catch let error as GitError {
                isWhole = false
                let path = prefix.isEmpty ? "tree \(tree)" : String(decoding: prefix.dropLast(), as: UTF8.self)
                issues.append(ScanIssue(path: path, level: .error, stage: .git,
                                        reason: GitRepository.isMissing(error) ? "tree \(tree) is missing from the object database" : error.description))
            } catch {
                isWhole = false
            }
        }
        // Made before the subtrees are walked, so they can use the names' buffer in turn.
        let nameList = isWhole ? trees.nameList(v.names, since: previous?.names ?? -1) : -1
        v.names.removeAll(keepingCapacity: true)
        swap(&v.names, &spareNames)
        for (at, entry, id, path) in v.unseen {
            let slot = walk(id, prefix: path, commit: commit, repository: repository, into: &found, listing: listing)
            v.subtrees[at] = slot
            v.entrySlots[entry] = slot
        }
        var highs: [UInt64] = []
        swap(&highs, &v.highs)   // sorted in place: a copy held in `v` made the sort copy it
        highs.sort()
        TreeSummaries.keepDistinct(&highs)
        let added = trees.add(tree, since: previous?.slot ?? -1, blobs: highs, before: previous?.blobs ?? [], subtrees: v.subtrees,
                              subtreeNames: nameList)
        var replaced = lastAtPath.updateValue(LastTree(slot: added, blobs: highs, names: nameList, bytes: bytes ?? [],
                                                       entryStarts: bytes == nil ? [] : v.entryStarts,
                                                       entrySlots: bytes == nil ? [] : v.entrySlots), forKey: key)
        previous = nil   // the replaced lists' one other reference: kept, they would be copied, not reused
        if replaced != nil, spareLists.count < BlobInventory.spareLimit { spareLists.append(BlobInventory.emptied(&replaced!)) }
        return added
    }

    /// Spare lists kept at most (the walk takes one per tree and gives one back per directory it
    /// had seen before, so a few are ever waiting).
    private static let spareLimit = 64

    /// The lists of `tree`, taken out of it and emptied, their room kept.
    private static func emptied(_ tree: inout LastTree) -> (blobs: [UInt64], entryStarts: [Int32], entrySlots: [Int32]) {
        var lists: ([UInt64], [Int32], [Int32]) = ([], [], [])
        swap(&lists.0, &tree.blobs)
        swap(&lists.1, &tree.entryStarts)
        swap(&lists.2, &tree.entrySlots)
        lists.0.removeAll(keepingCapacity: true)
        lists.1.removeAll(keepingCapacity: true)
        lists.2.removeAll(keepingCapacity: true)
        return lists
    }

    /// Whether entry name `a` sorts before `b` in a tree, as git orders them: bytewise, a
    /// subtree's name compared as if it ended in `/`.
    private static func precedes(_ a: UnsafeBufferPointer<UInt8>, isTree aIsTree: Bool,
                                 _ b: UnsafeBufferPointer<UInt8>, isTree bIsTree: Bool) -> Bool {
        let common = min(a.count, b.count)
        if common > 0 {
            let order = memcmp(a.baseAddress!, b.baseAddress!, common)
            if order != 0 { return order < 0 }
        }
        let x: UInt8 = a.count > common ? a[common] : aIsTree ? 0x2F : 0
        let y: UInt8 = b.count > common ? b[common] : bIsTree ? 0x2F : 0
        return x < y
    }
}

/// What a history walk learnt about each tree, so provenance can follow trees without reading
/// them: a slot per tree, added after its subtrees (so a subtree's slot is always lower), the
/// subtrees' slots, and which blobs sit directly in it, as a change: the first 64 bits of the
/// ids it adds to and removes from an earlier tree at the same path (its `base`, a lower slot;
/// none for the first version of a directory). A commit changes a file or two, so a directory's
/// next version costs a few words, where a list of its blobs would repeat hundreds. All of it
/// lives in a few flat arrays, not an allocation per tree.
struct TreeSummaries: Sendable {
    /// The slot of the first tree here: 0, or, for a walker of a later stage, the number of
    /// trees settled before (`BlobInventory.Settled`), whose slots its trees may name as
    /// subtrees and bases. `merge` keeps those and renumbers the rest.
    private(set) var firstSlot: Int32 = 0
    private var slots = ObjectIDMap<Int32>(capacity: 1 << 14)
    private var ids: [ObjectID] = []
    private var subtreeRanges: [Range<Int32>] = []
    private var subtreeSlots: [Int32] = []
    /// Per slot: `base`, and the change's bounds in `changedBlobs` (`added..<removed` added,
    /// `removed..<end` removed).
    private var changes: [Change] = []
    private var changedBlobs: [UInt64] = []
    /// Per slot: its subtrees' names (in `nameLists`, one name per subtree slot, in tree
    /// order), or -1 when the tree was not read whole. Provenance lists a target's paths from
    /// every commit whose tree holds it; with the names it follows trees through their
    /// summaries instead of reading them again (150,000 root trees and as many subtrees on
    /// Rails). A directory's subdirectories rarely change, so few lists serve every version.
    private var subtreeNameLists: [Int32] = []
    private var nameLists: [[String]] = []
    /// Each list as the walk met it (every name followed by a NUL), to intern it.
    private var nameListBytes: [[UInt8]] = []
    private var nameListIndex: [[UInt8]: Int32] = [:]

    struct Change: Sendable {
        var base: Int32
        var added: Int32
        var removed: Int32
        var end: Int32
    }

    init() {}

    /// Summaries of trees walked after `settled`'s (which are not repeated here).
    init(after settled: TreeSummaries) {
        firstSlot = settled.firstSlot + Int32(settled.count)
    }

    /// How many trees are summarised here (from `firstSlot` on).
    var count: Int { ids.count }

    func slot(of id: ObjectID) -> Int32? { slots[id] }
    func id(at slot: Int32) -> ObjectID { ids[Int(slot - firstSlot)] }
    func subtrees(at slot: Int32) -> ArraySlice<Int32> {
        let range = subtreeRanges[Int(slot - firstSlot)]
        return subtreeSlots[Int(range.lowerBound)..<Int(range.upperBound)]
    }

    /// The names of the subtrees at `slot`, one per `subtrees(at:)` in the same order; nil
    /// when the walk could not read the tree whole.
    func subtreeNames(at slot: Int32) -> [String]? {
        let list = subtreeNameLists[Int(slot - firstSlot)]
        return list >= 0 ? nameLists[Int(list)] : nil
    }

    /// The list number of subtree names `bytes` (each followed by a NUL), added when new;
    /// `previous` (a list number, or -1) is checked first: usually the same directory's last list.
    mutating func nameList(_ bytes: [UInt8], since previous: Int32 = -1) -> Int32 {
        if previous >= 0, nameListBytes[Int(previous)] == bytes { return previous }
        if let known = nameListIndex[bytes] { return known }
        let list = Int32(nameLists.count)
        nameLists.append(bytes.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) })
        nameListBytes.append(bytes)
        nameListIndex[bytes] = list
        return list
    }

    /// Adds `id` once its subtrees are in: its blobs (`blobs`, the first 64 bits of their ids,
    /// sorted and distinct) are kept as the change from `base`'s (`before`, the same form);
    /// returns its slot (the present one if it was in).
    @discardableResult
    mutating func add(_ id: ObjectID, since base: Int32, blobs: [UInt64], before: [UInt64], subtrees: [Int32],
                      subtreeNames: Int32 = -1) -> Int32 {
        let start = changedBlobs.count
        var i = 0, j = 0
        while i < blobs.count || j < before.count {   // added: in blobs, not before
            if j == before.count || (i < blobs.count && blobs[i] < before[j]) { changedBlobs.append(blobs[i]); i += 1 }
            else if i == blobs.count || before[j] < blobs[i] { j += 1 }
            else { i += 1; j += 1 }
        }
        let middle = changedBlobs.count
        i = 0; j = 0
        while i < blobs.count || j < before.count {   // removed: before, not in blobs
            if j == before.count || (i < blobs.count && blobs[i] < before[j]) { i += 1 }
            else if i == blobs.count || before[j] < blobs[i] { changedBlobs.append(before[j]); j += 1 }
            else { i += 1; j += 1 }
        }
        return add(id, change: Change(base: base, added: Int32(start), removed: Int32(middle), end: Int32(changedBlobs.count)),
                   subtrees: subtrees, changed: nil, subtreeNames: subtreeNames)
    }

    /// Adds `id` with a change already laid out (in `changed`, or at its place in
    /// `changedBlobs` when nil); the change is dropped when `id` is in already.
    private mutating func add(_ id: ObjectID, change: Change, subtrees: [Int32], changed: ArraySlice<UInt64>?, subtreeNames: Int32) -> Int32 {
        let slot = firstSlot + Int32(ids.count)
        guard slots.insert(id, slot) else {
            if changed == nil { changedBlobs.removeSubrange(Int(change.added)...) }
            return slots[id]!
        }
        var change = change
        if let changed {
            let start = Int32(changedBlobs.count), removedAt = Int(change.removed - change.added)
            changedBlobs += changed
            change = Change(base: change.base, added: start, removed: start + Int32(removedAt), end: Int32(changedBlobs.count))
        }
        ids.append(id)
        subtreeRanges.append(Int32(subtreeSlots.count)..<Int32(subtreeSlots.count + subtrees.count))
        subtreeSlots += subtrees
        changes.append(change)
        subtreeNameLists.append(subtreeNames)
        return slot
    }

    /// Keeps the distinct values of sorted `values`, in place.
    static func keepDistinct(_ values: inout [UInt64]) {
        guard values.count > 1 else { return }
        var n = 1
        for i in 1..<values.count where values[i] != values[n - 1] {
            values[n] = values[i]
            n += 1
        }
        values.removeLast(values.count - n)
    }

    /// Adds every tree of `other` not here yet (in slot order, so subtrees and bases come first).
    /// Slots below `other.firstSlot` are the same trees here (it was walked after them).
    mutating func merge(_ other: TreeSummaries) {
        precondition(other.firstSlot <= firstSlot + Int32(count), "merged before the trees it was walked after")
        let first = other.firstSlot
        var mine = [Int32](repeating: 0, count: other.count)
        func here(_ slot: Int32) -> Int32 { slot < first ? slot : mine[Int(slot - first)] }
        var myList = [Int32](repeating: -1, count: other.nameLists.count)   // other's name lists here, once each
        slots.reserve(slots.count + other.count)
        ids.reserveCapacity(ids.count + other.count)
        subtreeRanges.reserveCapacity(subtreeRanges.count + other.count)
        changes.reserveCapacity(changes.count + other.count)
        subtreeNameLists.reserveCapacity(subtreeNameLists.count + other.count)
        subtreeSlots.reserveCapacity(subtreeSlots.count + other.subtreeSlots.count)
        changedBlobs.reserveCapacity(changedBlobs.count + other.changedBlobs.count)
        for slot in 0..<other.count {
            var change = other.changes[slot]
            if change.base >= 0 { change.base = here(change.base) }
            var names = other.subtreeNameLists[slot]
            if names >= 0 {
                if myList[Int(names)] < 0 { myList[Int(names)] = nameList(other.nameListBytes[Int(names)]) }
                names = myList[Int(names)]
            }
            mine[slot] = add(other.ids[slot], change: change, subtrees: other.subtrees(at: first + Int32(slot)).map(here),
                             changed: other.changedBlobs[Int(change.added)..<Int(change.end)],
                             subtreeNames: names)
        }
    }

    /// For each slot, the targets (by their first 64 bits in `targets`, each with its indices)
    /// whose first 64 bits the tree holds directly: its base's, less what it removed, plus what
    /// it added. Exact up to the 64 bits: a slot listed may hold another blob with the same
    /// first bits (the caller reads it to be sure), a slot not listed holds no target.
    func mayHoldDirectly(_ targets: [UInt64: [Int32]]) -> [Int32] {
        var held: [[UInt64]] = Array(repeating: [], count: count)
        var slots: [Int32] = []
        for slot in 0..<count {
            let change = changes[slot]
            var mine = change.base >= 0 ? held[Int(change.base)] : []
            if !mine.isEmpty, change.removed < change.end {
                let removed = changedBlobs[Int(change.removed)..<Int(change.end)]
                mine.removeAll { removed.contains($0) }
            }
            for high in changedBlobs[Int(change.added)..<Int(change.removed)] where targets[high] != nil { mine.append(high) }
            if !mine.isEmpty {
                held[slot] = mine
                slots.append(Int32(slot))
            }
        }
        return slots
    }
}
