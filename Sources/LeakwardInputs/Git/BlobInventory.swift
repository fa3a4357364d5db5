import LeakwardModel
import LeakwardSupport

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
    /// The last tree this walker summarised at each directory path, with the first 64 bits of
    /// its blobs' ids (sorted, distinct): the next version there is summarised as what it
    /// adds and removes (`TreeSummaries`); and its subtree names' list, which the next
    /// version almost always repeats.
    private var lastAtPath: [[UInt8]: (slot: Int32, blobs: [UInt64], names: Int32)] = [:]

    init() {}

    private static func recentSlot(_ id: ObjectID) -> Int { Int(truncatingIfNeeded: id.middle) & (recentCount - 1) }

    /// The slot of tree `id` when it was walked already.
    private mutating func slot(ofTree id: ObjectID) -> Int32? {
        let r = BlobInventory.recentSlot(id)
        if recentTrees[r] == id, id != BlobInventory.none { return recentTreeSlots[r] }
        guard let slot = trees.slot(of: id) else { return nil }
        recentTrees[r] = id
        recentTreeSlots[r] = slot
        return slot
    }

    /// Adds blob `id` to `known`; true when it was not known before.
    private mutating func isNew(blob id: ObjectID) -> Bool {
        let r = BlobInventory.recentSlot(id)
        if recentBlobs[r] == id, id != BlobInventory.none { return false }
        recentBlobs[r] = id
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
    /// Segments are at least `segmentLength` commits long.
    static func walking(_ trees: [ObjectID], workers: Int, in repository: GitRepository, segmentLength: Int = 256,
                        isCancelled: @escaping @Sendable () -> Bool = { false },
                        progress: (@Sendable (_ commits: Int) -> Void)? = nil,
                        open: @Sendable () -> GitRepository?) -> BlobInventory {
        // Each segment costs one extra full snapshot.
        let segments = Parallel.segments(of: trees.count, workers: workers, minimumLength: segmentLength)
        let total = trees.count, pieces = max(1, segments.count)
        let finished: (@Sendable (Int) -> Void)?
        if let progress { finished = { @Sendable done in progress(total * done / pieces) } } else { finished = nil }
        var walks = Parallel.run(pieces: segments.count, workers: workers, start: { SegmentWalk(repository: open(), isCancelled: isCancelled) },
                                 piece: { $0.walk(segment: $1, commits: segments[$1], trees: trees) },
                                 finish: { $0.result },
                                 finished: finished)
        // A worker that could not open the repository left its segments: walk them here.
        let done = Set(walks.flatMap { $0.listed.map(\.segment) })
        var rest = SegmentWalk(repository: repository, isCancelled: isCancelled)
        for (segment, commits) in segments.enumerated() where !done.contains(segment) {
            rest.walk(segment: segment, commits: commits, trees: trees)
        }
        walks.append(rest.result)

        // Memory is released as soon as each part is merged: the walkers' blob sets first (only
        // the walk needed them), then their lists, then their trees, merged into the walker that
        // read the most of them.
        var merged = BlobInventory()
        var issues = Set<ScanIssue>()
        for w in walks.indices {
            walks[w].inventory.known = ObjectIDMap(capacity: 1)
            merged.submodules.formUnion(walks[w].inventory.submodules)
            issues.formUnion(walks[w].inventory.issues)
        }
        let order = walks.indices.flatMap { w in walks[w].listed.map { (segment: $0.segment, walk: w, items: $0.items) } }
        for (_, w, range) in order.sorted(by: { $0.segment < $1.segment }) {
            for item in walks[w].inventory.items[range] where merged.known.insert(item.id, true) {
                merged.items.append(item)
            }
        }
        merged.known = ObjectIDMap(capacity: 1)
        for w in walks.indices { walks[w].inventory.items = [] }
        let largest = walks.indices.max { walks[$0].inventory.trees.count < walks[$1].inventory.trees.count }!
        merged.trees = walks[largest].inventory.trees
        walks[largest].inventory.trees = TreeSummaries()   // one owner: merging must not copy it
        for w in walks.indices where w != largest {
            merged.trees.merge(walks[w].inventory.trees)
            walks[w].inventory.trees = TreeSummaries()
        }
        merged.issues = issues.sorted()
        return merged
    }

    /// One worker's share of a parallel walk: the segments it took, in increasing order.
    private struct SegmentWalk {
        struct Result: Sendable {
            var inventory: BlobInventory
            var listed: [(segment: Int, items: Range<Int>)]
        }

        let repository: GitRepository?
        let isCancelled: @Sendable () -> Bool
        var result = Result(inventory: BlobInventory(), listed: [])

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

    /// Walks `tree` unless seen; returns its slot in `trees`.
    @discardableResult
    private mutating func walk(_ tree: ObjectID, prefix: [UInt8], commit: Int, repository: GitRepository,
                               into found: inout [Item], listing: Bool) -> Int32 {
        if let seen = slot(ofTree: tree) { return seen }
        var blobs: [ObjectID] = []
        var subtrees: [Int32] = []
        var unseen: [(at: Int, id: ObjectID, path: [UInt8])] = []
        // The subtrees' names, each followed by a NUL, for provenance (`TreeSummaries.subtreeNames`).
        var names: [UInt8] = []
        var isWhole = true   // a tree not read whole has no names list
        do {
            try repository.forEachEntry(ofTree: tree) { name, id, kind in
                switch kind {
                case .blob:
                    blobs.append(id)
                    if isNew(blob: id), listing {
                        found.append(Item(id: id, path: String(decoding: prefix + Array(name), as: UTF8.self), commit: commit))
                    }
                case .tree:
                    names.append(contentsOf: name)
                    names.append(0)
                    // Most subtrees of a commit are unchanged from its parent's: seen already,
                    // so they cost a lookup, not a path.
                    if let seen = slot(ofTree: id) {
                        subtrees.append(seen)
                    } else {
                        unseen.append((subtrees.count, id, prefix + Array(name) + [UInt8(ascii: "/")]))
                        subtrees.append(-1)
                    }
                case .submodule:
                    if listing { submodules.insert(String(decoding: prefix + Array(name), as: UTF8.self)) }
                case .other:
                    break
                }
            }
        } catch let error as GitError {
            isWhole = false
            let path = prefix.isEmpty ? "tree \(tree)" : String(decoding: prefix.dropLast(), as: UTF8.self)
            issues.append(ScanIssue(path: path, level: .error, stage: .git,
                                    reason: GitRepository.isMissing(error) ? "tree \(tree) is missing from the object database" : error.description))
        } catch {
            isWhole = false
        }
        for (at, id, path) in unseen {
            subtrees[at] = walk(id, prefix: path, commit: commit, repository: repository, into: &found, listing: listing)
        }
        var highs = blobs.map(\.high)
        highs.sort()
        highs = TreeSummaries.distinct(highs)
        let previous = lastAtPath[prefix]
        let nameList = isWhole ? trees.nameList(names, since: previous?.names ?? -1) : -1
        let added = trees.add(tree, since: previous?.slot ?? -1, blobs: highs, before: previous?.blobs ?? [], subtrees: subtrees,
                              subtreeNames: nameList)
        lastAtPath[prefix] = (added, highs, nameList)
        return added
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

    var count: Int { ids.count }

    func slot(of id: ObjectID) -> Int32? { slots[id] }
    func id(at slot: Int32) -> ObjectID { ids[Int(slot)] }
    func subtrees(at slot: Int32) -> ArraySlice<Int32> {
        let range = subtreeRanges[Int(slot)]
        return subtreeSlots[Int(range.lowerBound)..<Int(range.upperBound)]
    }

    /// The names of the subtrees at `slot`, one per `subtrees(at:)` in the same order; nil
    /// when the walk could not read the tree whole.
    func subtreeNames(at slot: Int32) -> [String]? {
        let list = subtreeNameLists[Int(slot)]
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
        let slot = Int32(ids.count)
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

    /// Distinct values of sorted `values`.
    static func distinct(_ values: [UInt64]) -> [UInt64] {
        guard values.count > 1 else { return values }
        var out = values
        var n = 1
        for v in values.dropFirst() where v != out[n - 1] { out[n] = v; n += 1 }
        out.removeLast(out.count - n)
        return out
    }

    /// Adds every tree of `other` not here yet (in slot order, so subtrees and bases come first).
    mutating func merge(_ other: TreeSummaries) {
        var mine = [Int32](repeating: 0, count: other.count)
        var myList = [Int32](repeating: -1, count: other.nameLists.count)   // other's name lists here, once each
        for slot in 0..<other.count {
            var change = other.changes[slot]
            if change.base >= 0 { change.base = mine[Int(change.base)] }
            var names = other.subtreeNameLists[slot]
            if names >= 0 {
                if myList[Int(names)] < 0 { myList[Int(names)] = nameList(other.nameListBytes[Int(names)]) }
                names = myList[Int(names)]
            }
            mine[slot] = add(other.ids[slot], change: change, subtrees: other.subtrees(at: Int32(slot)).map { mine[Int($0)] },
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
