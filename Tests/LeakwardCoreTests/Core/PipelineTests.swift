import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules

/// The parallel pipeline gives the same findings whatever the worker count. Under
/// `make sanitize` (ThreadSanitizer) this is also the data-race check of the worker loop.
@Suite struct PipelineTests {
    @Test func parallelAndSerialRunsAgree() throws {
        let token = OfflineCheck.tokenWithChecksum(prefix: "ghp_", body: "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0d")
        let buffers: [(name: String, bytes: [UInt8])] = (0..<400).map { i in
            let text = i % 7 == 0
                ? "line one\nGITHUB_TOKEN=\(token)\nDATABASE_URL=postgresql://app:Zq8vLm3TxR7kWp2N@db\(i).internal:5432/app\n"
                : String(repeating: "const value\(i) = compute(\(i));\n", count: 50)
            return ("src/file\(i).\(i % 3 == 0 ? "env" : "ts")", Array(text.utf8))
        }
        let rules = try CompiledRules(RuleSet.builtIn())
        func run(_ workers: Int) throws -> [String] {
            let pipeline = try ScanPipeline(rules: rules, options: ScanOptions(workerCount: workers, decoders: Decoders.standard))
            let outcome = pipeline.run([InMemorySource(buffers: buffers)])
            #expect(outcome.isComplete)
            return outcome.findings.map { "\($0.ruleID) \($0.location.path):\($0.location.line):\($0.location.column)" }
        }
        let serial = try run(1)
        #expect(serial.count == 2 * ((0..<400).filter { $0 % 7 == 0 }.count))
        #expect(try run(4) == serial)
    }

    /// A working tree matched while it is walked (no progress line) finds what the walk-then-match
    /// run finds (a progress line needs every size first): the same findings, issues, counts and
    /// tree listing, on one worker and several; a file over the size limit is skipped in both.
    @Test func matchingWhileWalkingEqualsWalkingFirst() throws {
        let token = OfflineCheck.tokenWithChecksum(prefix: "ghp_", body: "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0d")
        var files: [String: String] = [
            ".gitignore": "ignored/\n*.tmp\n",
            ".env": "GITHUB_TOKEN=\(token)\n",
            "packages/p0/src/use.ts": "export const token = process.env.GITHUB_TOKEN;\n",
            "ignored/secret.txt": "GITHUB_TOKEN=\(token)\n",
            "big.txt": String(repeating: "x", count: 5000),
        ]
        for package in 0..<4 {
            files["packages/p\(package)/.gitignore"] = "*.gen\n"
            for file in 0..<20 {
                files["packages/p\(package)/src/f\(file).ts"] = file % 9 == 0
                    ? "const url = \"postgresql://app:Zq8vLm3TxR7kWp2N@db\(package).internal:5432/app\"\n"
                    : "export const value\(file) = \(file);\n"
                files["packages/p\(package)/src/f\(file).gen"] = "GITHUB_TOKEN=\(token)\n"
            }
        }
        let root = try ScratchTree.make(files, named: "walkmatch")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let rules = try CompiledRules(RuleSet.builtIn())
        func run(workers: Int, walkingFirst: Bool) throws
            -> (findings: [String], issues: [ScanIssue], stats: ScanStats, listing: [String], consumers: [String: [String]], kept: Int) {
            var options = ScanOptions(workerCount: workers, maxFileSize: 4096, decoders: Decoders.standard)
            options.keepsTreeListings = true
            if walkingFirst { options.progress = { _ in } }
            let outcome = try ScanPipeline(rules: rules, options: options)
                .run([WorkingTreeSource(root: root, workers: workers)])
            #expect(outcome.isComplete)
            var stats = outcome.stats
            stats.durationSeconds = 0
            // The consumer search reads the files the walk kept no bytes of; the same answer either way.
            let facts = ProjectFactsReader().gather(roots: [root], findings: outcome.findings, listings: outcome.treeListings)
            return (outcome.findings.map { "\($0.ruleID) \($0.location.path):\($0.location.line):\($0.location.column)" },
                    outcome.issues, stats, outcome.treeListings.flatMap { $0.entries.map(\.ref.display) }, facts.consumers,
                    outcome.treeListings.reduce(0) { $0 + $1.texts.count })
        }
        let first = try run(workers: 1, walkingFirst: true)
        #expect(first.findings.contains { $0.contains(".env:1:") })
        #expect(!first.findings.contains { $0.contains(".gen:") || $0.contains("ignored/") })
        #expect(first.stats.skipped == 1)
        #expect(first.listing.count > 80)
        #expect(first.consumers["GITHUB_TOKEN"]?.contains { $0.hasSuffix("packages/p0/src/use.ts") } == true)
        #expect(first.kept == 0)
        for workers in [1, 2, 4] {
            let walking = try run(workers: workers, walkingFirst: false)
            #expect(walking.findings == first.findings)
            #expect(walking.issues == first.issues)
            #expect(walking.stats == first.stats)
            #expect(walking.listing == first.listing)
            #expect(walking.consumers == first.consumers)
            #expect(walking.kept > 50)
        }
    }

    /// Sorting by keys built once gives the order of comparing `(location, ruleID)`, ties
    /// included: locations with equal keys that differ elsewhere (the blob) keep their order
    /// whatever their rules, equal locations go by rule.
    @Test func sortByLocationKeysEqualsTheTupleSort() {
        func finding(_ rule: String, _ path: String, line: Int, blob: UInt64? = nil) -> Finding {
            Finding(ruleID: rule, ruleName: rule, category: .vcs, provider: "p", severity: .high, kind: .secret,
                    validation: .unchecked, secret: SecretValue("v"),
                    location: .init(path: path, line: line, column: 1, offset: 0,
                                    blob: blob.map { ObjectID(high: $0, middle: 0, low: 0) }))
        }
        var findings: [Finding] = []
        for i in 0..<60 {
            findings.append(finding(["b", "a", "c"][i % 3], "src/f\(i % 4).py", line: i % 5, blob: i % 2 == 0 ? UInt64(i + 1) : nil))
        }
        let tupleSorted = findings.sorted { ($0.location, $0.ruleID) < ($1.location, $1.ruleID) }
        let keyed = ScanPipeline.sortedByLocation(findings)
        #expect(keyed.map { "\($0.ruleID) \($0.location)" } == tupleSorted.map { "\($0.ruleID) \($0.location)" })
    }
}

/// A blob matched only in windows gives what matching it whole gives: the decoders that judge
/// a blob as a whole (CI log, source map, env file) are not run on a window, whose first lines
/// could look like a log when the file does not; and a finding in decoded text, whose offset
/// is in text decoded from the whole blob, sends the blob to be matched whole.
@Suite struct WindowScanTests {
    @Test func windowScanEqualsWholeScanWithLogLikeLinesAndDecodedText() throws {
        let token = OfflineCheck.tokenWithChecksum(prefix: "ghp_", body: "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0d")
        var lines = (1...300).map { "Note \($0): nothing to see here." }
        lines[250] = "2024-05-01T10:00:00.0000000Z deploy with \(token)"
        // Decoded text from the window: its findings must also sit where the whole scan puts them.
        lines[20] = "let early = \"\(Data("an unrelated long value that decodes to text".utf8).base64EncodedString())\""
        lines[255] = "let encoded = \"\(Data("token=\(token) for the deploy job".utf8).base64EncodedString())\""
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let start = bytes.count * 240 / 300, end = bytes.count * 260 / 300
        let window = (bytes[..<start].lastIndex(of: 10)! + 1)..<(bytes[end...].firstIndex(of: 10)! + 1)
        #expect(!CILogDecoder.looksLikeLog(bytes) && CILogDecoder.looksLikeLog(Array(bytes[window])))

        let filter = try FindingFilter(rules: CompiledRules(RuleSet.builtIn()))
        func scan(_ blob: Blob) -> [String] {
            var scan = BlobScan(filter: filter, decoders: Decoders.standard, limits: DecodeLimits())
            scan.scan(blob, isUntracked: nil)
            return scan.findings.map { "\($0.ruleID) \($0.location.offset) \($0.location.line):\($0.location.column) \($0.location.decoders.map(\.decoder))" }.sorted()
        }
        let whole = scan(Blob(ref: .gitBlob(id: .fake("0"), origin: .history(root: ".", path: "notes/ops.md")), bytes: bytes))
        let windowed = scan(Blob(ref: .gitBlob(id: .fake("0"), origin: .history(root: ".", path: "notes/ops.md")), bytes: bytes, windows: [window]))
        #expect(whole.count == 2)
        #expect(windowed == whole)
    }
}
