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
    private(set) var known = Set<ObjectID>()
    private var seenTrees = Set<ObjectID>()
    /// Submodule paths (gitlinks) met, each once.
    private(set) var submodules = Set<String>()
    private(set) var issues: [ScanIssue] = []

    init() {}

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

    private mutating func walk(_ tree: ObjectID, prefix: [UInt8], commit: Int, repository: GitRepository,
                               into found: inout [Item], listing: Bool) {
        guard seenTrees.insert(tree).inserted else { return }
        var subtrees: [(ObjectID, [UInt8])] = []
        do {
            try repository.forEachEntry(ofTree: tree) { name, id, kind in
                switch kind {
                case .blob:
                    if known.insert(id).inserted, listing {
                        found.append(Item(id: id, path: String(decoding: prefix + Array(name), as: UTF8.self), commit: commit))
                    }
                case .tree:
                    subtrees.append((id, prefix + Array(name) + [UInt8(ascii: "/")]))
                case .submodule:
                    if listing { submodules.insert(String(decoding: prefix + Array(name), as: UTF8.self)) }
                case .other:
                    break
                }
            }
        } catch let error as GitError {
            let path = prefix.isEmpty ? "tree \(tree)" : String(decoding: prefix.dropLast(), as: UTF8.self)
            issues.append(ScanIssue(path: path, level: .error, stage: "git",
                                    reason: GitRepository.isMissing(error) ? "tree \(tree) is missing from the object database" : error.description))
        } catch {}
        for (id, path) in subtrees { walk(id, prefix: path, commit: commit, repository: repository, into: &found, listing: listing) }
    }
}
