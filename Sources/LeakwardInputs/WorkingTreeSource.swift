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

    public init(root: String, maxFileSize: Int = 100 * 1024 * 1024, excludedGlobs: [String] = [], excludedBase: String = "",
                policy: ShippedOutput.Policy = .readShippedOutput) {
        self.policy = policy
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
        self.maxFileSize = maxFileSize
        self.excludedGlobs = excludedGlobs
        self.excludedBase = excludedBase
    }

    public func enumerate(into catalog: inout BlobCatalog) throws {
        if root == "-" {
            catalog.add(.file(path: "/dev/stdin", origin: .file(root: ".", path: "(stdin)"), isUntracked: nil), size: 0)
            return
        }
        var info = stat()
        guard stat(root, &info) == 0 else {
            catalog.record(ScanIssue(path: root, level: .error, stage: .walk, reason: String(cString: strerror(errno))))
            return
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
                return
            }
            let prefix = repository.flatMap { repositoryPrefix(of: directory.isEmpty ? "/" : directory, workdir: $0.workdir) }
            catalog.add(.file(path: root, origin: Origin.namedFile(root), isUntracked: untracked(name, tracked, prefix)),
                        size: Int(info.st_size))
            return
        }
        let prefix = repository.flatMap { repositoryPrefix(of: root, workdir: $0.workdir) }
        var walk = Walk(source: self, tracked: tracked, repositoryPrefix: prefix)
        if let repository, let workdir = repository.workdir, realPath(root) == realPath(workdir) {
            if let exclude = try? FileReader.read(path: repository.gitDirectory + "info/exclude", limit: 1 << 20) {
                walk.ignore.add(fileText: String(decoding: exclude, as: UTF8.self), base: "")
            }
        } else if let repository, let workdir = repository.workdir, let prefix, !prefix.isEmpty {
            // A folder inside a repository obeys the ignore files above it too, as git does:
            // `scan src/` must not read what `scan .` leaves out. Matched by repository path.
            let top = workdir.hasSuffix("/") ? workdir : workdir + "/"
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
        walk.directory("", region: nil, into: &catalog)
    }

    public func makeReader() throws -> any BlobReader { Reader() }

    struct Reader: BlobReader {
        mutating func read(_ ref: BlobRef, limit: Int) throws -> Blob {
            guard case .file(let path, _, _) = ref else { throw ReadError.io(path: ref.display, message: "not a file") }
            return Blob(ref: ref, bytes: try FileReader.read(path: path, limit: limit))
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

    /// The recursive walk, with the ignore rules gathered so far.
    struct Walk {
        let source: WorkingTreeSource
        let tracked: Set<String>?
        let repositoryPrefix: String?
        var ignore = GitIgnore()
        var shipped: ShippedOutput
        let rootReal: String
        /// The ignore files of the directories between the repository's top and the root
        /// (exclusive), matched against repository paths (`repositoryPrefix` + relative).
        var ancestors = GitIgnore()

        /// Whether the ignore files above the root ignore `relative`.
        func ignoredAbove(_ bytes: [UInt8], isDirectory: Bool) -> Bool {
            guard ancestors.count > 0, let repositoryPrefix else { return false }
            return ancestors.isIgnored(bytes: Array(repositoryPrefix.utf8) + bytes, isDirectory: isDirectory)
        }

        init(source: WorkingTreeSource, tracked: Set<String>?, repositoryPrefix: String?) {
            self.source = source
            self.tracked = tracked
            self.repositoryPrefix = repositoryPrefix
            self.rootReal = realPath(source.root) ?? source.root
            self.shipped = ShippedOutput(policy: source.policy)
            var excluded = GitIgnore()
            excluded.add(fileText: source.excludedGlobs.joined(separator: "\n"), base: "")
            self.excluded = excluded
        }

        let excluded: GitIgnore

        mutating func directory(_ relative: String, region: ShippedOutput.Region?, into catalog: inout BlobCatalog) {
            let absolute = relative.isEmpty ? source.root : source.root + "/" + relative
            // This directory's patterns apply only below it: dropped again when it is done.
            let enclosing = ignore.count
            defer { ignore.truncate(to: enclosing) }
            if let text = try? FileReader.read(path: absolute + "/.gitignore", limit: 1 << 20) {
                ignore.add(fileText: String(decoding: text, as: UTF8.self), base: relative)
            }
            guard let dir = opendir(absolute) else {
                catalog.record(ScanIssue(path: source.display(relative), level: .error, stage: .walk,
                                         reason: "cannot open directory: \(String(cString: strerror(errno)))"))
                return
            }
            var entries: [(name: String, type: UInt8)] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                entries.append((name, entry.pointee.d_type))
            }
            closedir(dir)
            // A project directory (package.json, a framework config) tells where its build output is.
            if region == nil, !relative.split(separator: "/").contains("node_modules") {
                shipped.learn(directory: relative, names: Set(entries.map(\.name)), root: source.root)
            }
            for (name, type) in entries.sorted(by: { $0.name < $1.name }) {
                let child = relative.isEmpty ? name : relative + "/" + name
                visit(child, type: type, region: region, into: &catalog)
            }
        }

        mutating func visit(_ relative: String, type: UInt8, region: ShippedOutput.Region?, into catalog: inout BlobCatalog) {
            let absolute = source.root + "/" + relative
            var kind = type
            var size = 0
            var info = stat()
            if kind == UInt8(DT_UNKNOWN) || kind == UInt8(DT_REG) || kind == UInt8(DT_LNK) {
                guard lstat(absolute, &info) == 0 else {
                    catalog.record(ScanIssue(path: source.display(relative), level: .error, stage: .walk,
                                             reason: String(cString: strerror(errno))))
                    return
                }
                size = Int(info.st_size)
                switch info.st_mode & S_IFMT {
                case S_IFDIR: kind = UInt8(DT_DIR)
                case S_IFREG: kind = UInt8(DT_REG)
                case S_IFLNK: kind = UInt8(DT_LNK)
                default: kind = UInt8(DT_UNKNOWN)
                }
            }
            let name = FileKind.basename(relative)
            let bytes = Array(relative.utf8)
            let excludedBytes = source.excludedBase.isEmpty ? bytes : Array((source.excludedBase + relative).utf8)
            if kind == UInt8(DT_DIR) {
                if name == ".git" { return }
                if excluded.isIgnored(bytes: excludedBytes, isDirectory: true) {
                    catalog.countAllowlisted()
                    return
                }
                let isIgnored = ignore.isIgnored(bytes: bytes, isDirectory: true) || ignoredAbove(bytes, isDirectory: true)
                switch shipped.admit(directory: relative, isIgnored: isIgnored, in: region) {
                case .skip: return
                case .enter(let inner): directory(relative, region: inner, into: &catalog)
                }
                return
            }
            if kind == UInt8(DT_LNK) {
                // Follow a link only to a regular file inside the root: never out of it, never into a loop.
                guard let target = realPath(absolute), target.hasPrefix(rootReal + "/"), stat(target, &info) == 0,
                      info.st_mode & S_IFMT == S_IFREG else {
                    catalog.record(ScanIssue(path: source.display(relative), level: .skipped, stage: .walk,
                                             reason: "symbolic link not followed (directory, outside the root, or broken)"))
                    return
                }
                size = Int(info.st_size)
                kind = UInt8(DT_REG)
            }
            guard kind == UInt8(DT_REG) else { return }
            if excluded.isIgnored(bytes: excludedBytes, isDirectory: false) {
                catalog.countAllowlisted()
                return
            }
            let isIgnored = region == .passThrough || ignore.isIgnored(bytes: bytes, isDirectory: false)
                || ignoredAbove(bytes, isDirectory: false)
            if !shipped.reads(file: relative, isIgnored: isIgnored, in: region) && !FileKind.isEnvFile(path: relative) { return }
            var output: BuildOutputMark?
            if case .output(let mark) = region { output = mark }
            catalog.add(.file(path: absolute, origin: source.origin(relative),
                              isUntracked: source.untracked(relative, tracked, repositoryPrefix)), size: size, output: output)
        }
    }
}

func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}
