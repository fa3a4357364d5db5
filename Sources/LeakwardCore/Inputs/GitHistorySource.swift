/// A repository's history as blobs: every blob reachable from the selected commits, each read
/// once by object id, plus their commit messages. Also the index (`--staged`) and commit
/// ranges (`--range`). Objects are read through libgit2's object database only: no `git`
/// process, no hooks, filters or fsmonitor. Each worker opens its own repository handle.
public struct GitHistorySource: ProvenanceSource {
    public typealias Selection = GitSelection

    /// The path given: a work tree, a `.git` directory, a bare repository or a linked worktree.
    public let repositoryPath: String
    public let selection: Selection
    let plan: GitScanPlan

    /// Walks the selected commits now, on the calling thread (enumeration is the cheap part;
    /// `enumerate` then only lists the result). Blobs under `excludedGlobs` (by the path they
    /// were first seen at) are not read. A repository that cannot be opened becomes a
    /// recorded error, not a throw.
    public init(repositoryPath: String, selection: Selection = .allRefs, excludedGlobs: [String] = [],
                scansCommitMessages: Bool = true) {
        self.repositoryPath = repositoryPath
        self.selection = selection
        var excluded = GitIgnore()
        excluded.add(fileText: excludedGlobs.joined(separator: "\n"), base: "")
        let hasExclusions = !excludedGlobs.isEmpty
        plan = GitScanPlan(repositoryPath: repositoryPath, selection: selection,
                           scansMessages: scansCommitMessages && selection != .staged) { path in
            hasExclusions && GitHistorySource.isExcluded(path, by: excluded)
        }
    }

    /// A history source for `path` when it is the top of a work tree (or a bare repository);
    /// nil for plain directories and for subdirectories of a repository.
    public static func forRoot(_ path: String, excludedGlobs: [String] = []) -> GitHistorySource? {
        guard let repository = GitRepository.discover(containing: path) else { return nil }
        let root = realPath(path)
        let top = repository.workdir.flatMap(realPath) ?? realPath(repository.gitDirectory)
        guard let root, root == top else { return nil }
        return GitHistorySource(repositoryPath: path, excludedGlobs: excludedGlobs)
    }

    /// Issues found while planning, then one entry per blob and commit message.
    public func enumerate(into catalog: inout BlobCatalog) throws {
        for issue in plan.issues { catalog.record(issue) }
        for entry in plan.entries { catalog.add(.gitBlob(id: entry.id.description, display: entry.display), size: 0) }
    }

    public func makeReader() throws -> any BlobReader {
        Reader(repository: try GitRepository(path: repositoryPath), baselines: plan.baselines)
    }

    /// Ids of the history's blobs, so a working-tree file with the same content is matched once.
    public var knownBlobIDs: Set<String> { Set(plan.blobs.map(\.description)) }

    public func attribute(_ findings: inout [Finding], issues: inout [ScanIssue]) {
        var targets = Set<ObjectID>()
        var indices: [Int] = []
        for (i, finding) in findings.enumerated() where finding.location.commit == nil {
            guard let hex = finding.location.blob, let id = ObjectID(hex: hex),
                  plan.blobs.contains(id) || plan.graph.index[id] != nil else { continue }
            targets.insert(id)
            indices.append(i)
        }
        guard !targets.isEmpty, selection != .staged else { return }
        let repository: GitRepository
        do {
            repository = try GitRepository(path: repositoryPath)
        } catch {
            issues.append(ScanIssue(path: repositoryPath, level: .error, stage: "provenance", reason: "\(error)"))
            return
        }
        let origins = GitProvenance.compute(repository: repository, graph: plan.graph, targets: targets.sorted())
        for i in indices {
            guard let id = findings[i].location.blob.flatMap(ObjectID.init(hex:)), let origin = origins[id] else { continue }
            findings[i].location.commit = origin.commit
            if let path = origin.path { findings[i].location.path = path } else { findings[i].location.blob = nil }
        }
    }

    static func isExcluded(_ path: String, by globs: GitIgnore) -> Bool {
        if globs.isIgnored(path, isDirectory: false) { return true }
        var prefix = Substring(path)
        while let slash = prefix.lastIndex(of: "/") {
            prefix = prefix[..<slash]
            if globs.isIgnored(String(prefix), isDirectory: true) { return true }
        }
        return false
    }

    /// One worker's reader: its own repository handle, never shared.
    struct Reader: BlobReader {
        let repository: GitRepository
        let baselines: [ObjectID: ObjectID]

        mutating func read(_ ref: BlobRef, limit: Int) throws -> Blob {
            guard case .gitBlob(let hex, let display) = ref, let id = ObjectID(hex: hex) else {
                throw ReadError.io(path: ref.display, message: "not a git object")
            }
            do {
                switch try repository.readBlob(id, limit: limit) {
                case .tooLarge(let size):
                    throw ReadError.tooLarge(path: display, size: size, limit: limit)
                case .notBlob:
                    return Blob(ref: ref, bytes: try repository.commitDetails(id).message)
                case .bytes(let bytes):
                    if GitHistorySource.isLFSPointer(bytes) {
                        throw ReadError.skipped(path: display, reason: "Git LFS pointer (the file's content is not in the repository)")
                    }
                    guard let base = baselines[id], case .bytes(let old) = try repository.readBlob(base, limit: limit) else {
                        return Blob(ref: ref, bytes: bytes)
                    }
                    return Blob(ref: ref, bytes: try AddedLines.mask(new: bytes, old: old))
                }
            } catch let error as GitError {
                throw ReadError.io(path: display, message: GitRepository.isMissing(error)
                    ? "object \(hex) is missing from the object database (partial or damaged clone)"
                    : "object \(hex): \(error.message)")
            }
        }
    }

    /// A Git LFS pointer file: the real content lives on an LFS server.
    static func isLFSPointer(_ bytes: [UInt8]) -> Bool {
        bytes.count < 1024 && bytes.starts(with: Array("version https://git-lfs.github.com/spec/".utf8))
    }
}
