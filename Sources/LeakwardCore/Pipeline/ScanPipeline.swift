import Dispatch
import Foundation
import Synchronization
import LeakwardFindings
import LeakwardInputs
import LeakwardMatching
import LeakwardModel
import LeakwardPlan

/// Runs a scan: the only place that starts threads or holds a lock or an atomic.
///
/// Three phases: every source enumerates into one catalog (serial); workers read, decode,
/// match and judge blobs, each with its own scratch and readers (parallel); findings are
/// sorted and grouped into the report (serial).
public struct ScanPipeline: Sendable {
    public let filter: FindingFilter
    public var options: ScanOptions

    public init(rules: CompiledRules, options: ScanOptions) throws {
        // The config checks' keywords ride on the rules' keyword pass: one pass per blob.
        let side = options.checks.keywordList
        let shared = rules.sideKeywords == side ? rules : rules.sharingKeywordPass(with: side)
        var filter = try FindingFilter(rules: shared, globalAllowlist: options.allowlistRegexes)
        filter.allowlistBases = options.allowlistBases
        self.filter = filter
        self.options = options
    }

    /// What the parallel phase produced.
    public struct Outcome: Sendable {
        public var findings: [Finding]
        public var issues: [ScanIssue]
        public var stats: ScanStats
        public var isComplete: Bool
        /// Findings a `leakward:allow` comment allowed, one per secret and place.
        public var allowedInline: [Finding] = []
        /// What each working-tree source listed, with `ScanOptions.keepsTreeListings`.
        public var treeListings: [TreeListing] = []
        /// Each phase of this run (`--verbose`).
        public var timings = ScanTimings()
    }

    public func run(_ sources: [any Source]) -> Outcome {
        let started = Date()
        var timings = ScanTimings()
        options.progress?(ScanProgress(phase: .listing))
        var catalog = BlobCatalog()
        var allowlisted: [Int] = []
        // Working trees alone are read and matched while they are walked, by the same workers:
        // no walk phase before matching, and each file is opened by its name in its listed
        // directory. A progress line needs every size before matching starts, and a history
        // source's blob ids before any file is matched (a file holding a history blob joins it).
        let matchesWhileWalking = options.progress == nil && sources.allSatisfy { $0 is WorkingTreeSource }
        var walked = Pass()
        var matchedEntries: [Range<Int>] = []
        var texts: [Int: [String: KeptText]] = [:]
        for (index, source) in sources.enumerated() {
            catalog.currentSource = index
            let before = catalog.allowlistedPaths
            defer { allowlisted.append(catalog.allowlistedPaths - before) }
            if matchesWhileWalking, let tree = source as? WorkingTreeSource {
                guard let walk = tree.walk(into: &catalog) else { continue }
                let first = catalog.entries.count
                let (pass, kept) = scanWhileWalking(walk, root: tree.root, source: index, into: &catalog)
                walked.absorb(pass)
                texts[index] = kept
                matchedEntries.append(first..<catalog.entries.count)
                continue
            }
            do {
                try source.enumerate(into: &catalog)
            } catch {
                catalog.record(ScanIssue(path: "\(type(of: source))", level: .error, stage: .enumerate, reason: "\(error)"))
            }
        }
        let historyIDs = ScanPipeline.historyBlobIDs(sources, catalog: catalog)
        if matchedEntries.isEmpty {
            timings.lap("listing", phase: .listing, note: "\(catalog.entries.count) inputs")
        } else {
            timings.lap("walk and match", phase: .matching, note: "\(walked.stats.filesScanned) files")
        }
        let matchingStarted = Date()
        var pass = scan(ScanPipeline.entries(of: catalog, without: matchedEntries), sources: sources, historyIDs: historyIDs, started: matchingStarted)
        let matchedBytes = pass.stats.bytesScanned, matchedInputs = pass.stats.blobsScanned + pass.stats.filesScanned
        pass.absorb(walked)
        scanJoinedFilesOfUnreadBlobs(&pass, sources: sources)
        timings.lap("matching", phase: .matching)
        timings.noteLast { step in
            "\(matchedInputs) inputs, \(String(format: "%.1f", Double(matchedBytes) / 1_048_576 / max(step.wall, 0.001))) MB/s"
        }
        var outcome = Outcome(findings: pass.findings, issues: catalog.issues + pass.issues, stats: pass.stats,
                              isComplete: pass.isComplete)
        if options.keepsTreeListings {
            for (index, source) in sources.enumerated() {
                guard let tree = source as? WorkingTreeSource else { continue }
                // One source: the catalog's own array, shared rather than copied (a million-file tree).
                let entries = sources.count == 1 ? catalog.entries : catalog.entries.filter { $0.source == index }
                outcome.treeListings.append(TreeListing(source: tree, entries: entries,
                                                        allowlisted: allowlisted[index], texts: texts[index] ?? [:]))
            }
        }
        // One allow per secret and place (a blob matched in part and then whole lists it twice;
        // a generic rule and a provider rule may both match it): the provider's rule names it.
        var seenAllows = Set<String>()
        outcome.allowedInline = pass.allowedInline
            .sorted { ($0.category == .generic ? 1 : 0, $0.location, $0.ruleID) < ($1.category == .generic ? 1 : 0, $1.location, $1.ruleID) }
            .filter { seenAllows.insert("\($0.secretSHA256)\u{0}\($0.location.displayPath)\u{0}\($0.location.line)").inserted }
            .sorted { ($0.location, $0.ruleID) < ($1.location, $1.ruleID) }
        let rescans = rescanDependents(sources, outcome: &outcome, mainPass: (catalog.entries.count, matchingStarted),
                                       matchedAround: pass.matchedAround)
        if rescans.rounds > 0 {
            timings.lap("rescan rounds", phase: .matching, note: "\(rescans.rounds) rounds, \(rescans.blobs) blobs again")
        }
        // Provenance phase: serial, after matching, only for sources that had findings.
        if !outcome.findings.isEmpty, sources.contains(where: { $0 is any ProvenanceSource }) {
            options.progress?(ScanProgress(phase: .provenance, total: outcome.findings.count))
        }
        timings.restart()
        for case let source as any ProvenanceSource in sources where !outcome.findings.isEmpty && !options.isCancelled() {
            source.attribute(&outcome.findings, issues: &outcome.issues, timings: &timings)
            timings.lap("sightings updated", phase: .provenance)
        }
        outcome.findings += ContentJoin.sightings(pass.joins, of: outcome.findings)
        outcome.findings = ConfigFindings.settle(outcome.findings)
        outcome.stats.skipped += catalog.issues.filter { $0.level == .skipped }.count
        outcome.stats.allowlistedPaths += catalog.allowlistedPaths
        outcome.stats.errors += catalog.issues.filter { $0.level == .error }.count
        outcome.stats.durationSeconds = Date().timeIntervalSince(started)
        outcome.findings = ScanPipeline.sortedByLocation(outcome.findings)
        outcome.issues.sort()
        // An interrupt in any phase (planning, matching, provenance) leaves the report incomplete.
        if options.isCancelled() { outcome.isComplete = false }
        timings.lap("joins and order", phase: .provenance, note: "\(outcome.findings.count) findings")
        outcome.timings = timings
        return outcome
    }

    /// What one parallel pass over catalog entries produced.
    private struct Pass {
        var findings: [Finding] = []
        var allowedInline: [Finding] = []
        var issues: [ScanIssue] = []
        var stats = ScanStats()
        var joins: [ContentJoin] = []
        /// Files not matched because a history blob holds the same content, with its id.
        var joinedFiles: [(entry: BlobCatalog.Entry, blob: ObjectID)] = []
        /// History blobs that could not be read.
        var unreadBlobs: Set<ObjectID> = []
        /// Blobs matched around the copies of their base's findings (`Blob.matchedAround`).
        var matchedAround: [ObjectID: BaseFindings] = [:]
        var isComplete = true

        /// Adds what another worker or pass produced.
        mutating func absorb(_ other: Pass) {
            findings += other.findings
            allowedInline += other.allowedInline
            issues += other.issues
            stats.merge(other.stats)
            joins += other.joins
            joinedFiles += other.joinedFiles
            unreadBlobs.formUnion(other.unreadBlobs)
            matchedAround.merge(other.matchedAround) { $1 }
            isComplete = isComplete && other.isComplete
        }
    }

    /// A working tree's walk with its files read and matched as their directories are listed:
    /// `Parallel.explore` hands out directories and batches of a listed directory's files, so
    /// both cores list, read and match at once. The listings are assembled into `catalog`
    /// afterwards in the one-thread walk's order (the tree listing for the project facts).
    /// Bytes of files kept for the consumer search (`TreeListing.texts`), at most, over all workers.
    static let keptTextBudget = 24 << 20

    /// With `keepsTreeListings` (the project facts follow), the bytes of the files the
    /// consumer search reads are kept within `keptTextBudget` and handed back, by path.
    private func scanWhileWalking(_ walk: WorkingTreeSource.Walk, root: String, source: Int,
                                  into catalog: inout BlobCatalog) -> (Pass, [String: KeptText]) {
        enum Piece: Sendable {
            case directory(WorkingTreeSource.Walk.Directory)
            case files(WorkingTreeSource.OpenDirectory, [(ref: BlobRef, output: BuildOutputMark?)])
        }
        struct Worker {
            var scan: BlobScan
            var listings: [(String, WorkingTreeSource.Walk.Listing)] = []
            var isCancelled = false
            var texts: [String: KeptText] = [:]
            /// Where this worker's kept texts are copied (one arena per worker: filled by one thread).
            let arena = TextArena()
        }
        // Files per piece: enough that handing one out costs little, few enough that a
        // directory of many files is shared between the workers.
        let batch = 16
        let filter = self.filter
        let options = self.options
        let rootDirectory = WorkingTreeSource.RootDirectory(root)
        let textBudget = options.keepsTreeListings ? ScanPipeline.keptTextBudget : 0
        // One budget shared by the workers, not a share each: which worker reads which files
        // depends on scheduling, and with halves the busier one's excess (up to 1,800 files of
        // the monorepo tree, whose candidates fit the whole budget) was opened and read again.
        let keptBytes = Atomic<Int>(0)
        var parts = Parallel.explore(
            roots: [Piece.directory(walk.rootDirectory)], workers: options.workerCount,
            start: {
                Worker(scan: BlobScan(filter: filter, decoders: options.decoders, limits: options.decodeLimits,
                                      timeLimit: options.blobTimeLimit, checks: options.checks))
            },
            piece: { worker, piece in
                if worker.isCancelled || options.isCancelled() {
                    worker.isCancelled = true
                    return []
                }
                switch piece {
                case .directory(let directory):
                    let (listing, below, open) = walk.list(directory, under: rootDirectory)
                    worker.listings.append((directory.relative, listing))
                    let files = listing.items.compactMap { item -> (ref: BlobRef, output: BuildOutputMark?)? in
                        if case .file(let ref, _, let output) = item { (ref, output) } else { nil }
                    }
                    var found: [Piece] = []
                    if let open {
                        // Files first: the directory is closed as soon as they are done.
                        for start in stride(from: 0, to: files.count, by: batch) {
                            found.append(.files(open, Array(files[start..<min(start + batch, files.count)])))
                        }
                    }
                    return found + below.map { .directory($0) }
                case .files(let open, let files):
                    var unusedJoins: [ContentJoin] = []
                    var unusedJoined: [(entry: BlobCatalog.Entry, blob: ObjectID)] = []
                    var unusedUnread: Set<ObjectID> = []
                    // Moved out and back, so adding to it never copies the whole table.
                    var texts: [String: KeptText] = [:]
                    let arena = worker.arena
                    swap(&texts, &worker.texts)
                    defer { worker.texts = texts }
                    for file in files {
                        if options.isCancelled() {
                            worker.isCancelled = true
                            break
                        }
                        let entry = BlobCatalog.Entry(ref: file.ref, source: source, size: 0, output: file.output)
                        ScanPipeline.process(entry, read: {
                            let relative = file.ref.origin.path
                            let bytes = try open.read(fileAt: relative, limit: options.maxFileSize)
                            if textBudget > 0, bytes.count <= ProjectFactsReader.consumerFileLimit,
                               ProjectFactsReader.searchesForConsumers(relative, output: file.output) {
                                // Claimed before the copy, so the workers together never pass the budget.
                                let total = keptBytes.wrappingAdd(bytes.count, ordering: .relaxed).newValue
                                if total <= textBudget, let kept = bytes.withUnsafeBufferPointer({ arena.keep($0) }) {
                                    texts[relative] = kept
                                } else {
                                    keptBytes.wrappingSubtract(bytes.count, ordering: .relaxed)
                                }
                            }
                            return Blob(ref: file.ref, bytes: bytes)
                        }, scan: &worker.scan, historyIDs: [], joins: &unusedJoins, joinedFiles: &unusedJoined,
                        unreadBlobs: &unusedUnread)
                    }
                    return []
                }
            },
            finish: { worker in
                let scan = worker.scan
                return (worker.listings, Pass(findings: scan.findings, allowedInline: scan.allowedInline, issues: scan.issues,
                                              stats: scan.stats, isComplete: !worker.isCancelled), worker.texts)
            })
        var pass = Pass()
        var listings: [(String, WorkingTreeSource.Walk.Listing)] = []
        var keptParts: [[String: KeptText]] = []
        for (part, result, kept) in parts {
            listings += part
            pass.absorb(result)
            keptParts.append(kept)
        }
        parts = []
        // Both are single-threaded and need nothing of each other: the catalog is assembled
        // while the other core merges the kept texts, the largest worker's table kept and the
        // others added to it (not every entry hashed again into a table grown from empty).
        let assembled = Mutex(catalog)
        catalog = BlobCatalog()
        let texts = Mutex<[String: KeptText]>([:])
        // Handed over whole: the assembling thread holds the only reference, so the listings
        // (an array per directory) are freed there, beside the merge, not on one core after it.
        let finished = Mutex(listings), kept = keptParts
        listings = []
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            guard index == 1 else {
                let taken = finished.withLock { value in
                    defer { value = [] }
                    return value
                }
                assembled.withLock { walk.assemble(taken, into: &$0) }
                return
            }
            var merged: [String: KeptText] = [:]
            for part in kept.sorted(by: { $0.count > $1.count }) {
                if merged.isEmpty { merged = part } else { merged.merge(part) { first, _ in first } }
            }
            texts.withLock { $0 = merged }
        }
        // Taken out, not copied: the catalog's storage stays unique for the sources after this one.
        catalog = assembled.withLock { value in
            defer { value = BlobCatalog() }
            return value
        }
        return (pass, texts.withLock { $0 })
    }

    /// A file left to the history blob of the same content is matched itself when that blob
    /// could not be read (a damaged object): its content is on disk, so it is not lost.
    private func scanJoinedFilesOfUnreadBlobs(_ pass: inout Pass, sources: [any Source]) {
        let orphans = pass.joinedFiles.filter { pass.unreadBlobs.contains($0.blob) }
        guard !orphans.isEmpty, pass.isComplete else { return }
        let round = scan(orphans.map(\.entry), sources: sources, historyIDs: [], started: Date())
        pass.joins.removeAll { pass.unreadBlobs.contains($0.blob) }
        pass.findings += round.findings
        pass.issues += round.issues
        pass.stats.merge(round.stats)
        pass.isComplete = round.isComplete
    }

    /// Where matching stood when a rescan round starts: rounds are reported as part of
    /// matching (the main pass stays at 100%, bytes and rescanned blobs only grow), never as a
    /// new run from 0.
    private struct RescanCounts {
        /// Inputs of the main pass.
        var mainTotal: Int
        /// Bytes matched so far (the main pass and earlier rounds).
        var bytes: Int
        /// Blobs rescanned in earlier rounds, and those plus this round's.
        var done: Int
        var total: Int
        /// When the first round started.
        var started = Date()
    }

    /// Reads, decodes, matches and judges `entries` on all workers, in dynamic order.
    /// `rescan`: a rescan round, reported as part of matching.
    private func scan(_ entries: [BlobCatalog.Entry], sources: [any Source], historyIDs: Set<ObjectID>, started: Date,
                      rescan: RescanCounts? = nil) -> Pass {
        let next = Atomic<Int>(0)
        let doneBytes = Atomic<Int>(0)
        let doneCount = Atomic<Int>(0)
        let cancelled = Atomic<Bool>(false)
        let results = Mutex<[Pass]>([])
        // Where the findings of every matched blob that had some lie, in the order workers
        // learned them, for every worker's readers (a base matched by one worker, the blobs
        // built on it by the other): they then need no rescan. Only blobs with findings.
        let learned = Mutex<[(id: ObjectID, places: FindingPlaces)]>([])
        let learnedCount = Atomic<Int>(0)
        let workers = min(options.workerCount, max(1, entries.count))
        let filter = self.filter
        let options = self.options
        // Only the progress line shows it: a pass over every entry otherwise for nothing.
        let totalBytes = options.progress == nil ? 0 : ScanPipeline.totalBytes(entries, maxSize: options.maxFileSize)

        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var scan = BlobScan(filter: filter, decoders: options.decoders, limits: options.decodeLimits,
                                timeLimit: options.blobTimeLimit, checks: options.checks)
            var readers: [Int: any BlobReader] = [:]
            var joins: [ContentJoin] = []
            var joinedFiles: [(entry: BlobCatalog.Entry, blob: ObjectID)] = []
            var unreadBlobs: Set<ObjectID> = []
            var matchedAround: [ObjectID: BaseFindings] = [:]
            // Per source, how many of `learned` its reader was told.
            var told: [Int: Int] = [:]
            // Small dynamic batches: balanced, and neighbours (a blob and the version before it)
            // usually land on the same worker, whose reader still holds the first.
            let batch = 16
            while !cancelled.load(ordering: .relaxed) {
                let start = next.wrappingAdd(batch, ordering: .relaxed).oldValue
                guard start < entries.count else { break }
                for entry in entries[start..<min(start + batch, entries.count)] {
                    if options.isCancelled() { cancelled.store(true, ordering: .relaxed); break }
                    let before = scan.stats.bytesScanned
                    if case .gitBlob = entry.ref {
                        if readers[entry.source] == nil { readers[entry.source] = try? sources[entry.source].makeReader() }
                        let count = learnedCount.load(ordering: .acquiring), from = told[entry.source, default: 0]
                        if count > from, readers[entry.source] != nil {
                            for item in learned.withLock({ Array($0[from..<count]) }) {
                                readers[entry.source]!.matched(item.id, places: item.places)
                            }
                            told[entry.source] = count
                        }
                    }
                    ScanPipeline.process(entry, sources: sources, readers: &readers, scan: &scan, maxSize: options.maxFileSize,
                                         historyIDs: historyIDs, joins: &joins, joinedFiles: &joinedFiles, unreadBlobs: &unreadBlobs,
                                         matchedAround: &matchedAround, learned: { id, places in
                                             learned.withLock {
                                                 $0.append((id, places))
                                                 learnedCount.store($0.count, ordering: .releasing)
                                             }
                                         })
                    let bytes = doneBytes.wrappingAdd(scan.stats.bytesScanned - before, ordering: .relaxed).newValue
                    let count = doneCount.wrappingAdd(1, ordering: .relaxed).newValue
                    if let progress = options.progress {
                        let seconds = Date().timeIntervalSince(started)
                        if let rescan {
                            progress(ScanProgress(phase: .matching, done: rescan.mainTotal, total: rescan.mainTotal, bytes: rescan.bytes + bytes,
                                                  seconds: seconds, rescanDone: rescan.done + count, rescanTotal: rescan.total,
                                                  rescanSeconds: Date().timeIntervalSince(rescan.started)))
                        } else {
                            progress(ScanProgress(phase: .matching, done: count, total: entries.count, bytes: bytes, totalBytes: totalBytes,
                                                  seconds: seconds))
                        }
                    }
                }
            }
            results.withLock { $0.append(Pass(findings: scan.findings, allowedInline: scan.allowedInline, issues: scan.issues, stats: scan.stats, joins: joins,
                                              joinedFiles: joinedFiles, unreadBlobs: unreadBlobs, matchedAround: matchedAround)) }
        }
        var pass = Pass(isComplete: !cancelled.load(ordering: .relaxed))
        for result in results.withLock({ $0 }) { pass.absorb(result) }
        return pass
    }

    /// Incremental sources matched some blobs only where they changed; blobs built on a blob
    /// with findings are matched again, round after round along the chain, now also around
    /// the copies of their base's findings (a secret copied unchanged from the base is a copy
    /// of one of them), and their partial findings replaced, so the result equals a full scan.
    /// A blob is matched again whenever the places of its base's findings change (its base was
    /// itself matched again and found more); delta chains end, so the rounds do too. A blob
    /// already matched around its base's places as they are in the end (`matchedAround`: the
    /// worker had matched the base first) is not.
    /// Returns how many rounds ran and how many blobs they matched.
    private func rescanDependents(_ sources: [any Source], outcome: inout Outcome, mainPass: (total: Int, started: Date),
                                  matchedAround: [ObjectID: BaseFindings]) -> (rounds: Int, blobs: Int) {
        var rounds = 0, blobs = 0
        for case let source as any IncrementalSource in sources {
            var places = FindingPlaces.of(outcome.findings)
            var changed = Set(places.keys)
            var matched = matchedAround
            var counts = RescanCounts(mainTotal: mainPass.total, bytes: outcome.stats.bytesScanned, done: 0, total: 0)
            while outcome.isComplete {
                let refs = source.dependents(of: changed).filter { ref in
                    guard case .gitBlob(let id, _) = ref, let used = matched[id] else { return true }
                    return places[used.base] != used.places
                }
                guard !refs.isEmpty else { break }
                let ids = Set(refs.compactMap { ref -> ObjectID? in if case .gitBlob(let id, _) = ref { id } else { nil } })
                counts.total += refs.count
                rounds += 1
                blobs += refs.count
                let round = scan(refs.map { BlobCatalog.Entry(ref: $0, source: 0, size: 0, output: nil) },
                                 sources: [source.rescanning(around: places)], historyIDs: [],
                                 started: mainPass.started, rescan: counts)
                counts.done = counts.total
                counts.bytes += round.stats.bytesScanned
                outcome.findings.removeAll { $0.location.blob.map(ids.contains) ?? false }
                outcome.findings += round.findings
                let known = Set(outcome.issues)
                outcome.issues += round.issues.filter { !known.contains($0) }
                outcome.stats.bytesScanned += round.stats.bytesScanned
                outcome.isComplete = round.isComplete
                matched.merge(round.matchedAround) { $1 }
                // Blobs whose findings now lie elsewhere (or only now exist): their dependents
                // were matched around the old places, or not at all.
                let found = FindingPlaces.of(round.findings)
                changed = []
                for id in ids where places[id] != found[id] {
                    places[id] = found[id]
                    if found[id] != nil { changed.insert(id) }
                }
            }
        }
        return (rounds, blobs)
    }

    /// `findings` sorted by location, then rule: the same order (and the same stable sort) as
    /// comparing `(location, ruleID)`, with each location's sort key built once instead of in
    /// every comparison (on the Rails history, 6,658 findings: about 0.2 s of one core).
    static func sortedByLocation(_ findings: [Finding]) -> [Finding] {
        // Each key made once, and the indices sorted, not the findings: moving those large
        // values at every step of the sort took most of its 0.15 s on Rails' 9,000 findings.
        let keys = findings.map(\.location.sortKey)
        let order = findings.indices.sorted { i, j in
            // As the tuple comparison does: locations that differ are ordered by their keys
            // alone (equal keys: neither first), equal ones by rule.
            if keys[i] != keys[j] { return keys[i] < keys[j] }
            if findings[i].location != findings[j].location { return false }
            return findings[i].ruleID < findings[j].ruleID
        }
        return order.map { findings[$0] }
    }

    /// The bytes `entries` will match, when every one is a file of known size (files over
    /// `maxSize` are skipped, not read); 0 when any is not (history blobs, standard input).
    static func totalBytes(_ entries: [BlobCatalog.Entry], maxSize: Int) -> Int {
        var total = 0
        for entry in entries {
            guard case .file(let path, _, _) = entry.ref, path != "/dev/stdin" else { return 0 }
            if entry.size <= maxSize { total += entry.size }
        }
        return total
    }

    /// The catalog's entries outside `matched` (ranges in increasing order): the whole catalog
    /// when nothing was matched while walking, nothing copied when everything was.
    static func entries(of catalog: BlobCatalog, without matched: [Range<Int>]) -> [BlobCatalog.Entry] {
        guard !matched.isEmpty else { return catalog.entries }
        var rest: [BlobCatalog.Entry] = []
        var start = 0
        for range in matched {
            rest += catalog.entries[start..<range.lowerBound]
            start = range.upperBound
        }
        rest += catalog.entries[start...]
        return rest
    }

    /// Blob ids of the history sources, when the scan also reads files that may repeat them.
    private static func historyBlobIDs(_ sources: [any Source], catalog: BlobCatalog) -> Set<ObjectID> {
        let history = sources.compactMap { ($0 as? any ProvenanceSource)?.knownBlobIDs }
        guard !history.isEmpty, catalog.entries.contains(where: { if case .file = $0.ref { true } else { false } }) else { return [] }
        return history.reduce(into: Set<ObjectID>()) { $0.formUnion($1) }
    }

    private static func process(_ entry: BlobCatalog.Entry, sources: [any Source], readers: inout [Int: any BlobReader],
                                scan: inout BlobScan, maxSize: Int, historyIDs: Set<ObjectID>, joins: inout [ContentJoin],
                                joinedFiles: inout [(entry: BlobCatalog.Entry, blob: ObjectID)], unreadBlobs: inout Set<ObjectID>,
                                matchedAround: inout [ObjectID: BaseFindings], learned: (ObjectID, FindingPlaces) -> Void) {
        var around: BaseFindings?
        let before = scan.findings.count
        process(entry, read: {
            if readers[entry.source] == nil { readers[entry.source] = try sources[entry.source].makeReader() }
            let blob = try readers[entry.source]!.read(entry.ref, limit: maxSize)
            around = blob.matchedAround
            return blob
        }, scan: &scan, historyIDs: historyIDs, joins: &joins, joinedFiles: &joinedFiles, unreadBlobs: &unreadBlobs)
        guard case .gitBlob(let id, let origin) = entry.ref, origin.messageCommit == nil else { return }
        if let around { matchedAround[id] = around }
        // Every worker's reader matches the blobs built on this one around its findings' copies too.
        if scan.findings.count > before, let places = FindingPlaces.of(Array(scan.findings[before...]))[id] {
            learned(id, places)
        }
    }

    /// Reads `entry` with `read`, then matches it (or joins it to the history blob it holds);
    /// a read that fails is the entry's skip or error.
    private static func process(_ entry: BlobCatalog.Entry, read: () throws -> Blob, scan: inout BlobScan,
                                historyIDs: Set<ObjectID>, joins: inout [ContentJoin],
                                joinedFiles: inout [(entry: BlobCatalog.Entry, blob: ObjectID)], unreadBlobs: inout Set<ObjectID>) {
        do {
            let blob = try read()
            if case .gitBlob = entry.ref { scan.stats.blobsScanned += 1 } else { scan.stats.filesScanned += 1 }
            var isUntracked: Bool?
            if case .file(_, _, let untracked) = entry.ref {
                isUntracked = untracked
                if !historyIDs.isEmpty {
                    let id = blob.bytes.withUnsafeBytes { GitRepository.blobID(of: $0) }
                    if historyIDs.contains(id) {
                        joins.append(ContentJoin(origin: entry.ref.origin, isUntracked: untracked, blob: id))
                        joinedFiles.append((entry, id))
                        return
                    }
                }
            }
            let before = scan.findings.count
            scan.scan(blob, isUntracked: isUntracked)
            if case .gitBlob(let id, let origin) = entry.ref, origin.messageCommit == nil {
                for i in before..<scan.findings.count { scan.findings[i].location.blob = id }
            }
            if let output = entry.output {
                for i in before..<scan.findings.count { scan.findings[i].location.buildOutput = output }
            }
        } catch let error as ReadError {
            switch error {
            case .tooLarge, .skipped:
                scan.stats.skipped += 1
                scan.issues.append(ScanIssue(path: entry.ref.display, level: .skipped, stage: .read, reason: error.description))
            case .io:
                if case .gitBlob(let id, _) = entry.ref { unreadBlobs.insert(id) }
                scan.stats.errors += 1
                scan.issues.append(ScanIssue(path: entry.ref.display, level: .error, stage: .read, reason: error.description))
            }
        } catch {
            if case .gitBlob(let id, _) = entry.ref { unreadBlobs.insert(id) }
            scan.stats.errors += 1
            scan.issues.append(ScanIssue(path: entry.ref.display, level: .error, stage: .read, reason: "\(error)"))
        }
    }
}
