import LeakwardModel

/// The commits reachable from a set of tips, with parents resolved to indices, in an order
/// where every parent comes before its children. Missing commits (shallow or partial clones)
/// are recorded and left out; the walk goes on.
struct CommitGraph: Sendable {
    struct Node: Sendable {
        var id: ObjectID
        var tree: ObjectID
        var time: Int64
        /// Indices into `nodes` of the parents that are present.
        var parents: [Int]
    }

    /// Parents before children.
    private(set) var nodes: [Node] = []
    /// Node index of each commit (a map on the id's bits: Swift's hashing of 160,000 ids was
    /// a good part of this walk).
    private(set) var index = ObjectIDMap<Int>(capacity: 1024)
    /// The tips the walk started from (ref name, node index, and whether it is a commit no
    /// ref reaches rather than a ref), sorted by name.
    private(set) var tips: [(name: String, node: Int, isUnreachable: Bool)] = []
    private(set) var issues: [ScanIssue] = []

    init() {}

    /// Walks every commit reachable from `tips` except those in `excluded` (and their ancestors
    /// are not walked either).
    /// `isCancelled` (polled every few thousand commits) stops the walk early on an interrupt;
    /// `counted` is told as often how many commits were read so far (a progress line).
    init(repository: GitRepository, tips: [(name: String, id: ObjectID)], excluded: Set<ObjectID> = [],
         isCancelled: () -> Bool = { false }, counted: (Int) -> Void = { _ in }) {
        extend(repository: repository, tips: tips, excluded: excluded, isCancelled: isCancelled, counted: counted)
    }

    /// Adds the commits reachable from more tips (and not walked yet) after the present ones,
    /// parents still before children: commits no ref reaches (`areUnreachable`), walked for provenance.
    mutating func extend(repository: GitRepository, tips: [(name: String, id: ObjectID)], excluded: Set<ObjectID> = [],
                         areUnreachable: Bool = false, isCancelled: () -> Bool = { false }, counted: (Int) -> Void = { _ in }) {
        var recordOf = ObjectIDMap<Int32>(capacity: 1024)
        var records: [GitRepository.CommitRecord] = []
        let excludes = !excluded.isEmpty
        var stack = tips.map(\.id).reversed().filter { !(excludes && excluded.contains($0)) && index[$0] == nil }
        var missing: [ObjectID] = []
        var polled = 0
        while let id = stack.popLast() {
            guard recordOf[id] == nil, index[id] == nil, !(excludes && excluded.contains(id)) else { continue }
            polled += 1
            if polled & 4095 == 0 {
                if isCancelled() { break }
                counted(nodes.count + records.count)
            }
            do {
                let record = try repository.commit(id)
                recordOf[id] = Int32(records.count)
                records.append(record)
                for parent in record.parents.reversed()
                where recordOf[parent] == nil && index[parent] == nil && !(excludes && excluded.contains(parent)) {
                    stack.append(parent)
                }
            } catch {
                missing.append(id)
            }
        }
        if !missing.isEmpty {
            let shallow = repository.isShallow
            issues.append(ScanIssue(
                path: repository.gitDirectory, level: shallow ? .skipped : .error, stage: .git,
                reason: shallow
                    ? "shallow clone: \(missing.count) parent commit(s) beyond the shallow boundary are not in the repository"
                    : "\(missing.count) commit(s) missing from the object database (first: \(missing.min()!))"))
        }
        // Depth-first post-order from the tips: parents are emitted before their children.
        var visited = ObjectIDMap<Bool>(capacity: records.count)
        for tip in tips {
            guard recordOf[tip.id] != nil else { continue }
            var work: [(ObjectID, Bool)] = [(tip.id, false)]
            while let (id, expanded) = work.popLast() {
                if expanded {
                    let record = records[Int(recordOf[id]!)]
                    index[id] = nodes.count
                    nodes.append(Node(id: id, tree: record.tree, time: record.time,
                                      parents: record.parents.compactMap { index[$0] }))
                    continue
                }
                guard visited[id] == nil, index[id] == nil else { continue }
                visited[id] = true
                work.append((id, true))
                for parent in records[Int(recordOf[id]!)].parents.reversed() where visited[parent] == nil && recordOf[parent] != nil {
                    work.append((parent, false))
                }
            }
        }
        self.tips += tips.compactMap { tip in index[tip.id].map { (tip.name, $0, areUnreachable) } }
    }

    /// Every commit reachable from `tips` (no trees read): used to exclude a range's base.
    static func ancestors(of tips: [ObjectID], in repository: GitRepository) -> Set<ObjectID> {
        var seen = Set<ObjectID>()
        var stack = tips
        while let id = stack.popLast() {
            guard seen.insert(id).inserted, let record = try? repository.commit(id) else { continue }
            stack += record.parents.filter { !seen.contains($0) }
        }
        return seen
    }
}
