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
    private typealias Bits = [UInt64]

    /// `treeBlooms` (from the plan's walk) lets trees that cannot hold any target be skipped unread.
    static func compute(repository: GitRepository, graph: CommitGraph, targets: [ObjectID],
                        treeBlooms: ObjectIDMap<TreeBloom> = ObjectIDMap()) -> [ObjectID: Origin] {
        guard !targets.isEmpty, !graph.nodes.isEmpty else { return [:] }
        let words = (targets.count + 63) / 64
        let empty = Bits(repeating: 0, count: words)
        var bitOf: [ObjectID: Int] = [:]
        for (i, id) in targets.enumerated() { bitOf[id] = i }
        var treeMemo: [ObjectID: Bits] = [:]

        // Per-target filters; past a few hundred targets testing them costs more than reading.
        let targetBlooms = targets.count <= 256 ? targets.map(TreeBloom.init) : []
        func holdings(of tree: ObjectID) -> Bits {
            if let known = treeMemo[tree] { return known }
            if !targetBlooms.isEmpty, let bloom = treeBlooms[tree], !targetBlooms.contains(where: bloom.mayContain) {
                treeMemo[tree] = empty
                return empty
            }
            var bits = empty
            var subtrees: [ObjectID] = []
            try? repository.forEachEntry(ofTree: tree) { _, id, kind in
                switch kind {
                case .blob: if let bit = bitOf[id] { bits[bit >> 6] |= 1 << UInt64(bit & 63) }
                case .tree: subtrees.append(id)
                case .submodule, .other: break
                }
            }
            for subtree in subtrees {
                let child = holdings(of: subtree)
                for w in 0..<words { bits[w] |= child[w] }
            }
            treeMemo[tree] = bits
            return bits
        }
        func has(_ bits: Bits, _ bit: Int) -> Bool { bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }

        // Per commit: which targets its own tree (or message) holds, and which its history reaches.
        var holds: [Bits] = []
        var reaches: [Bits] = []
        holds.reserveCapacity(graph.nodes.count)
        reaches.reserveCapacity(graph.nodes.count)
        var first = [Int?](repeating: nil, count: targets.count)
        var counts = [Int](repeating: 0, count: targets.count)
        for (index, node) in graph.nodes.enumerated() {
            var own = holdings(of: node.tree)
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
        let headHoldings = headNode.map { holds[$0] } ?? headTree.map(holdings(of:)) ?? empty
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
            let path = isMessage ? nil : findPath(of: target, bit: bit, in: node.tree, memo: treeMemo, repository: repository)
            origins[target] = Origin(commit: info, path: path)
        }
        return origins
    }

    /// The first path (in tree order) of `target` under `tree`, following only subtrees that hold it.
    private static func findPath(of target: ObjectID, bit: Int, in tree: ObjectID, memo: [ObjectID: Bits],
                                 repository: GitRepository) -> String? {
        var found: String?
        var subtrees: [(ObjectID, String)] = []
        try? repository.forEachEntry(ofTree: tree) { name, id, kind in
            guard found == nil else { return }
            if kind == .blob && id == target {
                found = String(decoding: name, as: UTF8.self)
            } else if kind == .tree, let bits = memo[id], bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 {
                subtrees.append((id, String(decoding: name, as: UTF8.self)))
            }
        }
        if let found { return found }
        for (id, name) in subtrees {
            if let rest = findPath(of: target, bit: bit, in: id, memo: memo, repository: repository) { return name + "/" + rest }
        }
        return nil
    }

    static func isoDate(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
