import CGit2
#if canImport(Glibc)
import Glibc
#endif
import LeakwardModel

/// Object reads used by the history scan. Every call runs on the thread that owns the
/// repository handle; errors come back as `GitError` with libgit2's message.
extension GitRepository {
    /// One commit as the history walk needs it: no author or message, to keep walks small.
    struct CommitRecord {
        var id: ObjectID
        var tree: ObjectID
        var parents: [ObjectID]
        /// Committer time, seconds since the epoch.
        var time: Int64
    }

    /// What a person reads about a commit.
    struct CommitDetails {
        var author: String
        var email: String
        var time: Int64
        var summary: String
        var message: [UInt8]
    }

    /// Kinds of tree entries the walks care about.
    enum EntryKind { case blob, tree, submodule, other }

    /// Every reference (branches, tags, remote-tracking refs, notes, stash) peeled to the commit
    /// it names, sorted by name, plus `HEAD` when it is detached. Refs that do not name a
    /// commit (a tag of a tree or blob) are returned in `unpeelable`.
    public func references() throws -> (commits: [(name: String, id: ObjectID)], unpeelable: [String]) {
        var iterator: OpaquePointer?
        try GitError.check(git_reference_iterator_new(&iterator, handle), "list references")
        defer { git_reference_iterator_free(iterator) }
        var commits: [(name: String, id: ObjectID)] = []
        var unpeelable: [String] = []
        var reference: OpaquePointer?
        while git_reference_next(&reference, iterator) == 0, let ref = reference {
            defer { git_reference_free(ref) }
            let name = String(cString: git_reference_name(ref))
            var object: OpaquePointer?
            if git_reference_peel(&object, ref, GIT_OBJECT_COMMIT) == 0, let object {
                commits.append((name, ObjectID(git_object_id(object))))
                git_object_free(object)
            } else {
                unpeelable.append(name)
            }
        }
        if git_repository_head_detached(handle) == 1, let head = headCommit() { commits.append(("HEAD", head)) }
        commits.sort { $0.name < $1.name }
        return (commits, unpeelable.sorted())
    }

    /// The full name of the default branch: the branch HEAD names, or when HEAD is detached
    /// the one `origin/HEAD` names; nil when neither says.
    public func defaultBranch() -> String? {
        for name in ["HEAD", "refs/remotes/origin/HEAD"] {
            var reference: OpaquePointer?
            guard git_reference_lookup(&reference, handle, name) == 0, let ref = reference else { continue }
            defer { git_reference_free(ref) }
            if git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC, let target = git_reference_symbolic_target(ref) {
                return String(cString: target)
            }
        }
        return nil
    }

    /// Ids of the loose objects (`objects/xx/…`), in no particular order.
    func looseObjectIDs() -> [ObjectID] {
        let digits = Array("0123456789abcdef")
        var ids: [ObjectID] = []
        for prefix in 0..<256 {
            let hex = String([digits[prefix >> 4], digits[prefix & 15]])
            guard let directory = opendir(objectsDirectory + "/" + hex) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.utf8.count == 38, let id = ObjectID(hex: hex + name) { ids.append(id) }
            }
        }
        return ids
    }

    /// The kind of object `id` names (1 commit, 2 tree, 3 blob, 4 tag), from its header only.
    func objectKind(_ id: ObjectID) -> UInt8? {
        guard let database = try? objectDatabase() else { return nil }
        var oid = id.oid
        var size = 0
        var type = GIT_OBJECT_INVALID
        guard git_odb_read_header(&size, &type, database, &oid) == 0 else { return nil }
        return UInt8(clamping: type.rawValue)
    }

    /// The commit HEAD points at, or nil for an unborn branch.
    func headCommit() -> ObjectID? { try? resolveCommit("HEAD") }

    /// Why HEAD names no commit (a damaged or hand-edited HEAD); nil when it is fine or unborn
    /// (a new repository without commits).
    var headProblem: String? {
        if git_repository_head_unborn(handle) == 1 { return nil }
        do {
            _ = try resolveCommit("HEAD")
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Resolves a revision (`main`, `v1.2`, `HEAD~3`, an id) to a commit id.
    func resolveCommit(_ revision: String) throws -> ObjectID {
        var object: OpaquePointer?
        try GitError.check(git_revparse_single(&object, handle, revision), "resolve '\(revision)'")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try GitError.check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "resolve '\(revision)' to a commit")
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit))
    }

    var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

    func commit(_ id: ObjectID) throws -> CommitRecord {
        if let record = commitTable?.record(id) { return record }
        var oid = id.oid
        var commit: OpaquePointer?
        try GitError.check(git_commit_lookup(&commit, handle, &oid), "read commit \(id)")
        defer { git_commit_free(commit) }
        let parents = (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0).map(ObjectID.init) }
        return CommitRecord(id: id, tree: ObjectID(git_commit_tree_id(commit)), parents: parents, time: git_commit_time(commit))
    }

    func commitDetails(_ id: ObjectID) throws -> CommitDetails {
        var oid = id.oid
        var commit: OpaquePointer?
        try GitError.check(git_commit_lookup(&commit, handle, &oid), "read commit \(id)")
        defer { git_commit_free(commit) }
        let author = git_commit_author(commit)
        let raw = git_commit_message_raw(commit).map { Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: strlen($0))) } ?? []
        return CommitDetails(
            author: author.flatMap { $0.pointee.name.map { String(cString: $0) } } ?? "",
            email: author.flatMap { $0.pointee.email.map { String(cString: $0) } } ?? "",
            time: git_commit_time(commit),
            summary: git_commit_summary(commit).map { String(cString: $0) } ?? "",
            message: raw)
    }

    /// Calls `body` with each entry of tree `id`: its name bytes, id and kind. Trees in a pack
    /// are read and parsed directly when `packReader` is set (the history walks), else by libgit2.
    func forEachEntry(ofTree id: ObjectID, _ body: (UnsafeBufferPointer<UInt8>, ObjectID, EntryKind) -> Void) throws {
        if let tree = packReader?.rebuilt(id), tree.kind == .tree, GitRepository.parseTree(tree.bytes, body) {
            return
        }
        var oid = id.oid
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, handle, &oid), "read tree \(id)")
        defer { git_tree_free(tree) }
        for i in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, i), let name = git_tree_entry_name(entry) else { continue }
            let kind: EntryKind
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_TREE: kind = .tree
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE, GIT_FILEMODE_LINK: kind = .blob
            case GIT_FILEMODE_COMMIT: kind = .submodule
            default: kind = .other
            }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name))
            body(bytes, ObjectID(git_tree_entry_id(entry)), kind)
        }
    }

    /// The raw bytes of tree `id` when a pack holds it and they are a well-formed tree; nil
    /// otherwise (`forEachEntry` then asks libgit2, which reports any damage).
    func packedTreeBytes(_ id: ObjectID) -> [UInt8]? {
        guard let tree = packReader?.rebuilt(id), tree.kind == .tree,
              tree.bytes.withUnsafeBufferPointer({ GitRepository.walkTree($0, emits: false) { _, _, _ in } }) else { return nil }
        return tree.bytes
    }

    /// Walks a raw tree object (`mode SP name NUL id`…), calling `body` per entry; false when
    /// the bytes are not a well-formed tree (libgit2 then reads it and reports the damage).
    /// Modes are normalised as libgit2 does: any regular file or symlink is a blob.
    static func parseTree(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>, ObjectID, EntryKind) -> Void) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            // Validate first, so `body` never sees half of a damaged tree; then walk again.
            guard GitRepository.walkTree(buffer, emits: false, body) else { return false }
            return GitRepository.walkTree(buffer, emits: true, body)
        }
    }

    /// An entry's kind from its mode, normalised as libgit2 does: any regular file or symlink is a blob.
    @inline(__always)
    static func entryKind(mode: Int) -> EntryKind {
        switch mode & 0o170000 {
        case 0o040000: .tree
        case 0o100000, 0o120000: .blob
        case 0o160000: .submodule
        default: .other
        }
    }

    /// One pass over a raw tree: false at the first malformed entry; calls `body` per entry
    /// when it `emits`.
    static func walkTree(_ buffer: UnsafeBufferPointer<UInt8>, emits: Bool,
                                 _ body: (UnsafeBufferPointer<UInt8>, ObjectID, EntryKind) -> Void) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let raw = UnsafeRawBufferPointer(buffer)
        var i = 0
        let n = buffer.count
        while i < n {
            var mode = 0
            while i < n, base[i] != 0x20 {
                guard base[i] >= 0x30, base[i] <= 0x37, mode < 0o1_000_000 else { return false }
                mode = mode << 3 | Int(base[i] - 0x30)
                i += 1
            }
            i += 1
            let nameStart = i
            while i < n, base[i] != 0 { i += 1 }
            guard i < n, i > nameStart, i + 21 <= n else { return false }
            if emits {
                body(UnsafeBufferPointer(start: base + nameStart, count: i - nameStart), ObjectID(rawBytes: raw, at: i + 1), entryKind(mode: mode))
            }
            i += 21
        }
        return true
    }

    /// The blob at `path` in tree `tree`, if there is one.
    public func blob(atPath path: String, inTree tree: ObjectID) -> ObjectID? {
        var oid = tree.oid
        var object: OpaquePointer?
        guard git_tree_lookup(&object, handle, &oid) == 0 else { return nil }
        defer { git_tree_free(object) }
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, object, path) == 0, let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        return ObjectID(git_tree_entry_id(entry))
    }

    /// The bytes of the file at `path` (relative to the top) in `revision`'s tree, nil when that
    /// tree has none; throws when the revision does not resolve or the blob cannot be read.
    public func fileBytes(atPath path: String, inRevision revision: String) throws -> [UInt8]? {
        let tree = try commit(try resolveCommit(revision)).tree
        guard let id = blob(atPath: path, inTree: tree) else { return nil }
        guard case .bytes(let bytes) = try readBlob(id, limit: 64 * 1024 * 1024) else { return nil }
        return bytes
    }

    /// The best common ancestor of two revisions (`git merge-base`), as a full id; nil when
    /// either does not resolve or they share no history.
    public func mergeBase(_ one: String, _ other: String) -> String? {
        guard var a = (try? resolveCommit(one))?.oid, var b = (try? resolveCommit(other))?.oid else { return nil }
        var base = git_oid()
        guard git_merge_base(&base, handle, &a, &b) == 0 else { return nil }
        return GitRepository.oidString(base)
    }

    /// The full id of a revision's commit, nil when it does not resolve.
    public func commitID(_ revision: String) -> String? {
        (try? resolveCommit(revision)).map { "\($0)" }
    }

    /// Whether `revision` names a commit this repository holds.
    public func resolves(_ revision: String) -> Bool { (try? resolveCommit(revision)) != nil }

    /// The index's stage-0 entries (path, blob id); conflicted entries are left out.
    func indexEntries() throws -> [(path: String, id: ObjectID, isSubmodule: Bool)] {
        var index: OpaquePointer?
        try GitError.check(git_repository_index(&index, handle), "read index")
        defer { git_index_free(index) }
        var entries: [(path: String, id: ObjectID, isSubmodule: Bool)] = []
        for i in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, i), let path = entry.pointee.path,
                  git_index_entry_stage(entry) == 0 else { continue }
            entries.append((String(cString: path), ObjectID(entry.pointee.id),
                            entry.pointee.mode == GIT_FILEMODE_COMMIT.rawValue))
        }
        return entries
    }

    /// Reads a blob's bytes; `limit` is checked against the header first so a huge blob is
    /// never inflated. Throws `GitError` (code `GIT_ENOTFOUND` for a missing object).
    func readBlob(_ id: ObjectID, limit: Int) throws -> BlobContent {
        let db = try objectDatabase()
        var oid = id.oid
        var size = 0
        var type = GIT_OBJECT_INVALID
        try GitError.check(git_odb_read_header(&size, &type, db, &oid), "read object \(id)")
        guard type == GIT_OBJECT_BLOB else { return .notBlob }
        guard size <= limit else { return .tooLarge(size) }
        var object: OpaquePointer?
        try GitError.check(git_odb_read(&object, db, &oid), "read object \(id)")
        defer { git_odb_object_free(object) }
        let count = git_odb_object_size(object)
        guard count > 0, let data = git_odb_object_data(object) else { return .bytes([]) }
        return .bytes(Array(UnsafeRawBufferPointer(start: data, count: count)))
    }

    enum BlobContent {
        case bytes([UInt8])
        case tooLarge(Int)
        case notBlob
    }

    /// Whether `error` means the object is not in the object database.
    static func isMissing(_ error: GitError) -> Bool { error.code == GIT_ENOTFOUND.rawValue }
}
