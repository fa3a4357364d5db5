#if canImport(Glibc)
import Glibc
#endif
import LeakwardModel
import LeakwardSupport

/// Files under one root, as a person sees them: `.gitignore` honoured, `.git/` skipped,
/// but `.env` files always read even when ignored, because that is where secrets live, and
/// the build output of recognised frameworks read even when ignored, because that is what
/// ships (`ShippedOutput` decides; `policy` can turn either way).
public struct WorkingTreeSource: Source {
    /// The directory as the user typed it (trailing slashes dropped): findings' origins carry
    /// it with paths relative to it.
    public let root: String
    public var maxFileSize: Int
    /// Paths matching these globs are not scanned. They are relative to the directory of the
    /// config that lists them: `excludedBase` is the root's place there (`src/`, or "").
    public var excludedGlobs: [String]
    public var excludedBase: String
    /// How `.gitignore` applies: build output read (default), honoured, or ignored altogether.
    public var policy: ShippedOutput.Policy
    /// Threads that list directories.
    public var workers: Int
    /// Whether each file's size is looked up while listing (a stat per file). Only matching's
    /// progress uses it ("X of Y MB"); without progress, the read learns the size anyway.
    public var measuresSizes = true

    public init(root: String, maxFileSize: Int = 100 * 1024 * 1024, excludedGlobs: [String] = [], excludedBase: String = "",
                policy: ShippedOutput.Policy = .readShippedOutput, workers: Int = ProcessInfoCores.workerCount) {
        self.policy = policy
        self.workers = workers
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
        self.maxFileSize = maxFileSize
        self.excludedGlobs = excludedGlobs
        self.excludedBase = excludedBase
    }

    public func enumerate(into catalog: inout BlobCatalog) throws {
        walk(into: &catalog)?.run(into: &catalog)
    }

    /// The walk of a directory root, ready to list directory by directory (`Walk.list`), so a
    /// scan can read and match each directory's files as soon as it is listed; nil when the
    /// root is not a directory (standard input, a named file: then its entry or its error is
    /// in `catalog` already).
    public func walk(into catalog: inout BlobCatalog) -> Walk? {
        if root == "-" {
            catalog.add(.file(path: "/dev/stdin", origin: .file(root: ".", path: "(stdin)"), isUntracked: nil), size: 0)
            return nil
        }
        var info = stat()
        guard stat(root, &info) == 0 else {
            catalog.record(ScanIssue(path: root, level: .error, stage: .walk, reason: String(cString: strerror(errno))))
            return nil
        }
        let repository = GitRepository.discover(containing: root)
        let tracked = repository?.trackedPaths()
        if (info.st_mode & S_IFMT) != S_IFDIR {
            // A file, a pipe or a FIFO named on the command line is read as given; whether git
            // tracks it is looked up from its directory's place in the enclosing repository.
            let name = FileKind.basename(root)
            let directory = root.contains("/") ? String(root[..<root.lastIndex(of: "/")!]) : "."
            var excluded = GitIgnore()
            excluded.add(fileText: excludedGlobs.joined(separator: "\n"), base: "")
            if !excludedGlobs.isEmpty && excluded.isIgnored(excludedBase + name, isDirectory: false) {
                catalog.countAllowlisted()
                return nil
            }
            let prefix = repository.flatMap { repositoryPrefix(of: directory.isEmpty ? "/" : directory, workdir: $0.workdir) }
            catalog.add(.file(path: root, origin: Origin.namedFile(root), isUntracked: untracked(name, tracked, prefix)),
                        size: Int(info.st_size))
            return nil
        }
        let prefix = repository.flatMap { repositoryPrefix(of: root, workdir: $0.workdir) }
        var walk = Walk(source: self, tracked: tracked, repositoryPrefix: prefix)
        // The user's global ignore file first: git lets `info/exclude` and every `.gitignore` overrule it.
        let userExcludes = repository?.excludesFile.flatMap { try? FileReader.read(path: $0, limit: 1 << 20) }
        if let repository, let workdir = repository.workdir, realPath(root) == realPath(workdir) {
            if let userExcludes { walk.ignore.add(fileText: String(decoding: userExcludes, as: UTF8.self), base: "") }
            if let exclude = try? FileReader.read(path: repository.gitDirectory + "info/exclude", limit: 1 << 20) {
                walk.ignore.add(fileText: String(decoding: exclude, as: UTF8.self), base: "")
            }
        } else if let repository, let workdir = repository.workdir, let prefix, !prefix.isEmpty {
            // A folder inside a repository obeys the ignore files above it too, as git does:
            // `scan src/` must not read what `scan .` leaves out. Matched by repository path.
            let top = workdir.hasSuffix("/") ? workdir : workdir + "/"
            if let userExcludes { walk.ancestors.add(fileText: String(decoding: userExcludes, as: UTF8.self), base: "") }
            if let exclude = try? FileReader.read(path: repository.gitDirectory + "info/exclude", limit: 1 << 20) {
                walk.ancestors.add(fileText: String(decoding: exclude, as: UTF8.self), base: "")
            }
            let components = prefix.split(separator: "/").dropLast()
            for depth in 0...components.count {
                let directory = components.prefix(depth).joined(separator: "/")
                let file = top + (directory.isEmpty ? "" : directory + "/") + ".gitignore"
                if let text = try? FileReader.read(path: file, limit: 1 << 20) {
                    walk.ancestors.add(fileText: String(decoding: text, as: UTF8.self), base: directory)
                }
            }
        }
        return walk
    }

    public func makeReader() throws -> any BlobReader { Reader(root: RootDirectory(root)) }

    /// Reads the walk's files by their path relative to the root, opened once per reader: the
    /// kernel then resolves only the names below the root, not the whole absolute path each time.
    struct Reader: BlobReader {
        let root: RootDirectory

        mutating func read(_ ref: BlobRef, limit: Int) throws -> Blob {
            guard case .file(let path, let origin, _) = ref else { throw ReadError.io(path: ref.display, message: "not a file") }
            if root.fd >= 0, case .file(let base, let relative) = origin, base == root.path {
                return Blob(ref: ref, bytes: try FileReader.read(directory: root.fd, name: relative, limit: limit))
            }
            return Blob(ref: ref, bytes: try FileReader.read(path: path, limit: limit))
        }
    }

    /// The root directory held open for one reader (-1 when it is not a directory: a named file, standard input).
    public final class RootDirectory: Sendable {
        let path: String
        let fd: Int32

        public init(_ path: String) {
            self.path = path
            fd = path == "-" ? -1 : open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }

        deinit { if fd >= 0 { close(fd) } }
    }

    /// A listed directory held open while its files are read (`Walk.list(_:under:keepingOpen:)`):
    /// each file is then opened by its own name, the kernel resolving one name instead of the
    /// whole path below the root. Closed when the last batch of its files is done with it.
    public final class OpenDirectory: Sendable {
        public let fd: Int32

        init(_ fd: Int32) { self.fd = fd }

        deinit { close(fd) }

        /// The bytes of the file `name` in this directory.
        public func read(_ name: String, limit: Int) throws -> [UInt8] {
            try FileReader.read(directory: fd, name: name, limit: limit)
        }

        /// The bytes of the file in this directory that `path` (relative to the root) names.
        public func read(fileAt path: String, limit: Int) throws -> [UInt8] {
            try FileReader.read(directory: fd, nameOf: path, limit: limit)
        }
    }

    /// Path of `directory` inside the repository's work tree ("" at the top), to look paths up in the index.
    private func repositoryPrefix(of directory: String, workdir: String?) -> String? {
        guard let workdir, let rootReal = realPath(directory), let workReal = realPath(workdir) else { return nil }
        if rootReal == workReal { return "" }
        return rootReal.hasPrefix(workReal + "/") ? String(rootReal.dropFirst(workReal.count + 1)) + "/" : nil
    }

    public func untracked(_ relative: String, _ tracked: Set<String>?, _ prefix: String?) -> Bool? {
        guard let tracked, let prefix else { return nil }
        return !tracked.contains(prefix + relative)
    }

    /// Where a file under the root is, for findings and issues.
    public func origin(_ relative: String) -> Origin { .file(root: root, path: relative) }

    public func display(_ relative: String) -> String { origin(relative).displayPath }

    /// The walk: each directory is listed on its own (`list`), with what it inherits from the
    /// directories above it in its `Directory` value, so directories are listed in parallel by
    /// `Parallel.explore`; the catalog is then assembled in the order of the one-thread
    /// depth-first walk (names sorted), so what is listed never depends on scheduling.
    public struct Walk: Sendable {
        let source: WorkingTreeSource
        let tracked: Set<String>?
        /// Whether git tracks nothing below the root (a folder the repository ignores, such as
        /// a checkout kept under its build directory): then every file is untracked, told
        /// without joining and hashing its repository path.
        let tracksNothingBelowRoot: Bool
        let repositoryPrefix: String?
        let rootReal: String
        /// The ignore files of the directories between the repository's top and the root
        /// (exclusive), matched against repository paths (`repositoryPrefix` + relative).
        var ancestors = GitIgnore()
        /// The root's ignore rules read before the walk (`.git/info/exclude`).
        var ignore = GitIgnore()
        let excluded: GitIgnore
        let shipped: ShippedOutput

        init(source: WorkingTreeSource, tracked: Set<String>?, repositoryPrefix: String?) {
            self.source = source
            self.tracked = tracked
            // Compared as bytes, so only for an ASCII prefix (whose only equal spelling is itself).
            if let tracked, let repositoryPrefix, !repositoryPrefix.isEmpty, repositoryPrefix.utf8.allSatisfy({ $0 < 0x80 }) {
                tracksNothingBelowRoot = !tracked.contains { $0.utf8.starts(with: repositoryPrefix.utf8) }
            } else {
                tracksNothingBelowRoot = false
            }
            self.repositoryPrefix = repositoryPrefix
            self.rootReal = realPath(source.root) ?? source.root
            self.shipped = ShippedOutput(policy: source.policy)
            var excluded = GitIgnore()
            excluded.add(fileText: source.excludedGlobs.joined(separator: "\n"), base: "")
            self.excluded = excluded
        }

        /// The root, the first directory to list.
        public var rootDirectory: Directory { Directory(relative: "", region: nil, ignore: ignore, shipped: shipped) }

        /// A directory to list, with what the directories above it decided.
        public struct Directory: Sendable {
            /// Relative to the root, no trailing slash ("" for the root).
            public internal(set) var relative: String
            var region: ShippedOutput.Region?
            /// The ignore files of the enclosing directories.
            var ignore: GitIgnore
            /// The build output learnt in the enclosing directories.
            var shipped: ShippedOutput
        }

        /// One directory's entries in walk order: files, and the subdirectories entered in their place.
        public struct Listing: Sendable {
            public enum Item: Sendable {
                case file(BlobRef, size: Int, BuildOutputMark?)
                case directory(String)
            }
            public internal(set) var items: [Item] = []
            var issues: [ScanIssue] = []
            var allowlisted = 0
        }

        /// Walks from the root on `workers` threads into `catalog`.
        func run(into catalog: inout BlobCatalog) {
            // Directories below the root are opened relative to it: the kernel resolves only their own names.
            let rootDirectory = RootDirectory(source.root)
            let walk = self
            let parts = Parallel.explore(roots: [self.rootDirectory], workers: source.workers, start: { [(String, Listing)]() },
                                         piece: { listings, directory in
                                             let (listing, below) = walk.list(directory, under: rootDirectory.fd)
                                             listings.append((directory.relative, listing))
                                             return below
                                         }, finish: { $0 })
            assemble(parts.flatMap { $0 }, into: &catalog)
        }

        /// Lists one directory below `root` (opened once for the walk) and keeps it open for
        /// reading its files (nil when it could not be opened: the listing says why).
        public func list(_ directory: Directory, under root: RootDirectory) -> (Listing, [Directory], OpenDirectory?) {
            list(directory, under: root.fd, keepsOpen: true)
        }

        /// The catalog of the listed directories (`listings`: each directory's path relative
        /// to the root and its listing, in any order), in the order of the one-thread walk.
        public func assemble(_ parts: [(String, Listing)], into catalog: inout BlobCatalog) {
            var listings: [String: Listing] = [:]
            listings.reserveCapacity(parts.count)
            var files = 0
            for (relative, listing) in parts {
                files += listing.items.count
                listings[relative] = listing
            }
            catalog.reserve(files)
            // Depth first from the root, as the one-thread walk met them.
            func emit(_ relative: String) {
                guard let listing = listings.removeValue(forKey: relative) else { return }
                for issue in listing.issues { catalog.record(issue) }
                if listing.allowlisted > 0 { catalog.countAllowlisted(listing.allowlisted) }
                for item in listing.items {
                    switch item {
                    case .file(let ref, let size, let output): catalog.add(ref, size: size, output: output)
                    case .directory(let child): emit(child)
                    }
                }
            }
            emit("")
        }

        /// Lists one directory: its files for the catalog, its subdirectories to walk next.
        func list(_ directory: Directory, under rootFD: Int32 = -1) -> (Listing, [Directory]) {
            let (listing, below, _) = list(directory, under: rootFD, keepsOpen: false)
            return (listing, below)
        }

        /// The same, with the directory held open afterwards when `keepsOpen`.
        private func list(_ directory: Directory, under rootFD: Int32, keepsOpen: Bool) -> (Listing, [Directory], OpenDirectory?) {
            var listing = Listing()
            let relative = directory.relative
            let opened = rootFD >= 0 && !relative.isEmpty ? openat(rootFD, relative, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                : open(relative.isEmpty ? source.root : source.root + "/" + relative, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard opened >= 0 else {
                listing.issues.append(ScanIssue(path: source.display(relative), level: .error, stage: .walk,
                                                reason: "cannot open directory: \(String(cString: strerror(errno)))"))
                return (listing, [], nil)
            }
            // Held open for its files when `keepsOpen`, closed on return otherwise.
            let fd = opened
            let kept = keepsOpen ? OpenDirectory(opened) : nil
            defer { if kept == nil { close(opened) } }
            var entries: [(name: String, type: UInt8)] = []
            var hasIgnoreFile = false
            DirectoryEntries.read(fd) { name, type in
                if name == ".gitignore" { hasIgnoreFile = true }
                entries.append((name, type))
            }
            // This directory's patterns apply only below it.
            var ignore = directory.ignore
            if hasIgnoreFile, let text = try? FileReader.read(directory: fd, name: ".gitignore", limit: 1 << 20) {
                ignore.add(IgnoreFile(text: text, base: Array(relative.utf8)))
            }
            // A project directory (package.json, a framework config) tells where its build output is.
            var shipped = directory.shipped
            if directory.region == nil, shipped.mayLearn(from: entries.lazy.map(\.name)),
               !ShippedOutput.segments(relative).contains("node_modules") {
                shipped.learn(directory: relative, names: Set(entries.map(\.name)), root: source.root)
            }
            // An entry's status, relative to the open directory; a failure is the entry's walk error.
            func status(of name: String, _ child: String) -> stat? {
                var info = stat()
                guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                    listing.issues.append(ScanIssue(path: source.display(child), level: .error, stage: .walk,
                                                    reason: String(cString: strerror(errno))))
                    return nil
                }
                return info
            }
            var below: [Directory] = []
            let region = directory.region
            // Read out of the walk once per directory, for the static matchers below.
            let excluded = self.excluded, excludedBase = source.excludedBase
            let ancestors = self.ancestors, repositoryPrefix = self.repositoryPrefix
            for (name, type) in entries.sorted(by: { $0.name < $1.name }) {
                let child = relative.isEmpty ? name : relative + "/" + name
                var kind = type
                var size: Int?
                if kind == UInt8(DT_UNKNOWN) {
                    guard let info = status(of: name, child) else { continue }
                    size = Int(info.st_size)
                    switch info.st_mode & S_IFMT {
                    case S_IFDIR: kind = UInt8(DT_DIR)
                    case S_IFREG: kind = UInt8(DT_REG)
                    case S_IFLNK: kind = UInt8(DT_LNK)
                    default: kind = UInt8(DT_UNKNOWN)
                    }
                }
                if kind == UInt8(DT_DIR) {
                    if name == ".git" { continue }
                    if Walk.isExcluded(child, by: excluded, base: excludedBase, isDirectory: true) {
                        listing.allowlisted += 1
                        continue
                    }
                    let isIgnored = Walk.isIgnored(child, by: ignore, ancestors: ancestors, repositoryPrefix: repositoryPrefix, isDirectory: true)
                    switch shipped.admit(directory: child, isIgnored: isIgnored, in: region) {
                    case .skip: continue
                    case .enter(let inner):
                        listing.items.append(.directory(child))
                        below.append(Directory(relative: child, region: inner, ignore: ignore, shipped: shipped))
                    }
                    continue
                }
                let absolute = source.root + "/" + child
                if kind == UInt8(DT_LNK) {
                    // Follow a link only to a regular file inside the root: never out of it, never into a loop.
                    var info = stat()
                    guard let target = realPath(absolute), target.hasPrefix(rootReal + "/"), stat(target, &info) == 0,
                          info.st_mode & S_IFMT == S_IFREG else {
                        listing.issues.append(ScanIssue(path: source.display(child), level: .skipped, stage: .walk,
                                                        reason: "symbolic link not followed (directory, outside the root, or broken)"))
                        continue
                    }
                    size = Int(info.st_size)
                    kind = UInt8(DT_REG)
                }
                guard kind == UInt8(DT_REG) else { continue }
                if Walk.isExcluded(child, by: excluded, base: excludedBase, isDirectory: false) {
                    listing.allowlisted += 1
                    continue
                }
                let isIgnored = region == .passThrough
                    || Walk.isIgnored(child, by: ignore, ancestors: ancestors, repositoryPrefix: repositoryPrefix, isDirectory: false)
                if !shipped.reads(file: child, isIgnored: isIgnored, in: region) && !FileKind.isEnvFile(path: child) { continue }
                if size == nil, source.measuresSizes {
                    // Only files that are read are stat'ed, relative to the open directory (the
                    // size tells matching's progress how many megabytes are ahead).
                    guard let info = status(of: name, child) else { continue }
                    size = Int(info.st_size)
                }
                var output: BuildOutputMark?
                if case .output(let mark) = region { output = mark }
                listing.items.append(.file(.file(path: absolute, origin: source.origin(child),
                                                 isUntracked: tracksNothingBelowRoot ? true : source.untracked(child, tracked, repositoryPrefix)),
                                                 size: size ?? 0, output))
            }
            return (listing, below, kept)
        }

        /// Whether the config's path globs (`excluded`, relative to `base`) leave `relative` out.
        /// Static, as `isIgnored`: a method's closure copied the whole walk into its context (a
        /// retain and a release of each of its tables per path, a fifth of the listing's own time
        /// on a monorepo).
        static func isExcluded(_ relative: String, by excluded: GitIgnore, base: String, isDirectory: Bool) -> Bool {
            guard excluded.count > 0 else { return false }
            return joined(base, relative) { excluded.isIgnored(bytes: $0, isDirectory: isDirectory) }
        }

        /// Whether the ignore files (`ignore`, then `ancestors`, those above the root, matched by
        /// repository path) ignore `relative`.
        static func isIgnored(_ relative: String, by ignore: GitIgnore, ancestors: GitIgnore, repositoryPrefix: String?,
                              isDirectory: Bool) -> Bool {
            var path = relative
            if path.withUTF8({ ignore.isIgnored(bytes: $0, isDirectory: isDirectory) }) { return true }
            guard ancestors.count > 0, let repositoryPrefix else { return false }
            return joined(repositoryPrefix, relative) { ancestors.isIgnored(bytes: $0, isDirectory: isDirectory) }
        }

        /// The bytes of `prefix` then `relative`, in a temporary buffer (on the stack when short):
        /// asked for every path of the walk, so no String is built for it.
        static func joined<Result>(_ prefix: String, _ relative: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            var prefix = prefix, relative = relative
            return prefix.withUTF8 { head in
                relative.withUTF8 { tail in
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: head.count + tail.count) { buffer in
                        if let base = buffer.baseAddress {
                            if let start = head.baseAddress { base.initialize(from: start, count: head.count) }
                            if let start = tail.baseAddress { (base + head.count).initialize(from: start, count: tail.count) }
                        }
                        return body(UnsafeBufferPointer(buffer))
                    }
                }
            }
        }
    }
}

/// What a working-tree walk listed, kept after a scan for the project facts (`ProjectFactsReader`)
/// so a JSON report does not walk the tree a second time.
public struct TreeListing: Sendable {
    public let source: WorkingTreeSource
    public let entries: [BlobCatalog.Entry]
    /// Paths the config's globs left out of this walk.
    public let allowlisted: Int
    /// What some of the files held when the scan read them, by path relative to the root: the
    /// files the consumer search reads (`ProjectFactsReader`), kept within a budget so it need
    /// not open them again. The texts live in the walk's `TextArena`s.
    public var texts: [String: KeptText]

    public init(source: WorkingTreeSource, entries: [BlobCatalog.Entry], allowlisted: Int, texts: [String: KeptText] = [:]) {
        self.source = source
        self.entries = entries
        self.allowlisted = allowlisted
        self.texts = texts
    }

    /// Whether this is what a default walk of `root` lists: its root, the default ignore
    /// policy, and no path left out by the config's globs.
    public func isDefaultWalk(of root: String) -> Bool {
        source.root == WorkingTreeSource(root: root).root && source.policy == .readShippedOutput && allowlisted == 0
    }
}

func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}
