#if canImport(Glibc)
import Glibc
#endif
import LeakwardDecoders
import LeakwardModel
import LeakwardSupport

/// A repository's history as blobs: every blob reachable from the selected commits, each read
/// once by object id, plus their commit messages. Also the index (`--staged`) and commit
/// ranges (`--range`). Objects are read through libgit2's object database only: no `git`
/// process, no hooks, filters or fsmonitor. Each worker opens its own repository handle.
public struct GitHistorySource: ProvenanceSource, IncrementalSource {
    public typealias Selection = GitSelection

    /// The path given: a work tree, a `.git` directory, a bare repository or a linked worktree.
    public let repositoryPath: String
    public let selection: Selection
    /// Which blobs may be matched only where they changed since their base (`.off`: every
    /// blob's whole content).
    public let partialMatching: PartialMatching
    /// Match every blob's whole content.
    public var readsFullBlobs: Bool { !partialMatching.isEnabled }
    /// Put before every path (a submodule's path in its superproject, ending in `/`).
    public let pathPrefix: String
    /// The repository as findings' origins name it (the superproject's, for a submodule).
    public let root: String
    /// Threads for the planning walk and provenance.
    public let workers: Int
    /// Polled by the planning walk and provenance, so an interrupt is honoured in every phase.
    public let isCancelled: @Sendable () -> Bool
    /// Name every ref that reaches a sighting, not only a few (`--all-refs`).
    public var listsAllRefs = false

    var plan: GitScanPlan
    /// Set for a rescan (`rescanning(around:)`): the places of the bases' findings.
    var rescanPlaces: [ObjectID: FindingPlaces]?

    /// Walks the selected commits now, before returning (on `workers` threads; enumeration is the cheap part;
    /// `enumerate` then only lists the result). Blobs under `excludedGlobs` (by the path they
    /// were first seen at) are not read. A repository that cannot be opened becomes a
    /// recorded error, not a throw.
    /// `pathPrefix` goes before every path (a submodule's path in its superproject, which is
    /// then `root`);
    /// `followsSubmodules` leaves gitlinks unreported because the caller scans them itself.
    public init(repositoryPath: String, selection: Selection = .allRefs, excludedGlobs: [String] = [],
                scansCommitMessages: Bool = true, partialMatching: PartialMatching = .standard,
                root: String? = nil, pathPrefix: String = "", followsSubmodules: Bool = false, includesUnreachable: Bool = true,
                workers: Int = ProcessInfoCores.workerCount, isCancelled: @escaping @Sendable () -> Bool = { false },
                progress: (@Sendable (ScanProgress) -> Void)? = nil) {
        self.repositoryPath = repositoryPath
        self.isCancelled = isCancelled
        self.root = root ?? repositoryPath
        self.pathPrefix = pathPrefix
        self.workers = workers
        self.selection = selection
        self.partialMatching = partialMatching
        var excluded = GitIgnore()
        excluded.add(fileText: excludedGlobs.joined(separator: "\n"), base: "")
        let hasExclusions = !excludedGlobs.isEmpty
        // Verdicts on directories, asked again for every blob under them (453,000 on Rails).
        var directories: [String: Bool] = [:]
        plan = GitScanPlan(repositoryPath: repositoryPath, selection: selection,
                           scansMessages: scansCommitMessages && selection != .staged,
                           partialMatching: partialMatching, root: root ?? repositoryPath, pathPrefix: pathPrefix,
                           followsSubmodules: followsSubmodules, includesUnreachable: includesUnreachable,
                           workers: workers, isCancelled: isCancelled, progress: progress) { path in
            hasExclusions && GitHistorySource.isExcluded(path, by: excluded, directories: &directories)
        }
    }

    /// A history source for `path` when it is the top of a work tree (or a bare repository);
    /// nil for plain directories and for subdirectories of a repository.
    /// `includesUnreachable`: also the objects no ref reaches (false for `--reachable-only`).
    public static func forRoot(_ path: String, excludedGlobs: [String] = [], partialMatching: PartialMatching = .standard,
                               includesUnreachable: Bool = true, workers: Int = ProcessInfoCores.workerCount,
                               isCancelled: @escaping @Sendable () -> Bool = { false },
                               progress: (@Sendable (ScanProgress) -> Void)? = nil) -> GitHistorySource? {
        guard let repository = GitRepository.discover(containing: path) else { return nil }
        let root = realPath(path)
        let top = repository.workdir.flatMap(realPath) ?? realPath(repository.gitDirectory)
        guard let root, root == top else { return nil }
        return GitHistorySource(repositoryPath: path, excludedGlobs: excludedGlobs, partialMatching: partialMatching,
                                includesUnreachable: includesUnreachable, workers: workers,
                                isCancelled: isCancelled, progress: progress)
    }

    /// A directory with a `.git` that libgit2 cannot open (no object directory, no HEAD):
    /// without this it would silently become a plain directory scan, its history unread.
    public static func damagedRepository(at path: String) -> ScanIssue? {
        let dotGit = path.hasSuffix("/") ? path + ".git" : path + "/.git"
        guard access(dotGit, F_OK) == 0, GitRepository.discover(containing: path) == nil else { return nil }
        let reason: String
        do {
            _ = try GitRepository(path: path)
            reason = "libgit2 does not recognise it"
        } catch {
            reason = "\(error)"
        }
        return ScanIssue(path: dotGit, level: .error, stage: .git,
                         reason: "not a readable git repository (\(reason)); its history was not scanned, only the files on disk")
    }

    /// Issues found while planning, then one entry per blob and commit message.
    public func enumerate(into catalog: inout BlobCatalog) throws {
        for issue in plan.issues { catalog.record(issue) }
        catalog.countAllowlisted(plan.allowlisted)
        catalog.reserve(plan.entries.count)   // a Rails history lists 453,000: no regrowth copying them
        for entry in plan.entries { catalog.add(.gitBlob(id: entry.id, origin: plan.origin(of: entry)), size: 0) }
    }

    public func makeReader() throws -> any BlobReader {
        Reader(repository: try GitRepository(path: repositoryPath), packs: plan.packs.flatMap { try? PackReader(store: $0) },
               baselines: plan.baselines, deltaBases: readsFullBlobs ? ObjectIDMap(capacity: 1) : plan.deltaBases,
               deltaBaseIDs: readsFullBlobs ? ObjectIDMap(capacity: 1) : plan.deltaBaseIDs,
               mask: DeltaMask(longMatchKeywords: partialMatching.wholeBlobKeywords), headBlobs: plan.headBlobs,
               rescanPlaces: rescanPlaces, messages: plan.messages, commits: plan.graph.index)
    }

    public func dependents(of blobs: Set<ObjectID>) -> [BlobRef] {
        guard !readsFullBlobs else { return [] }
        return plan.dependents(of: blobs).map { BlobRef.gitBlob(id: $0.id, origin: .history(root: root, path: $0.path)) }
    }

    public func rescanning(around places: [ObjectID: FindingPlaces]) -> any Source {
        var copy = self
        copy.rescanPlaces = places
        return copy
    }

    /// Set when nothing could be planned: the repository does not open or a revision given
    /// (`--since`, `--range`, `--branch`) does not resolve. A CLI should stop rather than pass.
    public var fatalProblem: String? { plan.fatalProblem }

    /// Ids of the history's blobs matched with every check, so a working-tree file with the
    /// same content is matched once. A file whose content is a blob no longer in HEAD (whose
    /// config checks were skipped) is matched itself.
    public var knownBlobIDs: Set<ObjectID> {
        guard let head = plan.headBlobs else { return plan.blobs }
        var known = head.intersection(plan.blobs)
        for entry in plan.entries where entry.kind == .unreachableBlob { known.insert(entry.id) }
        return known
    }

    public var timings: ScanTimings { plan.timings }

    public func attribute(_ findings: inout [Finding], issues: inout [ScanIssue], timings: inout ScanTimings) {
        // Matching is over: its messages would only add to provenance's peak.
        plan.messages.release()
        var targets = Set<ObjectID>()
        var indices: [Int] = []
        for (i, finding) in findings.enumerated() where finding.location.commit == nil {
            // Several repositories in one scan (`--repos`, a fork beside its origin) may hold
            // the same blob: each attributes only the sightings whose origin is its own.
            guard let id = finding.location.blob ?? finding.location.origin.messageCommit, holds(finding.location.origin),
                  plan.blobs.contains(id) || plan.graph.index[id] != nil else { continue }
            targets.insert(id)
            indices.append(i)
        }
        guard !targets.isEmpty, selection != .staged else { return }
        let repository: GitRepository
        do {
            repository = try GitRepository(path: repositoryPath)
        } catch {
            issues.append(ScanIssue(path: repositoryPath, level: .error, stage: .provenance, reason: "\(error)"))
            return
        }
        let packs = plan.packs, path = repositoryPath
        repository.packReader = packs.flatMap { try? PackReader(store: $0, cacheBudget: PackReader.treeCacheBudget) }
        let origins = GitProvenance.compute(repository: repository, graph: plan.graph, targets: targets.sorted(),
                                            trees: plan.trees, refNameLimit: listsAllRefs ? nil : RefSummary.defaultNameLimit,
                                            workers: workers, isCancelled: isCancelled, timings: &timings) {
            let handle = try? GitRepository(path: path)
            handle?.packReader = packs.flatMap { try? PackReader(store: $0, cacheBudget: PackReader.treeCacheBudget) }
            return handle
        }
        for i in indices {
            let location = findings[i].location
            guard let id = location.blob ?? location.origin.messageCommit, let origin = origins[id] else { continue }
            findings[i].location.commit = origin.commit
            if let paths = origin.commit.paths {
                // Shown as the finding's own path is: the root as given, then the path in the repository.
                findings[i].location.commit!.paths = paths.map { site in
                    var shown = site
                    shown.path = Origin.history(root: root, path: pathPrefix + site.path).displayPath
                    return shown
                }
            }
            if let path = origin.path, case .history = location.origin {
                findings[i].location.origin = .history(root: root, path: pathPrefix + path)
            }
        }
    }

    /// Whether a finding's origin is this repository's (a history blob under `pathPrefix`, or
    /// a commit message or unreachable blob of it).
    func holds(_ origin: Origin) -> Bool {
        switch origin {
        case .history(let shownRoot, let path): shownRoot == root && path.hasPrefix(pathPrefix)
        case .commitMessage(let shownRoot, _), .unreachableBlob(let shownRoot, _): shownRoot == plan.messageRoot
        case .file: false
        }
    }

    /// Whether `path` or a directory above it is excluded; `directories` remembers the
    /// directories' verdicts (each one's own, or its parent's).
    static func isExcluded(_ path: String, by globs: GitIgnore, directories: inout [String: Bool]) -> Bool {
        if globs.isIgnored(path, isDirectory: false) { return true }
        // The last `/` byte (a path splits at bytes; searching Characters cost a tenth of a second on Rails).
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return false }
        return isExcluded(directory: String(path[..<slash]), by: globs, directories: &directories)
    }

    private static func isExcluded(directory: String, by globs: GitIgnore, directories: inout [String: Bool]) -> Bool {
        if let known = directories[directory] { return known }
        var verdict = globs.isIgnored(directory, isDirectory: true)
        if !verdict, let slash = directory.utf8.lastIndex(of: UInt8(ascii: "/")) {
            verdict = isExcluded(directory: String(directory[..<slash]), by: globs, directories: &directories)
        }
        directories[directory] = verdict
        return verdict
    }

    /// One worker's reader: its own repository handle and pack reader, never shared. Blobs in
    /// a pack are rebuilt by `PackReader`; anything else (loose objects, objects in alternates,
    /// a pack it cannot read) goes through libgit2.
    struct Reader: BlobReader {
        let repository: GitRepository
        let packs: PackReader?
        let baselines: [ObjectID: ObjectID]
        let deltaBases: ObjectIDMap<ObjectID>
        /// The blobs in `deltaBases`' values.
        let deltaBaseIDs: ObjectIDMap<Bool>
        let mask: DeltaMask
        /// See `GitScanPlan.headBlobs`.
        let headBlobs: Set<ObjectID>?
        /// See `GitHistorySource.rescanPlaces`.
        let rescanPlaces: [ObjectID: FindingPlaces]?
        /// Commit messages read while planning, by node of `commits` (see `CommitMessages`).
        let messages: KeptMessages
        let commits: ObjectIDMap<Int>
        /// Bases read by this worker: whether each holds a long-match keyword.
        var longMatches = ObjectIDMap<Bool>(capacity: 1024)
        /// Bases read by this worker that had findings: where they lie (`matched(_:places:)`).
        var basePlaces: [ObjectID: FindingPlaces] = [:]

        mutating func matched(_ id: ObjectID, places: FindingPlaces) {
            if deltaBaseIDs[id] != nil { basePlaces[id] = places }
        }

        mutating func read(_ ref: BlobRef, limit: Int) throws -> Blob {
            guard case .gitBlob(let id, let origin) = ref else {
                throw ReadError.io(path: ref.display, message: "not a git object")
            }
            // Named only for an error: working out the shown path for every blob cost a tenth of a
            // second on Rails.
            var display: String { ref.display }
            do {
                let isMessage = origin.messageCommit != nil
                if isMessage, let node = commits[id], let kept = messages.messages.message(ofNode: node) { return Blob(ref: ref, bytes: Array(kept)) }
                if isMessage, let message = messageFromPack(id, limit: limit) { return Blob(ref: ref, bytes: message) }
                // One lookup in the (hashed) table per blob, for both the read and the plan.
                let planned = deltaBases[id]
                let rebuilt = isMessage ? nil : try fromPack(id, limit: limit, wantsSpans: planned != nil, display: display)
                let bytes: [UInt8]
                if let rebuilt {
                    bytes = rebuilt.bytes
                } else {
                    switch try repository.readBlob(id, limit: limit) {
                    case .tooLarge(let size): throw ReadError.tooLarge(path: display, size: size, limit: limit)
                    case .notBlob: return Blob(ref: ref, bytes: try repository.commitDetails(id).message)
                    case .bytes(let read): bytes = read
                    }
                }
                if GitHistorySource.isLFSPointer(bytes) {
                    throw ReadError.skipped(path: display, reason: "Git LFS pointer (the file's content is not in the repository)")
                }
                if let base = baselines[id], case .bytes(let old) = try repository.readBlob(base, limit: limit) {
                    return Blob(ref: ref, bytes: try AddedLines.mask(new: bytes, old: old))
                }
                var isHistory = false
                if case .history = origin { isHistory = true }
                var blob = Blob(ref: ref, bytes: bytes, checksPatterns: !isHistory || (headBlobs?.contains(id) ?? true))
                (blob.windows, blob.matchedAround) = partial(id, rebuilt, planned: planned, bytes: bytes)
                return blob
            } catch let error as GitError {
                throw ReadError.io(path: display, message: GitRepository.isMissing(error)
                    ? "object \(id) is missing from the object database (partial or damaged clone)"
                    : "object \(id): \(error.message)")
            }
        }

        /// The blob rebuilt from its pack; nil when no pack holds it or the pack reader cannot
        /// (libgit2 then reads it and reports any damage).
        private func fromPack(_ id: ObjectID, limit: Int, wantsSpans: Bool, display: @autoclosure () -> String) throws -> PackReader.Rebuilt? {
            guard let reader = packs, let (pack, entry) = reader.store.locate(id),
                  let outcome = try? reader.read(pack: pack, entry: entry, wantsSpans: wantsSpans, limit: limit) else {
                return nil
            }
            switch outcome {
            case .tooLarge(let size): throw ReadError.tooLarge(path: display(), size: size, limit: limit)
            case .object(let object): return object.kind == .blob ? object : nil
            }
        }

        /// A commit's raw message (what follows the headers' blank line, up to any NUL, as
        /// libgit2 gives it), read from its pack; nil when no pack holds the commit.
        private func messageFromPack(_ id: ObjectID, limit: Int) -> [UInt8]? {
            guard let commit = packs?.rebuilt(id, limit: limit), commit.kind == .commit else { return nil }
            return commit.bytes.withUnsafeBufferPointer { Array($0[CommitMessages.messageRange($0)]) }
        }

        /// Only what changed since the blob's delta base (and around the copies of the base's
        /// findings, when known: a rescan's, or those this worker saw), when the plan allows it
        /// for this blob; with the base findings it was matched around. Whether a blob others
        /// are built on holds a long-match keyword is remembered, so theirs is looked for in
        /// their windows only.
        private mutating func partial(_ id: ObjectID, _ rebuilt: PackReader.Rebuilt?, planned: ObjectID?, bytes: [UInt8])
            -> (windows: [Range<Int>]?, around: BaseFindings?) {
            let isBase = deltaBaseIDs[id] != nil
            if let rebuilt, let planned, rebuilt.base == planned, !CILogDecoder.looksLikeLog(rebuilt.bytes) {
                // A rescan's places are the pipeline's (every base's findings so far); in the
                // main pass, those of the bases this worker matched.
                let places = rescanPlaces.map { $0[planned] } ?? basePlaces[planned]
                var around: [Range<Int>] = []
                switch places {
                case .unplaced?: return (nil, BaseFindings(base: planned, places: .unplaced))
                case .ranges(let ranges)?: around = ranges
                case nil: if rescanPlaces != nil { return (nil, nil) }
                }
                let plan = mask.plan(rebuilt.bytes, spans: rebuilt.spans, baseSize: rebuilt.baseSize,
                                     baseHoldsLongMatch: longMatches[planned], around: around)
                if isBase, let holds = plan.holdsLongMatch { longMatches[id] = holds }
                return (plan.windows, places.map { BaseFindings(base: planned, places: $0) })
            }
            if isBase, !bytes.isEmpty {
                bytes.withUnsafeBufferPointer { buffer in
                    if memchr(buffer.baseAddress!, 0, min(buffer.count, 8000)) == nil {
                        longMatches[id] = mask.holdsLongMatch(buffer)
                    }
                }
            }
            return (nil, nil)
        }
    }

    /// A Git LFS pointer file: the real content lives on an LFS server.
    static func isLFSPointer(_ bytes: [UInt8]) -> Bool {
        bytes.count < 1024 && bytes.starts(with: Array("version https://git-lfs.github.com/spec/".utf8))
    }
}
