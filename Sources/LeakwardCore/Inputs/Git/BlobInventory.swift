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
    /// Every tree walked, with a summary of the blobs under it: provenance later skips the
    /// trees that cannot hold a blob with findings instead of reading them again.
    private(set) var treeBlooms = ObjectIDMap<TreeBloom>(capacity: 1 << 14)
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

    @discardableResult
    private mutating func walk(_ tree: ObjectID, prefix: [UInt8], commit: Int, repository: GitRepository,
                               into found: inout [Item], listing: Bool) -> TreeBloom {
        if let seen = treeBlooms[tree] { return seen }
        treeBlooms[tree] = TreeBloom()
        var bloom = TreeBloom()
        var subtrees: [(ObjectID, [UInt8])] = []
        do {
            try repository.forEachEntry(ofTree: tree) { name, id, kind in
                switch kind {
                case .blob:
                    bloom.insert(id)
                    if known.insert(id, true), listing {
                        found.append(Item(id: id, path: String(decoding: prefix + Array(name), as: UTF8.self), commit: commit))
                    }
                case .tree:
                    // Most subtrees of a commit are unchanged from its parent's: seen already,
                    // so they cost a lookup, not a path.
                    if let seen = treeBlooms[id] {
                        bloom.formUnion(seen)
                    } else {
                        subtrees.append((id, prefix + Array(name) + [UInt8(ascii: "/")]))
                    }
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
        for (id, path) in subtrees {
            bloom.formUnion(walk(id, prefix: path, commit: commit, repository: repository, into: &found, listing: listing))
        }
        treeBlooms[tree] = bloom
        return bloom
    }
}

/// A 256-bit Bloom filter of blob ids: "this tree cannot hold any of these blobs" in four
/// word tests. Object ids are uniformly random, so their bytes serve as the hashes.
struct TreeBloom: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    init(_ id: ObjectID) { insert(id) }

    mutating func insert(_ id: ObjectID) {
        for shift in [UInt64(0), 8, 16] { set(Int((id.middle >> shift) & 0xFF)) }
    }

    mutating func formUnion(_ other: TreeBloom) {
        words = (words.0 | other.words.0, words.1 | other.words.1, words.2 | other.words.2, words.3 | other.words.3)
    }

    /// Whether every bit of `other` is set here: the tree may hold that one blob.
    func mayContain(_ other: TreeBloom) -> Bool {
        (words.0 & other.words.0) == other.words.0 && (words.1 & other.words.1) == other.words.1
            && (words.2 & other.words.2) == other.words.2 && (words.3 & other.words.3) == other.words.3
    }

    private mutating func set(_ bit: Int) {
        let mask = UInt64(1) << UInt64(bit & 63)
        switch bit >> 6 {
        case 0: words.0 |= mask
        case 1: words.1 |= mask
        case 2: words.2 |= mask
        default: words.3 |= mask
        }
    }
}
