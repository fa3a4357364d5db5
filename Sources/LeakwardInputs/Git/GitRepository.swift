#if canImport(Glibc)
import Glibc
#endif
import CGit2
import LeakwardModel
import LeakwardSupport

/// One open libgit2 repository. Not Sendable: each worker opens its own.
public final class GitRepository {
    public let handle: OpaquePointer
    /// Absolute working directory with a trailing slash, or nil for a bare repository.
    public let workdir: String?
    /// Absolute path of the `.git` directory (or the bare repository).
    public let gitDirectory: String

    /// Opens the repository at `path` exactly (no search upwards).
    public init(path: String) throws {
        _ = GitLibrary.ready
        var repo: OpaquePointer?
        try GitError.check(git_repository_open_ext(&repo, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil),
                           "open repository \(path)")
        handle = repo!
        workdir = git_repository_workdir(handle).map { String(cString: $0) }
        gitDirectory = String(cString: git_repository_path(handle))
    }

    /// Finds the repository containing `path`, if any.
    public static func discover(containing path: String) -> GitRepository? {
        _ = GitLibrary.ready
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        guard git_repository_discover(&buffer, path, 0, nil) == 0, let found = buffer.ptr else { return nil }
        return try? GitRepository(path: String(cString: found))
    }

    /// The user's own ignore file, which git reads below `.git/info/exclude` and every
    /// `.gitignore`: the file `core.excludesFile` names (`~/` expanded), or git's default
    /// `$XDG_CONFIG_HOME/git/ignore` (`~/.config/git/ignore`). Nil when neither can be told.
    public var excludesFile: String? {
        var config: OpaquePointer?
        if git_repository_config_snapshot(&config, handle) == 0, let config {
            defer { git_config_free(config) }
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            if git_config_get_path(&buffer, config, "core.excludesfile") == 0, let path = buffer.ptr {
                let named = String(cString: path)
                if !named.isEmpty { return named }
            }
        }
        if let xdg = getenv("XDG_CONFIG_HOME").map({ String(cString: $0) }), !xdg.isEmpty { return xdg + "/git/ignore" }
        if let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty { return home + "/.config/git/ignore" }
        return nil
    }

    /// Reads trees straight from the packs for the history walks (set by the scan plan).
    var packReader: PackReader?
    /// Commits read from the packs beforehand (set by the scan plan while it walks the commit
    /// graph): `commit(_:)` answers from it before asking libgit2.
    var commitTable: CommitTable?

    /// The object database, opened on first use and kept for this handle's life.
    private var odb: OpaquePointer?

    deinit {
        if let odb { git_odb_free(odb) }
        git_repository_free(handle)
    }

    func objectDatabase() throws -> OpaquePointer {
        if let odb { return odb }
        var db: OpaquePointer?
        try GitError.check(git_repository_odb(&db, handle), "open object database")
        odb = db
        return db!
    }

    /// The object database's directory (shared by linked worktrees).
    var objectsDirectory: String {
        var path = String(cString: git_repository_commondir(handle))
        if !path.hasSuffix("/") { path += "/" }
        return path + "objects"
    }

    /// A submodule as `.gitmodules` declares it, and its repository when it is initialised
    /// (a checked-out submodule, or its git directory under `.git/modules`).
    public struct Submodule: Sendable {
        public var path: String
        public var repositoryPath: String?
    }

    /// The submodules of this repository. Reads `.gitmodules` and the config; runs nothing.
    public func submodules() -> [Submodule] {
        final class Found { var items: [(name: String, path: String)] = [] }
        let found = Found()
        withExtendedLifetime(found) {
            _ = git_submodule_foreach(handle, { submodule, _, payload in
                guard let submodule, let payload else { return 0 }
                Unmanaged<Found>.fromOpaque(payload).takeUnretainedValue().items.append(
                    (String(cString: git_submodule_name(submodule)), String(cString: git_submodule_path(submodule))))
                return 0
            }, Unmanaged.passUnretained(found).toOpaque())
        }
        var common = String(cString: git_repository_commondir(handle))
        if !common.hasSuffix("/") { common += "/" }
        return found.items.sorted { $0.path < $1.path }.map { item in
            let candidates = [workdir.map { $0 + item.path }, common + "modules/" + item.name].compactMap { $0 }
            let opened = candidates.first { candidate in
                guard let repository = try? GitRepository(path: candidate) else { return false }
                // A submodule directory that is not checked out is part of this repository's work tree.
                return realPath(repository.gitDirectory) != realPath(gitDirectory)
            }
            return Submodule(path: item.path, repositoryPath: opened)
        }
    }

    /// True for a repository without a work tree.
    public var isBare: Bool { workdir == nil }

    /// Paths (relative to the work tree) that the index tracks.
    public func trackedPaths() -> Set<String> {
        var index: OpaquePointer?
        guard git_repository_index(&index, handle) == 0, let index else { return [] }
        defer { git_index_free(index) }
        var paths = Set<String>()
        for i in 0..<git_index_entrycount(index) {
            if let entry = git_index_get_byindex(index, i), let path = entry.pointee.path { paths.insert(String(cString: path)) }
        }
        return paths
    }

    /// Git's blob id of `bytes` (SHA-1 of "blob <size>\0" + bytes), as 40 hex digits.
    public static func blobID(of bytes: UnsafeRawBufferPointer) -> ObjectID {
        _ = GitLibrary.ready
        var oid = git_oid()
        _ = git_odb_hash(&oid, bytes.baseAddress, bytes.count, GIT_OBJECT_BLOB)
        return ObjectID(oid)
    }

    static func oidString(_ oid: git_oid) -> String {
        withUnsafeBytes(of: oid.id) { SHA256.hexString(Array($0.prefix(20))) }
    }
}
