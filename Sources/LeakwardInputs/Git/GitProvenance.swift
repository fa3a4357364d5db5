import Foundation
import LeakwardModel
import LeakwardSupport

/// Where blobs (and commit messages) with findings came from, worked out after matching and
/// only for them: one pass over the commits, parents first, with a memo of which target blobs
/// each distinct tree holds. The first commit is the oldest by commit time whose tree holds
/// the blob; a renamed file keeps its blob id, so renames keep their history.
struct GitProvenance {
    /// The attribution of one target.
    struct Origin {
        var commit: CommitInfo
        /// The blob's path in the first commit (nil for a commit message).
        var path: String?
    }

    /// At most this many paths are listed per blob; the rest are counted.
    static let maxPathsPerBlob = 50

    /// A set of target indices.
    typealias Bits = [UInt64]

    /// `trees` (from the plan's walk) says which trees hold which subtrees, and which may hold
    /// a target directly: only those are read again, on up to `workers` threads each with its
    /// own repository handle from `open`, into sparse lists (`DirectHoldings`). Then, a batch
    /// of targets at a time, one pass over the trees (subtrees first) and one over the commits
    /// (parents first) settle the rest.
    ///
    /// Memory is bounded by the batch, not by trees × targets: a dense set of every target per
    /// tree and per commit was 0.5 GB for 6,659 targets on a 790,000-tree history. A batch
    /// holds `targetsPerBatch` targets (by default as many as fit `batchBudget` bytes over
    /// every tree and commit, at least 64).
    static func compute(repository: GitRepository, graph: CommitGraph, targets: [ObjectID],
                        trees summaries: TreeSummaries = TreeSummaries(), refNameLimit: Int? = RefSummary.defaultNameLimit,
                        workers: Int = 1, segmentLength: Int = 256, targetsPerBatch: Int? = nil,
                        isCancelled: @escaping @Sendable () -> Bool = { false },
                        open: @escaping @Sendable () -> GitRepository? = { nil }) -> [ObjectID: Origin] {
        var timings = ScanTimings()
        return compute(repository: repository, graph: graph, targets: targets, trees: summaries, refNameLimit: refNameLimit,
                       workers: workers, segmentLength: segmentLength, targetsPerBatch: targetsPerBatch, isCancelled: isCancelled,
                       timings: &timings, open: open)
    }

    /// The same, each step's cost added to `timings`.
    static func compute(repository: GitRepository, graph: CommitGraph, targets: [ObjectID],
                        trees summaries: TreeSummaries = TreeSummaries(), refNameLimit: Int? = RefSummary.defaultNameLimit,
                        workers: Int = 1, segmentLength: Int = 256, targetsPerBatch: Int? = nil,
                        isCancelled: @escaping @Sendable () -> Bool = { false }, timings: inout ScanTimings,
                        open: @escaping @Sendable () -> GitRepository? = { nil }) -> [ObjectID: Origin] {
        guard !targets.isEmpty, !graph.nodes.isEmpty else { return [:] }
        var bits = ObjectIDMap<Int>(capacity: targets.count)
        for (i, id) in targets.enumerated() { bits[id] = i }
        let bitOf = bits
        let direct = DirectHoldings(summaries: summaries, targets: targets, bitOf: bitOf, workers: workers,
                                    segmentLength: segmentLength, repository: repository, isCancelled: isCancelled, open: open)
        timings.lap("trees holding targets", phase: .provenance, note: "\(targets.count) targets")
        // Interrupted: no origins rather than wrong ones (the report is marked incomplete).
        if isCancelled() { return [:] }

        let head = repository.headCommit()
        let headNode = head.flatMap { graph.index[$0] }
        let headTree = headNode == nil ? head.flatMap { try? repository.commit($0).tree } : nil
        let refSummary = RefSummary(tips: graph.tips, defaultBranch: repository.defaultBranch(), nameLimit: refNameLimit)
        // Batches run side by side on the workers, so each gets its share of the budget.
        let perBatch = targetsPerBatch.map { max(1, $0) }
            ?? max(64, batchBudget / max(1, workers) / max(1, (summaries.count + graph.nodes.count) * 8) * 64)
        let nodes = NodeTargets(graph: graph, summaries: summaries, bitOf: bitOf)
        let batches = stride(from: 0, to: targets.count, by: perBatch).map { $0..<min($0 + perBatch, targets.count) }
        /// One worker's batches: their origins, and whether each commit's tree (or message)
        /// holds any of their targets (for the path listing below).
        struct Batches {
            let repository: GitRepository?
            var origins: [ObjectID: Origin] = [:]
            var holdsAny: [Bool]
            var done: [Int] = []
            var isInterrupted = false
        }
        @Sendable func run(_ b: Int, in worker: inout Batches) {
            guard let repository = worker.repository, !worker.isInterrupted else { return }
            guard let batch = attribute(batches[b], of: targets, repository: repository, graph: graph, direct: direct, bitOf: bitOf,
                                        nodes: nodes, head: (headNode, headTree), refs: refSummary, holdsAny: &worker.holdsAny,
                                        isCancelled: isCancelled) else {
                worker.isInterrupted = true
                return
            }
            worker.origins.merge(batch) { a, _ in a }
            worker.done.append(b)
        }
        let nodeCount = graph.nodes.count
        var parts = Parallel.run(pieces: batches.count, workers: workers, start: {
            Batches(repository: open(), holdsAny: [Bool](repeating: false, count: nodeCount))
        }, piece: { worker, b in run(b, in: &worker) },
           finish: { (origins: $0.origins, holdsAny: $0.holdsAny, done: $0.done, isInterrupted: $0.isInterrupted) })
        // A worker that could not open the repository left its batches: run them here.
        var rest = Batches(repository: repository, holdsAny: [Bool](repeating: false, count: nodeCount))
        let done = Set(parts.flatMap(\.done))
        for b in batches.indices where !done.contains(b) { run(b, in: &rest) }
        parts.append((rest.origins, rest.holdsAny, rest.done, rest.isInterrupted))
        if parts.contains(where: \.isInterrupted) { return [:] }
        timings.lap("first commits and refs", phase: .provenance, note: "\(batches.count) batches")
        var origins: [ObjectID: Origin] = [:]
        var holdsAny = [Bool](repeating: false, count: nodeCount)
        for p in parts.indices {
            origins.merge(parts[p].origins) { a, _ in a }
            for (i, holds) in parts[p].holdsAny.enumerated() where holds { holdsAny[i] = true }
            parts[p].origins = [:]
        }

        let sites = BlobSites.collect(graph: graph, holdsAny: holdsAny, headTree: headNode.map { graph.nodes[$0].tree } ?? headTree,
                                      targets: targets.count, repository: repository, bitOf: bitOf, direct: direct,
                                      workers: workers, segmentLength: segmentLength, isCancelled: isCancelled, open: open)
        timings.lap("paths", phase: .provenance, note: "\(holdsAny.lazy.filter { $0 }.count) commits read")
        if isCancelled() { return [:] }
        for (bit, target) in targets.enumerated() where origins[target]?.path != nil {
            let listed = sites.paths(of: bit)
            guard listed.paths.count > 1 else { continue }
            origins[target]!.commit.paths = listed.paths.map { site in
                let node = graph.nodes[site.commit]
                return BlobPath(path: sites.path(site.path), commit: node.id.description, date: GitProvenance.isoDate(node.time),
                                isInHEAD: site.isInHEAD)
            }
            if listed.total > listed.paths.count { origins[target]!.commit.pathCount = listed.total }
        }
        return origins
    }

    /// Per commit, looked up once for every batch: its tree's slot in the summaries (-1: not
    /// summarised) and the target its message is (-1: none).
    struct NodeTargets: Sendable {
        let treeSlots: [Int32]
        let messageBits: [Int32]

        init(graph: CommitGraph, summaries: TreeSummaries, bitOf: ObjectIDMap<Int>) {
            treeSlots = graph.nodes.map { summaries.slot(of: $0.tree) ?? -1 }
            messageBits = graph.nodes.map { bitOf[$0.id].map(Int32.init) ?? -1 }
        }
    }

    /// Bytes a batch of targets may use for its sets (per tree and per commit, one bit per target).
    static let batchBudget = 48 << 20

    /// First commit, count, HEAD presence, refs and first path of the targets in `range`;
    /// nil when interrupted.
    private static func attribute(_ range: Range<Int>, of targets: [ObjectID], repository: GitRepository, graph: CommitGraph,
                                  direct: DirectHoldings, bitOf: ObjectIDMap<Int>, nodes: NodeTargets, head: (node: Int?, tree: ObjectID?),
                                  refs refSummary: RefSummary, holdsAny: inout [Bool],
                                  isCancelled: () -> Bool) -> [ObjectID: Origin]? {
        let words = (range.count + 63) / 64
        var main = TreeHoldings(repository: repository, bitOf: bitOf, targets: range, known: direct.closure(of: range))
        func has(_ bits: ArraySlice<UInt64>, _ bit: Int) -> Bool {
            bits[bits.startIndex + bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }
        // Per commit, flat (`words` words each): which targets its history reaches.
        var reaches = [UInt64](repeating: 0, count: graph.nodes.count * words)
        var headHoldings = Bits(repeating: 0, count: words)
        var first = [Int?](repeating: nil, count: range.count)
        var counts = [Int](repeating: 0, count: range.count)
        for (index, node) in graph.nodes.enumerated() {
            if index & 1023 == 0 && isCancelled() { return nil }
            // The commit's own targets first (its tree's, and its message's), without a set per commit.
            let base = index * words
            main.fill(&reaches, at: base, tree: node.tree, slot: nodes.treeSlots[index])
            let message = Int(nodes.messageBits[index])
            if message >= 0, range.contains(message) {
                reaches[base + (message - range.lowerBound) >> 6] |= 1 << UInt64((message - range.lowerBound) & 63)
            }
            if index == head.node { headHoldings = Array(reaches[base..<base + words]) }
            for w in 0..<words where reaches[base + w] != 0 {
                holdsAny[index] = true
                var word = reaches[base + w]
                while word != 0 {
                    let bit = w * 64 + word.trailingZeroBitCount
                    word &= word - 1
                    counts[bit] += 1
                    if let current = first[bit], (graph.nodes[current].time, current) <= (node.time, index) { continue }
                    first[bit] = index
                }
            }
            for parent in node.parents {
                for w in 0..<words { reaches[base + w] |= reaches[parent * words + w] }
            }
        }
        if head.node == nil, let tree = head.tree { headHoldings = main.of(tree) }
        let headReach = head.node.map { reaches[$0 * words..<($0 + 1) * words] } ?? ArraySlice(Bits(repeating: 0, count: words))
        let refs = refSummary.summarise(targetCount: range.count) { Array(reaches[$0 * words..<($0 + 1) * words]) }
        var origins: [ObjectID: Origin] = [:]
        for bit in 0..<range.count {
            guard let firstIndex = first[bit] else { continue }
            let target = targets[range.lowerBound + bit]
            let node = graph.nodes[firstIndex]
            let isMessage = node.id == target
            let details = try? repository.commitDetails(node.id)
            let info = CommitInfo(
                id: node.id, author: details?.author ?? "",
                date: GitProvenance.isoDate(details?.time ?? node.time), summary: details?.summary,
                isInHEAD: isMessage ? has(headReach, bit) : has(headHoldings[...], bit),
                reach: refs[bit].reach, refCount: refs[bit].count, refs: refs[bit].names,
                commitCount: counts[bit])
            let path = isMessage ? nil : findPath(of: target, bit: bit, in: node.tree, holdings: &main)
            origins[target] = Origin(commit: info, path: path)
        }
        return origins
    }

    /// The first path (in tree order) of `target` under `tree`, following only subtrees that hold it.
    private static func findPath(of target: ObjectID, bit: Int, in tree: ObjectID, holdings: inout TreeHoldings) -> String? {
        var found: String?
        var subtrees: [(ObjectID, String)] = []
        try? holdings.repository.forEachEntry(ofTree: tree) { name, id, kind in
            guard found == nil else { return }
            if kind == .blob && id == target {
                found = String(decoding: name, as: UTF8.self)
            } else if kind == .tree {
                subtrees.append((id, String(decoding: name, as: UTF8.self)))
            }
        }
        if let found { return found }
        for (id, name) in subtrees where holdings.of(id)[bit >> 6] & (1 << UInt64(bit & 63)) != 0 {
            if let rest = findPath(of: target, bit: bit, in: id, holdings: &holdings) { return name + "/" + rest }
        }
        return nil
    }

    /// `seconds` since the epoch as ISO 8601 in UTC ("2008-01-02T03:04:05Z"), what
    /// `ISO8601DateFormatter` writes, without making a formatter (an ICU object) per date:
    /// provenance dates thousands of sightings.
    /// Whether commit `a` comes before `b`: older by commit time, then earlier in the graph.
    static func isEarlier(_ a: Int, than b: Int, in graph: CommitGraph) -> Bool {
        (graph.nodes[a].time, a) < (graph.nodes[b].time, b)
    }

    static func isoDate(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = Int(parts.tm_year) + 1900
        let digits = String(year)
        let paddedYear = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        return "\(paddedYear)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

/// Which targets each summarised tree holds directly (not through a subtree), as one sparse
/// list per tree: a target blob sits directly in few trees, where a dense set per tree costs
/// trees × targets bits. Also whether each tree holds any target at all, subtrees included.
struct DirectHoldings: Sendable {
    let summaries: TreeSummaries
    /// The targets directly in the tree at slot `s`: `bits[starts[s]..<starts[s + 1]]`, in
    /// tree order, each under the name `names[nameIDs[i]]` (a blob may sit there twice).
    private let starts: [Int32]
    private let bits: [Int32]
    private let nameIDs: [Int32]
    private let names: [String]
    /// Whether the tree at a slot holds any target, subtrees included.
    let holdsAny: [Bool]

    /// Reads the trees that may hold a target directly (by the summaries' changes: a tree
    /// whose blobs include one with a target's first 64 bits), in segments on `workers` threads.
    init(summaries: TreeSummaries, targets: [ObjectID], bitOf: ObjectIDMap<Int>, workers: Int, segmentLength: Int,
         repository: GitRepository, isCancelled: @escaping @Sendable () -> Bool = { false },
         open: @escaping @Sendable () -> GitRepository?) {
        self.summaries = summaries
        var byHigh: [UInt64: [Int32]] = [:]
        for (bit, id) in targets.enumerated() { byHigh[id.high, default: []].append(Int32(bit)) }
        let toRead = summaries.mayHoldDirectly(byHigh)
        /// (slot, target) pairs found, flat.
        struct Found: Sendable {
            var slots: [Int32] = []
            var bits: [Int32] = []
            /// Each pair's name, interned in `names`.
            var nameIDs: [Int32] = []
            var names: [String] = []
            var nameIndex: [String: Int32] = [:]
        }
        @Sendable func read(_ slot: Int32, with repository: GitRepository, into found: inout Found) {
            try? repository.forEachEntry(ofTree: summaries.id(at: slot)) { name, id, kind in
                if kind == .blob, let bit = bitOf[id] {
                    found.slots.append(slot)
                    found.bits.append(Int32(bit))
                    let text = String(decoding: name, as: UTF8.self)
                    if let known = found.nameIndex[text] {
                        found.nameIDs.append(known)
                    } else {
                        found.nameIndex[text] = Int32(found.names.count)
                        found.nameIDs.append(Int32(found.names.count))
                        found.names.append(text)
                    }
                }
            }
        }
        let segments = Parallel.segments(of: toRead.count, workers: workers, minimumLength: segmentLength)
        struct Reader {
            let repository: GitRepository?
            var found = Found()
            var done: [Int] = []
        }
        var parts = Parallel.run(pieces: segments.count, workers: workers, start: { Reader(repository: open()) }, piece: { reader, segment in
            guard let repository = reader.repository else { return }
            for slot in toRead[segments[segment]] {
                if isCancelled() { return }
                read(slot, with: repository, into: &reader.found)
            }
            reader.done.append(segment)
        }, finish: { ($0.found, $0.done) })
        // A worker that could not open the repository left its segments: read them here.
        var rest = Found()
        let done = Set(parts.flatMap(\.1))
        for (segment, range) in segments.enumerated() where !done.contains(segment) {
            for slot in toRead[range] {
                if isCancelled() { break }
                read(slot, with: repository, into: &rest)
            }
        }
        parts.append((rest, []))
        // Counting sort by slot.
        var starts = [Int32](repeating: 0, count: summaries.count + 1)
        for (found, _) in parts { for slot in found.slots { starts[Int(slot) + 1] += 1 } }
        for s in 0..<summaries.count { starts[s + 1] += starts[s] }
        var fill = starts
        var bits = [Int32](repeating: 0, count: Int(starts[summaries.count]))
        var nameIDs = [Int32](repeating: 0, count: bits.count)
        var names: [String] = [], nameIndex: [String: Int32] = [:]
        for p in parts.indices {
            let mine = parts[p].0.names.map { name in
                if let known = nameIndex[name] { return known }
                nameIndex[name] = Int32(names.count)
                names.append(name)
                return Int32(names.count - 1)
            }
            for (i, (slot, bit)) in zip(parts[p].0.slots, parts[p].0.bits).enumerated() {
                bits[Int(fill[Int(slot)])] = bit
                nameIDs[Int(fill[Int(slot)])] = mine[Int(parts[p].0.nameIDs[i])]
                fill[Int(slot)] += 1
            }
            parts[p].0 = Found()
        }
        // Subtrees have lower slots: one pass upwards.
        var holdsAny = [Bool](repeating: false, count: summaries.count)
        for slot in 0..<summaries.count {
            holdsAny[slot] = starts[slot] < starts[slot + 1] || summaries.subtrees(at: Int32(slot)).contains { holdsAny[Int($0)] }
        }
        self.starts = starts
        self.bits = bits
        self.nameIDs = nameIDs
        self.names = names
        self.holdsAny = holdsAny
    }

    /// Which of the targets in `range` every summarised tree holds, subtrees included.
    func closure(of range: Range<Int>) -> SlotHoldings {
        SlotHoldings(direct: self, range: range)
    }

    /// Targets directly in the tree at `slot`.
    func direct(at slot: Int) -> ArraySlice<Int32> { bits[Int(starts[slot])..<Int(starts[slot + 1])] }

    /// Targets directly in the tree at `slot` with their names there, in tree order.
    func named(at slot: Int) -> [(bit: Int32, name: String)] {
        (Int(starts[slot])..<Int(starts[slot + 1])).map { (bits[$0], names[Int(nameIDs[$0])]) }
    }
}

/// Which of a batch of targets every summarised tree holds (subtrees included), `words`
/// words per slot, bit `i` for target `range.lowerBound + i`.
struct SlotHoldings {
    let summaries: TreeSummaries
    let words: Int
    private(set) var bits: [UInt64] = []

    init(direct: DirectHoldings, range: Range<Int>) {
        summaries = direct.summaries
        let words = (range.count + 63) / 64
        self.words = words
        var bits = [UInt64](repeating: 0, count: summaries.count * words)
        let low = Int32(range.lowerBound), high = Int32(range.upperBound)
        // Subtrees have lower slots: one pass upwards adds them in.
        for slot in 0..<summaries.count where direct.holdsAny[slot] {
            let base = slot * words
            for bit in direct.direct(at: slot) where bit >= low && bit < high {
                let local = Int(bit - low)
                bits[base + local >> 6] |= 1 << UInt64(local & 63)
            }
            for child in summaries.subtrees(at: Int32(slot)) where direct.holdsAny[Int(child)] {
                for w in 0..<words { bits[base + w] |= bits[Int(child) * words + w] }
            }
        }
        self.bits = bits
    }

    func of(_ tree: ObjectID) -> GitProvenance.Bits? {
        summaries.slot(of: tree).map { Array(bits[Int($0) * words..<Int($0 + 1) * words]) }
    }
}

/// Which of a batch of targets a tree holds: from `known` when the walk summarised it, else
/// read (and remembered) here.
struct TreeHoldings {
    let repository: GitRepository
    let bitOf: ObjectIDMap<Int>
    /// The batch: bit `i` of a set is target `targets.lowerBound + i`.
    let targets: Range<Int>
    let words: Int
    let known: SlotHoldings
    private var memo = ObjectIDMap<GitProvenance.Bits>(capacity: 64)

    init(repository: GitRepository, bitOf: ObjectIDMap<Int>, targets: Range<Int>, known: SlotHoldings) {
        self.repository = repository
        self.bitOf = bitOf
        self.targets = targets
        self.words = (targets.count + 63) / 64
        self.known = known
    }

    /// Writes which targets `tree` holds into `out[base..<base + words]`; `slot` is its slot
    /// in the summaries when known (-1: not summarised, read here).
    mutating func fill(_ out: inout [UInt64], at base: Int, tree: ObjectID, slot: Int32) {
        if slot >= 0 {
            let from = Int(slot) * words
            known.bits.withUnsafeBufferPointer { bits in
                for w in 0..<words { out[base + w] = bits[from + w] }
            }
            return
        }
        let bits = of(tree)
        for w in 0..<words { out[base + w] = bits[w] }
    }

    mutating func of(_ tree: ObjectID) -> GitProvenance.Bits {
        if let bits = known.of(tree) ?? memo[tree] { return bits }
        var bits = GitProvenance.Bits(repeating: 0, count: words)
        var subtrees: [ObjectID] = []
        let bitOf = self.bitOf, targets = self.targets
        try? repository.forEachEntry(ofTree: tree) { _, id, kind in
            switch kind {
            case .blob:
                if let bit = bitOf[id], targets.contains(bit) {
                    let local = bit - targets.lowerBound
                    bits[local >> 6] |= 1 << UInt64(local & 63)
                }
            case .tree: subtrees.append(id)
            case .submodule, .other: break
            }
        }
        for subtree in subtrees {
            let child = of(subtree)
            for w in bits.indices { bits[w] |= child[w] }
        }
        memo[tree] = bits
        return bits
    }
}

/// Every path each target blob sat at in the scanned commits, with the first commit (oldest
/// by commit time) whose tree held it there and whether HEAD still does. Only commits whose
/// tree holds a target are read, and only the subtrees that hold one; subtree listings are
/// remembered by tree id (a tree's content never changes), root trees are not (one per commit).
/// Paths are kept per target up to `GitProvenance.maxPathsPerBlob`; beyond, only counted.
/// Paths are interned: the listing of every version of a directory repeats the same names.
struct BlobSites {
    struct Site {
        /// Index into the interned paths (`path(_:)`).
        var path: Int32
        var commit: Int
        var isInHEAD = false
    }

    private let repository: GitRepository
    private let bitOf: ObjectIDMap<Int>
    private let direct: DirectHoldings
    /// Whether trees the walk did not summarise hold a target.
    private var unsummarised = ObjectIDMap<Bool>(capacity: 64)
    private var memo = ObjectIDMap<[Listed]>(capacity: 64)
    /// A root's subtree listed under its name (paths from the root), by slot and name.
    private var named: [NamedSubtree: [Listed]] = [:]
    private struct NamedSubtree: Hashable {
        var slot: Int32
        var name: String
    }
    private var sites: [[Site]]
    /// Paths past the cap, so a path is counted once however many commits hold it, each with
    /// the first commit that held it there: a segment's path past its own cap may be one of
    /// the listed paths once segments are joined, and then its first commit counts.
    private var overflow: [[Int32: Int]]
    private var paths: [String] = []
    private var pathIndex: [String: Int32] = [:]

    /// A target under a tree, at an interned path relative to it.
    struct Listed {
        var bit: Int32
        var path: Int32
    }

    init(targets: Int, repository: GitRepository, bitOf: ObjectIDMap<Int>, direct: DirectHoldings) {
        self.repository = repository
        self.bitOf = bitOf
        self.direct = direct
        sites = Array(repeating: [], count: targets)
        overflow = Array(repeating: [:], count: targets)
    }

    /// The interned path `index`.
    func path(_ index: Int32) -> String { paths[Int(index)] }

    private mutating func intern(_ path: String) -> Int32 {
        if let index = pathIndex[path] { return index }
        let index = Int32(paths.count)
        paths.append(path)
        pathIndex[path] = index
        return index
    }

    /// The sites of every target in the commits that hold any (`holdsAny`), read in segments
    /// of those commits on up to `workers` threads (each with its own repository handle from
    /// `open`, or `repository` when it gives none), then joined in commit order: equal to one
    /// pass over all of them on one thread (see `join`). Then which sites HEAD still holds.
    static func collect(graph: CommitGraph, holdsAny: [Bool], headTree: ObjectID?, targets: Int, repository: GitRepository,
                        bitOf: ObjectIDMap<Int>, direct: DirectHoldings, workers: Int, segmentLength: Int,
                        isCancelled: @escaping @Sendable () -> Bool, open: @escaping @Sendable () -> GitRepository?) -> BlobSites {
        let commits = holdsAny.indices.filter { holdsAny[$0] }
        let segments = Parallel.segments(of: commits.count, workers: workers, minimumLength: max(1, segmentLength))
        /// One worker's segments, each with the sites it found (paths interned in `sites`).
        struct Part {
            var sites: BlobSites?
            var done: [(segment: Int, sites: [[Site]], overflow: [[Int32: Int]])] = []
        }
        @Sendable func walk(_ segment: Int, into part: inout Part) {
            guard part.sites != nil else { return }
            let range = segments[segment]
            // The commit before the segment is the one whose tree a repeat would skip.
            let before = range.lowerBound > 0 ? graph.nodes[commits[range.lowerBound - 1]].tree : nil
            part.sites!.collect(graph: graph, commits: commits[range], lastTree: before, isCancelled: isCancelled)
            part.done.append((segment, part.sites!.sites, part.sites!.overflow))
            part.sites!.sites = Array(repeating: [], count: targets)
            part.sites!.overflow = Array(repeating: [:], count: targets)
        }
        let parts = Parallel.run(pieces: segments.count, workers: workers, start: {
            Part(sites: open().map { BlobSites(targets: targets, repository: $0, bitOf: bitOf, direct: direct) })
        }, piece: { part, segment in walk(segment, into: &part) }, finish: { part -> (paths: [String], done: [(Int, [[Site]], [[Int32: Int]])]) in
            (part.sites?.paths ?? [], part.done.map { ($0.segment, $0.sites, $0.overflow) })
        })
        var joined = BlobSites(targets: targets, repository: repository, bitOf: bitOf, direct: direct)
        var found: [(segment: Int, part: Int, sites: [[Site]], overflow: [[Int32: Int]])] = []
        for (p, part) in parts.enumerated() { for done in part.done { found.append((done.0, p, done.1, done.2)) } }
        // A worker that could not open the repository left its segments: walk them here.
        let missing = Set(segments.indices).subtracting(found.map(\.segment))
        var rest = Part(sites: BlobSites(targets: targets, repository: repository, bitOf: bitOf, direct: direct))
        for segment in missing.sorted() { walk(segment, into: &rest) }
        for done in rest.done { found.append((done.segment, parts.count, done.sites, done.overflow)) }
        let tables = parts.map(\.paths) + [rest.sites?.paths ?? []]
        for part in found.sorted(by: { $0.segment < $1.segment }) {
            joined.join(part.sites, overflow: part.overflow, paths: tables[part.part], graph: graph)
        }
        if let headTree {
            for listed in joined.list(headTree, isRoot: true) {
                let bit = Int(listed.bit)
                if let at = joined.sites[bit].firstIndex(where: { $0.path == listed.path }) { joined.sites[bit][at].isInHEAD = true }
            }
        }
        return joined
    }

    /// One segment of `commits` (in graph order): each target's paths in the order first met,
    /// up to the cap, with the first commit (by commit time) holding it there.
    private mutating func collect(graph: CommitGraph, commits: ArraySlice<Int>, lastTree: ObjectID?, isCancelled: () -> Bool) {
        var lastTree = lastTree
        for index in commits {
            if index & 1023 == 0 && isCancelled() { return }
            let node = graph.nodes[index]
            // A commit that keeps its parent's tree adds no path (its sites are already earlier or equal).
            if node.tree == lastTree { continue }
            lastTree = node.tree
            for listed in list(node.tree, isRoot: true) {
                add(bit: Int(listed.bit), path: listed.path, commit: index, graph: graph)
            }
        }
    }

    /// A sighting of target `bit` at interned `path` in commit `commit`.
    private mutating func add(bit: Int, path: Int32, commit index: Int, graph: CommitGraph) {
        if let at = sites[bit].firstIndex(where: { $0.path == path }) {
            if GitProvenance.isEarlier(index, than: sites[bit][at].commit, in: graph) { sites[bit][at].commit = index }
        } else if sites[bit].count < GitProvenance.maxPathsPerBlob {
            sites[bit].append(Site(path: path, commit: index))
        } else if let known = overflow[bit][path] {
            if GitProvenance.isEarlier(index, than: known, in: graph) { overflow[bit][path] = index }
        } else {
            overflow[bit][path] = index
        }
    }

    /// Adds the sites a later segment found (its paths interned in `paths`), as if its commits
    /// had been read here after the present ones: its listed paths in their order, then the
    /// paths past its cap (which are past the cap here too: at least as many distinct paths
    /// came before them).
    private mutating func join(_ found: [[Site]], overflow extra: [[Int32: Int]], paths table: [String], graph: CommitGraph) {
        for bit in found.indices {
            for site in found[bit] { add(bit: bit, path: intern(table[Int(site.path)]), commit: site.commit, graph: graph) }
            for (path, commit) in extra[bit] { add(bit: bit, path: intern(table[Int(path)]), commit: commit, graph: graph) }
        }
    }

    /// The listed paths of target `bit` (first-introduced first) and how many distinct paths there were.
    func paths(of bit: Int) -> (paths: [Site], total: Int) {
        (sites[bit], sites[bit].count + overflow[bit].count)
    }

    /// Whether `tree` holds any target, subtrees included.
    private mutating func holdsAny(_ tree: ObjectID) -> Bool {
        if let slot = direct.summaries.slot(of: tree) { return direct.holdsAny[Int(slot)] }
        if let known = unsummarised[tree] { return known }
        var found = false
        var subtrees: [ObjectID] = []
        let bitOf = self.bitOf
        try? repository.forEachEntry(ofTree: tree) { _, id, kind in
            if kind == .blob, bitOf[id] != nil { found = true } else if kind == .tree { subtrees.append(id) }
        }
        if !found { found = subtrees.contains { holdsAny($0) } }
        unsummarised[tree] = found
        return found
    }

    /// Every target blob under `tree`, with its interned path.
    private mutating func list(_ tree: ObjectID, isRoot: Bool) -> [Listed] {
        if !isRoot, let known = memo[tree] { return known }
        if let slot = direct.summaries.slot(of: tree), let listed = listFromSummary(slot, isRoot: isRoot) {
            if !isRoot { memo[tree] = listed }
            return listed
        }
        var found: [Listed] = []
        var blobs: [(bit: Int, name: String)] = []
        var subtrees: [(ObjectID, String)] = []
        let bitOf = self.bitOf
        try? repository.forEachEntry(ofTree: tree) { name, id, kind in
            if kind == .blob, let bit = bitOf[id] {
                blobs.append((bit, String(decoding: name, as: UTF8.self)))
            } else if kind == .tree {
                subtrees.append((id, String(decoding: name, as: UTF8.self)))
            }
        }
        for (bit, name) in blobs { found.append(Listed(bit: Int32(bit), path: intern(name))) }
        for (id, name) in subtrees where holdsAny(id) {
            for listed in list(id, isRoot: false) {
                found.append(Listed(bit: listed.bit, path: intern(name + "/" + paths[Int(listed.path)])))
            }
        }
        if !isRoot { memo[tree] = found }
        return found
    }

    /// Every target blob under the tree at `slot` without reading it, when the walk kept its
    /// subtree names: the targets directly in it with their names (`DirectHoldings` read every
    /// tree that may hold one), then the subtrees that hold one, from their slots, under their
    /// names; the same order as reading the tree. A root's subtree listed under its name is
    /// remembered (by slot and name), so a commit costs a few lookups, not a tree read. Nil
    /// when the summaries cannot say (the tree is then read).
    private mutating func listFromSummary(_ slot: Int32, isRoot: Bool) -> [Listed]? {
        let summaries = direct.summaries
        guard let names = summaries.subtreeNames(at: slot) else { return nil }
        let subtrees = summaries.subtrees(at: slot)
        guard names.count == subtrees.count else { return nil }
        var found: [Listed] = []
        for (bit, name) in direct.named(at: Int(slot)) { found.append(Listed(bit: bit, path: intern(name))) }
        for (k, child) in subtrees.enumerated() where direct.holdsAny[Int(child)] {
            let key = NamedSubtree(slot: child, name: names[k])
            if isRoot, let known = named[key] {
                found += known
                continue
            }
            var listed: [Listed] = []
            for inner in list(summaries.id(at: child), isRoot: false) {
                listed.append(Listed(bit: inner.bit, path: intern(names[k] + "/" + paths[Int(inner.path)])))
            }
            if isRoot { named[key] = listed }
            found += listed
        }
        return found
    }
}
