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
    /// own repository handle from `open`. Then one pass over the trees (subtrees first) and one
    /// over the commits (parents first) settle the rest.
    static func compute(repository: GitRepository, graph: CommitGraph, targets: [ObjectID],
                        trees summaries: TreeSummaries = TreeSummaries(), refNameLimit: Int? = RefSummary.defaultNameLimit,
                        workers: Int = 1, segmentLength: Int = 256,
                        isCancelled: @escaping @Sendable () -> Bool = { false },
                        open: @escaping @Sendable () -> GitRepository? = { nil }) -> [ObjectID: Origin] {
        guard !targets.isEmpty, !graph.nodes.isEmpty else { return [:] }
        let words = (targets.count + 63) / 64
        let empty = Bits(repeating: 0, count: words)
        var bitOf = ObjectIDMap<Int>(capacity: targets.count)
        for (i, id) in targets.enumerated() { bitOf[id] = i }
        let held = SlotHoldings(summaries: summaries, targets: targets, bitOf: bitOf, workers: workers,
                                segmentLength: segmentLength, repository: repository, isCancelled: isCancelled, open: open)
        // Interrupted: no origins rather than wrong ones (the report is marked incomplete).
        if isCancelled() { return [:] }
        var main = TreeHoldings(repository: repository, bitOf: bitOf, words: words, known: held)
        func has(_ bits: Bits, _ bit: Int) -> Bool { bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }

        // Per commit: which targets its own tree (or message) holds, and which its history reaches.
        var holds: [Bits] = []
        var reaches: [Bits] = []
        holds.reserveCapacity(graph.nodes.count)
        reaches.reserveCapacity(graph.nodes.count)
        var first = [Int?](repeating: nil, count: targets.count)
        var counts = [Int](repeating: 0, count: targets.count)
        for (index, node) in graph.nodes.enumerated() {
            if index & 1023 == 0 && isCancelled() { return [:] }
            var own = main.of(node.tree)
            if let bit = bitOf[node.id] { own[bit >> 6] |= 1 << UInt64(bit & 63) }
            var reach = own
            for parent in node.parents { for w in 0..<words { reach[w] |= reaches[parent][w] } }
            holds.append(own)
            reaches.append(reach)
            for w in 0..<words where own[w] != 0 {
                var word = own[w]
                while word != 0 {
                    let bit = w * 64 + word.trailingZeroBitCount
                    word &= word - 1
                    counts[bit] += 1
                    if let current = first[bit], (graph.nodes[current].time, current) <= (node.time, index) { continue }
                    first[bit] = index
                }
            }
        }

        let head = repository.headCommit()
        let headNode = head.flatMap { graph.index[$0] }
        let headTree = headNode == nil ? head.flatMap { try? repository.commit($0).tree } : nil
        let headHoldings = headNode.map { holds[$0] } ?? headTree.map { main.of($0) } ?? empty
        let headReach = headNode.map { reaches[$0] } ?? empty

        let refs = RefSummary(tips: graph.tips, defaultBranch: repository.defaultBranch(), nameLimit: refNameLimit)
            .summarise(targetCount: targets.count) { reaches[$0] }
        var origins: [ObjectID: Origin] = [:]
        for (bit, target) in targets.enumerated() {
            guard let firstIndex = first[bit] else { continue }
            let node = graph.nodes[firstIndex]
            let isMessage = node.id == target
            let details = try? repository.commitDetails(node.id)
            let info = CommitInfo(
                id: node.id, author: details?.author ?? "",
                date: GitProvenance.isoDate(details?.time ?? node.time), summary: details?.summary,
                isInHEAD: isMessage ? has(headReach, bit) : has(headHoldings, bit),
                reach: refs[bit].reach, refCount: refs[bit].count, refs: refs[bit].names,
                commitCount: counts[bit])
            let path = isMessage ? nil : findPath(of: target, bit: bit, in: node.tree, holdings: &main)
            origins[target] = Origin(commit: info, path: path)
        }
        var sites = BlobSites(targets: targets.count, holdings: main)
        sites.collect(graph: graph, holds: holds, headTree: headNode.map { graph.nodes[$0].tree } ?? headTree)
        for (bit, target) in targets.enumerated() where origins[target]?.path != nil {
            let listed = sites.paths(of: bit)
            guard listed.paths.count > 1 else { continue }
            origins[target]!.commit.paths = listed.paths.map { site in
                let node = graph.nodes[site.commit]
                return BlobPath(path: site.path, commit: node.id.description, date: GitProvenance.isoDate(node.time),
                                isInHEAD: site.isInHEAD)
            }
            if listed.total > listed.paths.count { origins[target]!.commit.pathCount = listed.total }
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

    static func isoDate(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// Which targets every summarised tree holds (subtrees included), `words` words per slot.
struct SlotHoldings: Sendable {
    let summaries: TreeSummaries
    let words: Int
    private(set) var bits: [UInt64] = []

    /// Reads the trees that may hold a target directly (every tree past a few hundred targets,
    /// where testing the filters would cost more), in segments on `workers` threads, then
    /// adds up subtrees in slot order.
    init(summaries: TreeSummaries, targets: [ObjectID], bitOf: ObjectIDMap<Int>, workers: Int, segmentLength: Int,
         repository: GitRepository, isCancelled: @escaping @Sendable () -> Bool = { false },
         open: @escaping @Sendable () -> GitRepository?) {
        self.summaries = summaries
        words = (targets.count + 63) / 64
        let words = self.words
        let filtered = targets.count <= 256
        let toRead = (0..<Int32(summaries.count)).filter { slot in
            !filtered || targets.contains { summaries.mayHoldDirectly(slot, $0) }
        }
        var direct = [UInt64](repeating: 0, count: summaries.count * words)
        @Sendable func read(_ slot: Int32, with repository: GitRepository, into bits: inout [UInt64], at base: Int) {
            try? repository.forEachEntry(ofTree: summaries.id(at: slot)) { _, id, kind in
                if kind == .blob, let bit = bitOf[id] { bits[base + bit >> 6] |= 1 << UInt64(bit & 63) }
            }
        }
        let segments = Parallel.segments(of: toRead.count, workers: workers, minimumLength: segmentLength)
        struct Reader {
            let repository: GitRepository?
            var done: [(slot: Int32, bits: [UInt64])] = []
        }
        let parts = Parallel.run(pieces: segments.count, workers: workers, start: { Reader(repository: open()) }, piece: { reader, segment in
            guard let repository = reader.repository else { return }
            for slot in toRead[segments[segment]] {
                if isCancelled() { break }
                var bits = [UInt64](repeating: 0, count: words)
                read(slot, with: repository, into: &bits, at: 0)
                reader.done.append((slot, bits))
            }
        }, finish: { $0.done })
        var isRead = [Bool](repeating: false, count: summaries.count)
        for part in parts {
            for (slot, bits) in part {
                isRead[Int(slot)] = true
                for w in 0..<words { direct[Int(slot) * words + w] = bits[w] }
            }
        }
        for slot in toRead where !isRead[Int(slot)] {
            if isCancelled() { break }
            read(slot, with: repository, into: &direct, at: Int(slot) * words)
        }
        // Subtrees have lower slots: one pass upwards adds them in.
        for slot in 0..<Int32(summaries.count) {
            let base = Int(slot) * words
            for child in summaries.subtrees(at: slot) {
                for w in 0..<words { direct[base + w] |= direct[Int(child) * words + w] }
            }
        }
        bits = direct
    }

    func of(_ tree: ObjectID) -> GitProvenance.Bits? {
        summaries.slot(of: tree).map { Array(bits[Int($0) * words..<Int($0 + 1) * words]) }
    }
}

/// Which targets a tree holds: from `known` when the walk summarised it, else read (and
/// remembered) here.
struct TreeHoldings {
    let repository: GitRepository
    let bitOf: ObjectIDMap<Int>
    let words: Int
    let known: SlotHoldings
    private var memo = ObjectIDMap<GitProvenance.Bits>(capacity: 64)

    init(repository: GitRepository, bitOf: ObjectIDMap<Int>, words: Int, known: SlotHoldings) {
        self.repository = repository
        self.bitOf = bitOf
        self.words = words
        self.known = known
    }

    mutating func of(_ tree: ObjectID) -> GitProvenance.Bits {
        if let bits = known.of(tree) ?? memo[tree] { return bits }
        var bits = GitProvenance.Bits(repeating: 0, count: words)
        var subtrees: [ObjectID] = []
        let bitOf = self.bitOf
        try? repository.forEachEntry(ofTree: tree) { _, id, kind in
            switch kind {
            case .blob: if let bit = bitOf[id] { bits[bit >> 6] |= 1 << UInt64(bit & 63) }
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
struct BlobSites {
    struct Site {
        var path: String
        var commit: Int
        var isInHEAD = false
    }

    private var holdings: TreeHoldings
    private var memo = ObjectIDMap<[(bit: Int, path: String)]>(capacity: 64)
    private var sites: [[Site]]
    /// Hashes of paths past the cap, so a path is counted once however many commits hold it.
    private var overflow: [Set<Int>]

    init(targets: Int, holdings: TreeHoldings) {
        self.holdings = holdings
        sites = Array(repeating: [], count: targets)
        overflow = Array(repeating: [], count: targets)
    }

    mutating func collect(graph: CommitGraph, holds: [GitProvenance.Bits], headTree: ObjectID?) {
        var lastTree: ObjectID?
        for (index, node) in graph.nodes.enumerated() where holds[index].contains(where: { $0 != 0 }) {
            // A commit that keeps its parent's tree adds no path (its sites are already earlier or equal).
            if node.tree == lastTree { continue }
            lastTree = node.tree
            for (bit, path) in list(node.tree, isRoot: true) {
                if let at = sites[bit].firstIndex(where: { $0.path == path }) {
                    let current = graph.nodes[sites[bit][at].commit]
                    if (node.time, index) < (current.time, sites[bit][at].commit) { sites[bit][at].commit = index }
                } else if sites[bit].count < GitProvenance.maxPathsPerBlob {
                    sites[bit].append(Site(path: path, commit: index))
                } else {
                    overflow[bit].insert(path.hashValue)
                }
            }
        }
        if let headTree {
            for (bit, path) in list(headTree, isRoot: true) {
                if let at = sites[bit].firstIndex(where: { $0.path == path }) { sites[bit][at].isInHEAD = true }
            }
        }
    }

    /// The listed paths of target `bit` (first-introduced first) and how many distinct paths there were.
    func paths(of bit: Int) -> (paths: [Site], total: Int) {
        (sites[bit], sites[bit].count + overflow[bit].count)
    }

    /// `(target, path)` for every target blob under `tree`.
    private mutating func list(_ tree: ObjectID, isRoot: Bool) -> [(bit: Int, path: String)] {
        if !isRoot, let known = memo[tree] { return known }
        var found: [(bit: Int, path: String)] = []
        var subtrees: [(ObjectID, String)] = []
        let bitOf = holdings.bitOf
        try? holdings.repository.forEachEntry(ofTree: tree) { name, id, kind in
            if kind == .blob, let bit = bitOf[id] {
                found.append((bit, String(decoding: name, as: UTF8.self)))
            } else if kind == .tree {
                subtrees.append((id, String(decoding: name, as: UTF8.self)))
            }
        }
        for (id, name) in subtrees where holdings.of(id).contains(where: { $0 != 0 }) {
            found += list(id, isRoot: false).map { ($0.bit, name + "/" + $0.path) }
        }
        if !isRoot { memo[tree] = found }
        return found
    }
}
