#if canImport(Glibc)
import Glibc
#endif
import LeakwardDecoders
import LeakwardFindings
import LeakwardInputs
import LeakwardMatching
import LeakwardModel
import LeakwardSupport

/// One worker's scanning of one blob at a time: decode, match, judge. Holds the worker's PCRE2
/// scratch, so it is never shared between threads.
struct BlobScan {
    let filter: FindingFilter
    let decoders: [any ContentDecoder]
    let limits: DecodeLimits
    let scratch = MatchScratch()
    /// Seconds allowed per blob (see `ScanOptions.blobTimeLimit`).
    let timeLimit: Double
    /// When the current blob's time is up (monotonic seconds), and whether it ran out.
    private var deadline = Double.infinity
    private var isOverTime = false

    /// The decoders run on a window of a blob matched only where it changed.
    let windowDecoders: [any ContentDecoder]

    /// Config checks (`rules/checks/`), run on each blob's own text after its secrets are found.
    let checks: CompiledChecks

    init(filter: FindingFilter, decoders: [any ContentDecoder], limits: DecodeLimits, timeLimit: Double = 60,
         checks: CompiledChecks = .none) {
        self.filter = filter
        self.checks = checks
        self.decoders = decoders
        windowDecoders = decoders.filter { !$0.judgesWholeBlob }
        self.limits = limits
        self.timeLimit = timeLimit
    }

    /// The check keywords the rules' keyword pass found in the current blob's own text (its
    /// root chunk), when that pass ran on it whole; nil otherwise (the checks then look themselves).
    private var checkKeywordHits: [Bool]?
    /// Whether the config checks' patterns run on the current blob (`Blob.checksPatterns`): if
    /// not, its keyword pass need not look for their keywords.
    private var checksPatterns = true

    var findings: [Finding] = []
    /// Findings a `leakward:allow` comment allowed (counted in `stats.suppressed` too).
    var allowedInline: [Finding] = []
    var issues: [ScanIssue] = []
    var stats = ScanStats()
    /// The current blob's decode allowance: every chunk decoded from it spends from one budget.
    var blobLimits = DecodeLimits()

    mutating func scan(_ blob: Blob, isUntracked: Bool?) {
        deadline = BlobScan.now() + timeLimit
        isOverTime = false
        checkKeywordHits = nil
        checksPatterns = !checks.isEmpty && blob.checksPatterns
        let start = findings.count
        defer {
            if isOverTime {
                stats.errors += 1
                issues.append(ScanIssue(path: blob.ref.display, level: .error, stage: .match,
                                        reason: "stopped after \(BlobScan.seconds(timeLimit)) (--blob-time-limit); findings before that point are kept"))
            }
        }
        if let windows = blob.windows, scan(windows: windows, of: blob, isUntracked: isUntracked) {
            check(blob, isUntracked: isUntracked, from: start)
            return
        }
        stats.bytesScanned += blob.bytes.count
        var blobFindings: [Finding] = []
        blobLimits = limits.forBlob(size: blob.bytes.count)
        let root = Chunk(bytes: blob.bytes, origin: blob.ref.origin)
        let matched = scan(root, depth: 0, isUntracked: isUntracked, into: &blobFindings)
        if !matched {
            stats.skipped += 1
            issues.append(ScanIssue(path: blob.ref.display, level: .skipped, stage: .read, reason: "binary file with no decoder"))
            return
        }
        findings += BlobScan.dedup(blobFindings)
        check(blob, isUntracked: isUntracked, from: start)
    }

    /// Runs the config checks on the blob's own text (never on decoded text: a check is about
    /// the file a person edits), with the secrets already found in it.
    private mutating func check(_ blob: Blob, isUntracked: Bool?, from start: Int) {
        guard !checks.isEmpty else { return }
        let secrets = findings[start...].filter { $0.location.decoders.isEmpty }
        var isGitBlob = false
        if case .gitBlob = blob.ref { isGitBlob = true }
        findings += checks.fileProblems(origin: blob.ref.origin, isTracked: isGitBlob || isUntracked == false, isUntracked: isUntracked)
        guard blob.checksPatterns else { return }
        // The binary test of `Chunk.looksBinary` (a NUL in the first 8,000 bytes), without a copy.
        let isBinary = blob.bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { memchr($0, 0, min(buffer.count, 8000)) != nil } ?? false
        }
        guard !isBinary else { return }
        do {
            let problems = try blob.bytes.withUnsafeBufferPointer {
                try checks.problems(in: $0, origin: blob.ref.origin, isUntracked: isUntracked, secrets: secrets,
                                    keywordHits: checkKeywordHits, scratch: scratch)
            }
            findings += problems
        } catch {
            stats.errors += 1
            issues.append(ScanIssue(path: blob.ref.display, level: .error, stage: .check, reason: "\(error)"))
        }
    }

    /// Matches only `windows` of a text blob, each as its own chunk placed at its real offset;
    /// lines before a window are counted only when it had findings. False when a finding came
    /// through a decoder (its offset is in text decoded from the whole blob) or is one half of
    /// a pair (judged by its other half's presence nearby), so the blob is matched whole
    /// instead (rare, and exact).
    private mutating func scan(windows: [Range<Int>], of blob: Blob, isUntracked: Bool?) -> Bool {
        let issuesBefore = issues.count, statsBefore = stats
        var blobFindings: [Finding] = []
        blobLimits = limits.forBlob(size: blob.bytes.count)
        var lines = 0
        var counted = 0
        // The names decoders judge a chunk by are worked out once per blob, not per window.
        let named = Chunk(bytes: [], origin: blob.ref.origin)
        // And so are the decoders that may read a window at this place at all.
        let placeDecoders = windowDecoders.filter { $0.mayDecode(at: named) }
        // One buffer for every window's copy: once a window's chunk is gone it is ours alone
        // again and is refilled in place (a fresh array per window was most of the matching
        // phase's malloc time on Rails, 240,000 blobs of a few windows each).
        var copy: [UInt8] = []
        copy.reserveCapacity(windows.reduce(0) { max($0, $1.count) })
        blob.bytes.withUnsafeBufferPointer { buffer in
            for window in windows {
                var chunk = named
                copy.removeAll(keepingCapacity: true)
                copy.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[window]))
                chunk.bytes = copy
                chunk.byteOffset = window.lowerBound
                stats.bytesScanned += window.count
                let before = blobFindings.count
                scan(chunk, depth: 0, isUntracked: isUntracked, into: &blobFindings, windowDecoders: placeDecoders)
                guard blobFindings.count > before else { continue }
                lines += BlobScan.newlines(in: UnsafeBufferPointer(rebasing: buffer[counted..<window.lowerBound]))
                counted = window.lowerBound
                for i in before..<blobFindings.count { blobFindings[i].location.line += lines }
            }
        }
        // One half of a pair (an AWS key ID) is judged by text lines away, which may lie in no
        // window: such a blob is matched whole too (as rare as the key IDs themselves).
        // A script named like a test is told from a test by the whole file's text (its test
        // functions, its entry point), which a window may not hold: matched whole too (rare).
        if blobFindings.contains(where: { !$0.location.decoders.isEmpty || filter.pairedRuleIDs.contains($0.ruleID)
            || $0.notes.contains(ScratchScriptSignals.note) || $0.notes.contains(ScratchScriptSignals.localNote) }) {
            issues.removeSubrange(issuesBefore...)
            stats = statsBefore
            return false
        }
        findings += BlobScan.dedup(blobFindings)
        return true
    }

    /// Matches `chunk` (unless it is binary) and every chunk decoders derive from it.
    /// Returns false when nothing could be matched at all (a binary no decoder knows).
    @discardableResult
    /// `windowDecoders`: the chunk is a window of a blob matched only where it changed, and
    /// these are the decoders to run on it (its place's, of `self.windowDecoders`).
    private mutating func scan(_ chunk: Chunk, depth: Int, isUntracked: Bool?, into found: inout [Finding],
                               windowDecoders: [any ContentDecoder]? = nil) -> Bool {
        let isWindow = windowDecoders != nil
        if runsOutOfTime() { return true }
        // Asked once here, not again by every decoder.
        var chunk = chunk
        let isBinary = chunk.looksBinary
        chunk.binaryVerdict = isBinary
        var derived: [Chunk] = []
        var isSuperseded = false
        // A binary's strings are the end of the road: they are not base64, logs or archives.
        if depth < limits.maxDepth, chunk.steps.last?.decoder != .strings {
            for decoder in windowDecoders ?? decoders where blobLimits.remainingBytes > 0 {
                let decoded = isWindow ? decoder.decode(window: chunk, limits: blobLimits) : decoder.decode(chunk, limits: blobLimits)
                blobLimits.remainingBytes -= decoded.byteCount
                derived += decoded.chunks
                isSuperseded = isSuperseded || (decoded.supersedesInput && !decoded.chunks.isEmpty)
                // A limit ends all decoding of this blob: a bomb is reported once, not per member.
                if decoded.problems.contains(where: { if case .limit = $0.error { true } else { false } }) {
                    blobLimits.remainingBytes = 0
                }
                for problem in decoded.problems {
                    let level: ScanIssue.Level = if case .unsupported = problem.error { .skipped } else { .error }
                    if level == .error { stats.errors += 1 } else { stats.skipped += 1 }
                    issues.append(ScanIssue(path: chunk.origin.displayPath(members: problem.members), level: level, stage: .decoder(decoder.kind), reason: problem.error.description))
                }
            }
        }
        if !isBinary && !isSuperseded { match(chunk, isRoot: depth == 0 && !isWindow, isUntracked: isUntracked, into: &found) }
        for var child in derived {
            stats.decodedBuffers += 1
            child.enclosing = chunk.enclosing(of: child)
            scan(child, depth: depth + 1, isUntracked: isUntracked, into: &found)
        }
        return !isBinary || !derived.isEmpty
    }

    /// `isRoot`: the chunk is the blob's own whole text, so the check keywords the pass finds
    /// are kept for the config checks.
    private mutating func match(_ chunk: Chunk, isRoot: Bool, isUntracked: Bool?, into found: inout [Finding]) {
        var lines: LineIndex?
        // Side hits (the config checks' keywords) only where the checks' patterns will read them.
        var sideHits = [Bool](repeating: false, count: isRoot && checksPatterns ? filter.rules.sideKeywordCount : 0)
        chunk.bytes.withUnsafeBufferPointer { buffer in
            var stopped: [CompiledRules.Stop] = []
            let inBinary = chunk.steps.contains { $0.decoder == .strings }
            let candidates = filter.rules.candidates(in: buffer, scratch: scratch, stopped: &stopped, sideHits: &sideHits,
                                                     only: inBinary ? filter.binaryRules : nil)
            for stop in stopped {
                stats.errors += 1
                issues.append(ScanIssue(path: chunk.origin.displayPath(members: chunk.members), level: .error, stage: .match,
                                        reason: "\(stop) (also when retried on the keyword window alone); other rules were matched"))
            }
            guard !candidates.isEmpty else { return }
            // Made only for a chunk with candidates: most chunks have none (it judges the path's name).
            var context = FindingFilter.Context(origin: chunk.origin, members: chunk.members, decoders: chunk.steps,
                                                isUntracked: isUntracked)
            context.enclosing = chunk.enclosing
            func record(_ verdict: FindingFilter.Verdict) {
                switch verdict {
                case .finding(var finding):
                    if chunk.steps.isEmpty { finding.location.offset += chunk.byteOffset }
                    // A dotenv entry's chunk is named after its variable (`dotenv[NAME]`).
                    if finding.variable == nil, let step = chunk.steps.last, step.decoder == .dotenv { finding.variable = step.detail }
                    found.append(finding)
                case .suppressed: stats.suppressed += 1
                case .allowedInline(var finding):
                    stats.suppressed += 1
                    if chunk.steps.isEmpty { finding.location.offset += chunk.byteOffset }
                    allowedInline.append(finding)
                case .dropped: break
                }
            }
            for (n, candidate) in candidates.enumerated() {
                if n & 31 == 31, runsOutOfTime() { break }
                let verdict = filter.judge(candidate, in: buffer, context: context, lines: &lines, scratch: scratch)
                record(verdict)
                // One half of a pair beside its other half (an AWS key ID beside its secret): the
                // other half is judged as a match of the rule that reports it, so it is a finding
                // even under a name no rule reads; one sighting per secret and line stays (dedup).
                if case .finding(let finding) = verdict, finding.pairedWith != nil,
                   let other = filter.companionCandidate(of: candidate, in: buffer, scratch: scratch) {
                    record(filter.judge(other, in: buffer, context: context, lines: &lines, scratch: scratch))
                }
            }
        }
        if isRoot, !sideHits.isEmpty { checkKeywordHits = sideHits }
    }

    /// How many newlines `buffer` holds (a loop the compiler vectorises).
    static func newlines(in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in buffer { count &+= byte == 10 ? 1 : 0 }
        return count
    }

    /// Whether the current blob's time is up (remembered, so the stall is reported once).
    private mutating func runsOutOfTime() -> Bool {
        if !isOverTime, BlobScan.now() > deadline { isOverTime = true }
        return isOverTime
    }

    /// Monotonic seconds, from the coarse clock: cheap enough to ask per chunk.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func seconds(_ value: Double) -> String {
        value >= 1 ? "\(Int(value)) s" : "\(Int((value * 1000).rounded())) ms"
    }

    /// What dedup compares sightings of one blob by: the secret (or the rule), the member
    /// it is in and, where it matters, the line.
    struct Place: Hashable {
        var key: String
        var members: [String]
        var line: Int?
    }

    /// One sighting per secret and line of a blob: the same secret seen raw and through a
    /// decoder (a CI log before and after normalising) keeps the shortest chain; overlapping
    /// rules on one secret keep the provider rule over a generic one, then the rule whose match
    /// saw more context (a `CLERK_SECRET_KEY=` name beats a bare `sk_live_` shape).
    static func dedup(_ findings: [Finding]) -> [Finding] {
        var best: [Place: Finding] = [:]
        for finding in findings {
            // A binary's strings are read through several views (runs, length-prefixed strings,
            // SQLite values): one sighting per secret there, whatever the view's line.
            let inBinary = finding.location.decoders.contains { $0.decoder == .strings }
            let key = Place(key: finding.secretSHA256, members: finding.location.members, line: inBinary ? 0 : finding.location.line)
            guard let current = best[key] else { best[key] = finding; continue }
            var (winner, loser) = isBetter(finding, than: current) ? (finding, current) : (current, finding)
            // The sighting that lost may be the one that saw the variable name (a dotenv entry).
            if winner.variable == nil { winner.variable = loser.variable }
            best[key] = winner
        }
        return dropDecodedParts(dropReencodings(dropContainerSightings(dropRestatements(Array(best.values)))))
    }

    /// A generic value found by base64-decoding a JWT another rule matched raw on the same line
    /// is one of its claims, not a second credential: the payload decoded shows
    /// `"api_token":"<32 hex>"` inside a demo token, or a Pinata key's `scopedKeySecret` inside
    /// the key's JWT, and revoking the token is the one thing to do. The raw sighting stands
    /// alone. A provider's token decoded from another encoding (a Docker `auth`'s base64 of
    /// `user:ghp_…`) is the credential itself and stays.
    static func dropDecodedParts(_ findings: [Finding]) -> [Finding] {
        func isDecodedPart(_ f: Finding) -> Bool { f.location.decoders.first?.decoder == .base64 && f.category == .generic }
        guard findings.contains(where: isDecodedPart) else { return findings }
        let raw = findings.filter { $0.location.decoders.isEmpty && $0.secret.bytes.starts(with: Array("eyJ".utf8))
            && $0.secret.bytes.filter { $0 == UInt8(ascii: ".") }.count == 2 }
        guard !raw.isEmpty else { return findings }
        // The decoded text is written back on its line, not at the piece's column: a piece is
        // told by its bytes, found in the base64 decoding of one of the raw secret's `.`-separated
        // parts (a JWT's header, payload and signature).
        func holds(_ r: Finding, _ piece: [UInt8]) -> Bool {
            r.secret.bytes.split(separator: UInt8(ascii: ".")).contains { part in
                guard part.count >= piece.count, let decoded = Base64.decode(part) else { return false }
                return decoded.withUnsafeBufferPointer { haystack in
                    piece.withUnsafeBufferPointer { ByteSearch.contains($0, in: haystack) }
                }
            }
        }
        return findings.filter { f in
            guard isDecodedPart(f) else { return true }
            return !raw.contains { r in
                r.location.line == f.location.line && r.location.members == f.location.members && holds(r, f.secret.bytes)
            }
        }
    }

    /// Percent-decoding or unescaping a line that a rule already matched raw yields the same
    /// secret in another spelling (`sig=…%3D` and `sig=…=`): the raw sighting stands alone.
    static func dropReencodings(_ findings: [Finding]) -> [Finding] {
        func isReencoding(_ f: Finding) -> Bool { f.location.decoders.last?.decoder.isReencoding ?? false }
        guard findings.contains(where: isReencoding) else { return findings }
        func place(_ f: Finding) -> Place { Place(key: f.ruleID, members: f.location.members, line: f.location.line) }
        let raw = Set(findings.filter { !isReencoding($0) }.map(place))
        return findings.filter { !isReencoding($0) || !raw.contains(place($0)) }
    }

    /// A secret seen both in a source map's raw JSON and in one of its `sourcesContent`
    /// members (`app.js.map` → `src/lib/api.ts`) is reported at the member, where it was
    /// written: the JSON only restates it.
    static func dropContainerSightings(_ findings: [Finding]) -> [Finding] {
        guard findings.contains(where: { !$0.location.members.isEmpty }) else { return findings }
        var memberSightings: [String: [[String]]] = [:]
        for f in findings where !f.location.members.isEmpty { memberSightings[f.secretSHA256, default: []].append(f.location.members) }
        return findings.filter { f in
            let name = f.location.innermostPath
            guard [".map", ".map.gz", ".map.br"].contains(where: { name.hasSuffix($0) }) else { return true }
            let inside = f.location.members
            return !(memberSightings[f.secretSHA256] ?? []).contains { $0.count > inside.count && $0.starts(with: inside) }
        }
    }

    /// A dotenv or config-value re-emission restates a value the raw file already showed (possibly on another
    /// line, when escapes were decoded): it is dropped when a raw sighting of the secret exists
    /// in the same file, and lends that sighting its variable name.
    static func dropRestatements(_ findings: [Finding]) -> [Finding] {
        func isRestatement(_ f: Finding) -> Bool { [.dotenv, .config].contains(f.location.decoders.last?.decoder) }
        guard findings.contains(where: isRestatement) else { return findings }
        func place(_ f: Finding) -> Place { Place(key: f.secretSHA256, members: f.location.members, line: nil) }
        var names: [Place: String] = [:]
        var rawKeys: Set<Place> = []
        for f in findings {
            if isRestatement(f) { if let v = f.variable { names[place(f)] = v } } else { rawKeys.insert(place(f)) }
        }
        // A config value is a fallback reading of its line: when another rule reported something
        // on that line (a base64 value decoded, a provider token), the line is already told.
        func line(_ f: Finding) -> Place { Place(key: "", members: f.location.members, line: f.location.line) }
        let toldLines = Set(findings.filter { $0.location.decoders.last?.decoder != .config }.map(line))
        return findings.compactMap { f in
            if f.location.decoders.last?.decoder == .config, toldLines.contains(line(f)) { return nil }
            if isRestatement(f) { return rawKeys.contains(place(f)) ? nil : f }
            var f = f
            if f.variable == nil, let name = names[place(f)] { f.variable = name }
            return f
        }
    }

    private static func isBetter(_ a: Finding, than b: Finding) -> Bool {
        // Generic means no provider too: Facebook's app secret has no kind of its own (category
        // generic) but is still Facebook's, and outranks a generic 32-hex rule on the same value.
        func isGeneric(_ f: Finding) -> Bool { f.category == .generic && f.provider == "Generic" }
        let aGeneric = isGeneric(a), bGeneric = isGeneric(b)
        if aGeneric != bGeneric { return bGeneric }
        if a.location.decoders.count != b.location.decoders.count { return a.location.decoders.count < b.location.decoders.count }
        if a.matchLength != b.matchLength { return a.matchLength > b.matchLength }
        if a.severity != b.severity { return a.severity > b.severity }
        return (a.ruleID, a.location.column) < (b.ruleID, b.location.column)
    }
}
