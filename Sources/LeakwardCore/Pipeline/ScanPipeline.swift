import Dispatch
import Foundation
import Synchronization

/// Runs a scan: the only place that starts threads or holds a lock or an atomic.
///
/// Three phases: every source enumerates into one catalog (serial); workers read, decode,
/// match and judge blobs, each with its own scratch and readers (parallel); findings are
/// sorted and grouped into the report (serial).
public struct ScanPipeline: Sendable {
    public let filter: FindingFilter
    public let options: ScanOptions

    public init(rules: CompiledRules, options: ScanOptions) throws {
        self.filter = try FindingFilter(rules: rules, globalAllowlist: options.allowlistRegexes)
        self.options = options
    }

    /// What the parallel phase produced.
    public struct Outcome: Sendable {
        public var findings: [Finding]
        public var issues: [ScanIssue]
        public var stats: ScanStats
        public var isComplete: Bool
    }

    public func run(_ sources: [any Source]) -> Outcome {
        let started = Date()
        var catalog = BlobCatalog()
        for (index, source) in sources.enumerated() {
            catalog.currentSource = index
            do {
                try source.enumerate(into: &catalog)
            } catch {
                catalog.record(ScanIssue(path: "\(type(of: source))", level: .error, stage: "enumerate", reason: "\(error)"))
            }
        }
        let entries = catalog.entries
        let next = Atomic<Int>(0)
        let doneBytes = Atomic<Int>(0)
        let doneCount = Atomic<Int>(0)
        let cancelled = Atomic<Bool>(false)
        let results = Mutex<[(findings: [Finding], issues: [ScanIssue], stats: ScanStats, joins: [ContentJoin])]>([])
        let historyIDs = ScanPipeline.historyBlobIDs(sources, catalog: catalog)
        let workers = min(options.workerCount, max(1, entries.count))
        let filter = self.filter
        let options = self.options

        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var scan = BlobScan(filter: filter, decoders: options.decoders, limits: options.decodeLimits)
            var readers: [Int: any BlobReader] = [:]
            var joins: [ContentJoin] = []
            while true {
                if options.isCancelled() { cancelled.store(true, ordering: .relaxed); break }
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < entries.count else { break }
                let entry = entries[index]
                ScanPipeline.process(entry, sources: sources, readers: &readers, scan: &scan, maxSize: options.maxFileSize,
                                     historyIDs: historyIDs, joins: &joins)
                let bytes = doneBytes.wrappingAdd(entry.size, ordering: .relaxed).newValue
                let count = doneCount.wrappingAdd(1, ordering: .relaxed).newValue
                options.progress?(ScanProgress(phase: "scanning", done: count, total: entries.count, bytes: bytes))
            }
            results.withLock { $0.append((scan.findings, scan.issues, scan.stats, joins)) }
        }

        var outcome = Outcome(findings: [], issues: catalog.issues, stats: ScanStats(),
                              isComplete: !cancelled.load(ordering: .relaxed))
        var joins: [ContentJoin] = []
        for result in results.withLock({ $0 }) {
            outcome.findings += result.findings
            outcome.issues += result.issues
            outcome.stats.merge(result.stats)
            joins += result.joins
        }
        // Provenance phase: serial, after matching, only for sources that had findings.
        for case let source as any ProvenanceSource in sources where !outcome.findings.isEmpty {
            source.attribute(&outcome.findings, issues: &outcome.issues)
        }
        outcome.findings += ContentJoin.sightings(joins, of: outcome.findings)
        outcome.stats.skipped += catalog.issues.filter { $0.level == .skipped }.count
        outcome.stats.errors += catalog.issues.filter { $0.level == .error }.count
        outcome.stats.durationSeconds = Date().timeIntervalSince(started)
        outcome.findings.sort { ($0.location, $0.ruleID) < ($1.location, $1.ruleID) }
        outcome.issues.sort()
        return outcome
    }

    /// Blob ids of the history sources, when the scan also reads files that may repeat them.
    private static func historyBlobIDs(_ sources: [any Source], catalog: BlobCatalog) -> Set<String> {
        let history = sources.compactMap { ($0 as? any ProvenanceSource)?.knownBlobIDs }
        guard !history.isEmpty, catalog.entries.contains(where: { if case .file = $0.ref { true } else { false } }) else { return [] }
        return history.reduce(into: Set<String>()) { $0.formUnion($1) }
    }

    private static func process(_ entry: BlobCatalog.Entry, sources: [any Source], readers: inout [Int: any BlobReader],
                                scan: inout BlobScan, maxSize: Int, historyIDs: Set<String>, joins: inout [ContentJoin]) {
        do {
            if readers[entry.source] == nil { readers[entry.source] = try sources[entry.source].makeReader() }
            let blob = try readers[entry.source]!.read(entry.ref, limit: maxSize)
            if case .gitBlob = entry.ref { scan.stats.blobsScanned += 1 } else { scan.stats.filesScanned += 1 }
            var isUntracked: Bool?
            if case .file(_, _, let untracked) = entry.ref {
                isUntracked = untracked
                if !historyIDs.isEmpty {
                    let id = blob.bytes.withUnsafeBytes { GitRepository.blobID(of: $0) }
                    if historyIDs.contains(id) {
                        joins.append(ContentJoin(path: entry.ref.display, isUntracked: untracked, blob: id))
                        return
                    }
                }
            }
            let before = scan.findings.count
            scan.scan(blob, isUntracked: isUntracked)
            if case .gitBlob(let id, _) = entry.ref {
                for i in before..<scan.findings.count { scan.findings[i].location.blob = id }
            }
        } catch let error as ReadError {
            switch error {
            case .tooLarge, .skipped:
                scan.stats.skipped += 1
                scan.issues.append(ScanIssue(path: entry.ref.display, level: .skipped, stage: "read", reason: error.description))
            case .io:
                scan.stats.errors += 1
                scan.issues.append(ScanIssue(path: entry.ref.display, level: .error, stage: "read", reason: error.description))
            }
        } catch {
            scan.stats.errors += 1
            scan.issues.append(ScanIssue(path: entry.ref.display, level: .error, stage: "read", reason: "\(error)"))
        }
    }
}
