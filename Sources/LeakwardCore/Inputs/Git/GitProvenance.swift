import Foundation

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

    /// A set of target indices.
    typealias Bits = [UInt64]

    /// `trees` (from the plan's walk) lets trees that cannot hold any target directly be
    /// skipped unread. The commits' trees are read on up to `workers` threads, each with its own
    /// repository handle from `open`; the rest is one pass over the commits.
    static func compute(repository: GitRepository, graph: CommitGraph, targets: [ObjectID],
                        trees summaries: TreeSummaries = TreeSummaries(), workers: Int = 1, segmentLength: Int = 256,
                        open: @escaping @Sendable () -> GitRepository? = { nil }) -> [ObjectID: Origin] {
        guard !targets.isEmpty, !graph.nodes.isEmpty else { return [:] }
        let words = (targets.count + 63) / 64
        let empty = Bits(repeating: 0, count: words)
        var bitOf = ObjectIDMap<Int>(capacity: targets.count)
        for (i, id) in targets.enumerated() { bitOf[id] = i }
        let finder = HoldingsFinder(targets: targets, bitOf: bitOf, trees: summaries)
        var main = TreeHoldings(repository: repository, finder: finder)
        let trees = graph.nodes.map(\.tree)
        let treesHeld = holdings(of: trees, workers: workers, segmentLength: segmentLength, finder: finder,
                                 open: open, fallback: &main)
        func has(_ bits: Bits, _ bit: Int) -> Bool { bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }

        // Per commit: which targets its own tree (or message) holds, and which its history reaches.
        var holds: [Bits] = []
        var reaches: [Bits] = []
        holds.reserveCapacity(graph.nodes.count)
        reaches.reserveCapacity(graph.nodes.count)
        var first = [Int?](repeating: nil, count: targets.count)
        var counts = [Int](repeating: 0, count: targets.count)
        for (index, node) in graph.nodes.enumerated() {
            var own = treesHeld[index]
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

        var origins: [ObjectID: Origin] = [:]
        for (bit, target) in targets.enumerated() {
            guard let firstIndex = first[bit] else { continue }
            let node = graph.nodes[firstIndex]
            let isMessage = node.id == target
            let details = try? repository.commitDetails(node.id)
            let reachingRefs = graph.tips.filter { has(reaches[$0.node], bit) }.map(\.name)
            let info = CommitInfo(
                id: node.id.description, author: details?.author ?? "",
                date: GitProvenance.isoDate(details?.time ?? node.time), summary: details?.summary,
                isInHEAD: isMessage ? has(headReach, bit) : has(headHoldings, bit),
                refs: reachingRefs.count == graph.tips.count ? [] : reachingRefs,
                commitCount: counts[bit])
            let path = isMessage ? nil : findPath(of: target, bit: bit, in: node.tree, holdings: &main)
            origins[target] = Origin(commit: info, path: path)
        }
        return origins
    }

    /// What each of `trees` holds, read in segments on up to `workers` threads; segments a
    /// worker could not open the repository for are read with `fallback`.
    private static func holdings(of trees: [ObjectID], workers: Int, segmentLength: Int, finder: HoldingsFinder,
                                 open: @escaping @Sendable () -> GitRepository?, fallback: inout TreeHoldings) -> [Bits] {
        let segments = workers <= 1 ? 1 : max(1, min(workers * 4, trees.count / segmentLength))
        let bounds = (0...segments).map { trees.count * $0 / segments }
        var held = [Bits?](repeating: nil, count: trees.count)
        let parts = Parallel.run(pieces: segments, workers: workers, start: { open().map { TreeHoldings(repository: $0, finder: finder) } },
                                 piece: { walker, segment in
            guard walker != nil else { return }
            let commits = bounds[segment]..<bounds[segment + 1]
            var bits: [Bits] = []
            for commit in commits { bits.append(walker!.of(trees[commit])) }
            walker!.segments.append((commits.lowerBound, bits))
        }, finish: { $0?.segments ?? [] })
        for part in parts {
            for (start, bits) in part { for (i, b) in bits.enumerated() { held[start + i] = b } }
        }
        return held.enumerated().map { $0.element ?? fallback.of(trees[$0.offset]) }
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

/// What provenance looks for, shared read-only by every worker.
struct HoldingsFinder: Sendable {
    let targets: [ObjectID]
    let bitOf: ObjectIDMap<Int>
    let trees: TreeSummaries
    /// Per-target filters; past a few hundred targets testing them costs more than reading.
    let targetBlooms: [TreeBloom]
    var words: Int { (targets.count + 63) / 64 }

    init(targets: [ObjectID], bitOf: ObjectIDMap<Int>, trees: TreeSummaries) {
        self.targets = targets
        self.bitOf = bitOf
        self.trees = trees
        targetBlooms = targets.count <= 256 ? targets.map(TreeBloom.init) : []
    }
}

/// One worker's memo of which targets each tree holds (subtrees included).
struct TreeHoldings {
    let repository: GitRepository
    let finder: HoldingsFinder
    private var memo = ObjectIDMap<GitProvenance.Bits>(capacity: 1 << 12)
    /// Segments read so far: first commit index, then each commit's holdings.
    var segments: [(start: Int, bits: [GitProvenance.Bits])] = []

    init(repository: GitRepository, finder: HoldingsFinder) {
        self.repository = repository
        self.finder = finder
    }

    /// The targets `tree` holds. A tree the walk summarised is read only when its own
    /// entries may hold a target; its subtrees come from the summary.
    mutating func of(_ tree: ObjectID) -> GitProvenance.Bits {
        if let known = memo[tree] { return known }
        let empty = GitProvenance.Bits(repeating: 0, count: finder.words)
        let summary = finder.trees[tree]
        let filters = finder.targetBlooms
        if let summary, !filters.isEmpty, !filters.contains(where: summary.all.mayContain) {
            memo[tree] = empty
            return empty
        }
        var bits = empty
        var listed: [ObjectID] = []
        if summary == nil || filters.isEmpty || filters.contains(where: summary!.direct.mayContain) {
            let bitOf = finder.bitOf, listsSubtrees = summary == nil
            try? repository.forEachEntry(ofTree: tree) { _, id, kind in
                switch kind {
                case .blob: if let bit = bitOf[id] { bits[bit >> 6] |= 1 << UInt64(bit & 63) }
                case .tree: if listsSubtrees { listed.append(id) }
                case .submodule, .other: break
                }
            }
        }
        let subtrees = summary.map { $0.subtrees.map(finder.trees.id(at:)) } ?? listed
        for subtree in subtrees {
            let child = of(subtree)
            for w in bits.indices { bits[w] |= child[w] }
        }
        memo[tree] = bits
        return bits
    }
}
