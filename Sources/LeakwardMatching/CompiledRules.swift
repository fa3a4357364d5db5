import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// Every rule's pattern compiled once, plus the keyword prefilter; shared read-only by all workers.
public struct CompiledRules: Sendable {
    public let ruleSet: RuleSet
    /// Each rule's pattern compiled at init; nil for a rule compiled on first use instead.
    private let compiledAtStart: [Regex?]
    /// The rules whose patterns are known to compile (`compilingOnFirstUse`): each is compiled
    /// (and JIT-compiled) the first time a keyword of it occurs, by the worker that meets it.
    /// Most never are: on a JavaScript monorepo about a quarter of the built-in rules have a
    /// keyword hit, and compiling all 298 was 20-25 ms of CPU before the first file was read.
    private let compiledOnFirstUse: FirstUseTable<Regex>
    public let allowlists: [[Regex]]
    public let filter: KeywordFilter
    /// For each keyword of `filter`, the rules it gates.
    let rulesByKeyword: [[Int]]
    /// Rules with no keyword: they run over the whole buffer (imported configs may have them).
    let unfilteredRules: [Int]
    /// Bytes in each keyword of `filter`.
    let keywordLengths: [Int]
    /// Keywords of another pass folded into `filter` (the config checks'), so one pass over a
    /// blob serves both: for each keyword of `filter`, the side keywords it stands for.
    let sideByKeyword: [[Int]]
    /// The side keywords folded in (`sharingKeywordPass(with:)`), none without.
    public let sideKeywords: [String]
    public var sideKeywordCount: Int { sideKeywords.count }
    /// With side keywords folded in: the pass over the rules' keywords alone, for the buffers
    /// whose side hits nobody asks for (history blobs outside HEAD's tree, windows, decoded
    /// text: nearly all bytes of a history scan). Its automaton is smaller (0.86 against 1.2 MB
    /// for the bundled rules and checks, nearer to fitting the L2 cache) and it stops at no
    /// side keyword. Its hits on rule keywords are those of the shared pass, in the same order.
    private let rulesOnly: RulesOnlyPass?
    private struct RulesOnlyPass: Sendable {
        let filter: KeywordFilter
        let rulesByKeyword: [[Int]]
        let keywordLengths: [Int]
    }

    /// How far before a keyword hit a match may start, and after it: a window, not the whole buffer,
    /// is verified, but the subject stays the whole buffer so long matches are never cut.
    static let lookBehind = 256
    static let lookAhead = 256
    /// Per rule, its `keyword_lead` (how far before a keyword's start its matches start), or -1:
    /// the rule's window is then ±256 bytes around each hit.
    private let keywordLeads: [Int]

    /// `sideKeywords`: see `sharingKeywordPass(with:)`; given here, the automaton is built once.
    /// `compilingOnFirstUse`: patterns known to compile (the built-in rules', which the tests
    /// compile); a rule with one of them is compiled when first needed, every other rule here,
    /// so a pattern that does not compile is still an error before the scan starts.
    public init(_ ruleSet: RuleSet, sideKeywords: [String] = [], compilingOnFirstUse knownPatterns: Set<String> = []) throws {
        self.ruleSet = ruleSet
        // Every scan waits for this before its first byte: the patterns are compiled (and
        // JIT-compiled) on every core, beside the keyword automaton, which piece 0 builds.
        let rules = ruleSet.rules
        // A handful of rules (a rule's own examples checked) is compiled on one thread.
        let workers = rules.count < 32 ? 1 : ProcessInfoCores.workerCount
        let segments = Parallel.segments(of: rules.count, workers: workers, minimumLength: 16)
        typealias Compiled = (segment: Int, regexes: [Regex?], allowlists: [[Regex]], failure: RuleError?)
        typealias Pass = (KeywordFilter, [[Int]], [Int], [Int], [[Int]])
        // Piece 0 builds the shared automaton, piece 1 the rules-only one (when there are side
        // keywords), the rest compile segments of the rules.
        let parts = Parallel.run(pieces: segments.count + 2, workers: workers,
                                 start: { (compiled: [Compiled](), pass: Pass?.none, rulesOnly: RulesOnlyPass?.none) },
                                 piece: { worker, piece in
                                     guard piece > 1 else {
                                         if piece == 0 {
                                             worker.pass = CompiledRules.keywordPass(ruleSet, side: sideKeywords)
                                         } else {
                                             worker.rulesOnly = CompiledRules.rulesOnlyPass(ruleSet, side: sideKeywords)
                                         }
                                         return
                                     }
                                     var part: Compiled = (piece - 2, [], [], nil)
                                     for rule in rules[segments[piece - 2]] {
                                         do {
                                             part.regexes.append(knownPatterns.contains(rule.pattern) ? nil : try Regex(rule.pattern))
                                             part.allowlists.append(try rule.allowlist.map { try Regex($0) })
                                         } catch let error as MatchError {
                                             part.failure = RuleError.pattern(rule: rule.id, message: error.description)
                                             break
                                         } catch {
                                             part.failure = RuleError.pattern(rule: rule.id, message: "\(error)")
                                             break
                                         }
                                     }
                                     worker.compiled.append(part)
                                 },
                                 finish: { $0 })
        let compiled = parts.flatMap(\.compiled).sorted { $0.segment < $1.segment }
        // The first rule that does not compile, as one thread would have met it.
        if let failure = compiled.lazy.compactMap(\.failure).first { throw failure }
        compiledAtStart = compiled.flatMap(\.regexes)
        keywordLeads = rules.map { $0.keywordLead ?? -1 }
        compiledOnFirstUse = FirstUseTable(count: rules.count)
        allowlists = compiled.flatMap(\.allowlists)
        (filter, rulesByKeyword, unfilteredRules, keywordLengths, sideByKeyword) = parts.lazy.compactMap(\.pass).first!
        self.sideKeywords = sideKeywords
        rulesOnly = parts.lazy.compactMap(\.rulesOnly).first
    }

    private init(_ base: CompiledRules, side: [String]) {
        ruleSet = base.ruleSet
        compiledAtStart = base.compiledAtStart
        keywordLeads = base.keywordLeads
        compiledOnFirstUse = base.compiledOnFirstUse
        allowlists = base.allowlists
        (filter, rulesByKeyword, unfilteredRules, keywordLengths, sideByKeyword) = CompiledRules.keywordPass(ruleSet, side: side)
        sideKeywords = side
        // The base's own pass is the rules' alone when it has no side keywords (the usual case).
        rulesOnly = !side.contains(where: { !$0.isEmpty }) ? nil
            : base.rulesOnly ?? RulesOnlyPass(filter: base.filter, rulesByKeyword: base.rulesByKeyword, keywordLengths: base.keywordLengths)
    }

    /// Nil when there are no side keywords: the shared pass is then the rules' own.
    private static func rulesOnlyPass(_ ruleSet: RuleSet, side: [String]) -> RulesOnlyPass? {
        guard side.contains(where: { !$0.isEmpty }) else { return nil }
        let (filter, byKeyword, _, lengths, _) = keywordPass(ruleSet, side: [])
        return RulesOnlyPass(filter: filter, rulesByKeyword: byKeyword, keywordLengths: lengths)
    }

    /// The same rules with `side` keywords folded into their keyword automaton: the blob's one
    /// keyword pass then also says which of those occur (`candidates(in:scratch:stopped:sideHits:)`),
    /// and the config checks need no pass of their own. Their hits gate no rule.
    public func sharingKeywordPass(with side: [String]) -> CompiledRules { CompiledRules(self, side: side) }

    private static func keywordPass(_ ruleSet: RuleSet, side: [String])
        -> (KeywordFilter, [[Int]], [Int], [Int], [[Int]]) {
        var keywordIndex: [String: Int] = [:]
        var keywords: [String] = []
        var byKeyword: [[Int]] = []
        var sideByKeyword: [[Int]] = []
        var unfiltered: [Int] = []
        func index(of keyword: String) -> Int {
            if let index = keywordIndex[keyword] { return index }
            keywords.append(keyword)
            byKeyword.append([])
            sideByKeyword.append([])
            keywordIndex[keyword] = keywords.count - 1
            return keywords.count - 1
        }
        for (ruleIndex, rule) in ruleSet.rules.enumerated() {
            if rule.keywords.isEmpty { unfiltered.append(ruleIndex) }
            for keyword in Set(rule.keywords.map { $0.lowercased() }) where !keyword.isEmpty {
                byKeyword[index(of: keyword)].append(ruleIndex)
            }
        }
        for (sideIndex, keyword) in side.enumerated() where !keyword.isEmpty {
            sideByKeyword[index(of: keyword.lowercased())].append(sideIndex)
        }
        return (KeywordFilter(keywords: keywords), byKeyword, unfiltered, keywords.map(\.utf8.count), sideByKeyword)
    }

    public var count: Int { ruleSet.rules.count }
    public func rule(at index: Int) -> Rule { ruleSet.rules[index] }

    /// Rule `index`'s compiled pattern, compiled now when this is its first use. Throws
    /// `MatchError.compile` only for a pattern that was said to compile and does not (matching
    /// then reports the rule as stopped in that window, never silently clean).
    public func regex(at index: Int) throws -> Regex {
        if let regex = compiledAtStart[index] { return regex }
        return try compiledOnFirstUse.value(at: index) { try Regex(ruleSet.rules[index].pattern) }
    }

    /// How many rules compiled on first use have been so far (`-v`, tests).
    public var compiledOnFirstUseCount: Int { (0..<count).count(where: compiledOnFirstUse.isMade) }

    /// A rule whose regex stopped at a PCRE2 limit in one window, even when retried on the
    /// window alone: what it may have found there is unknown.
    public struct Stop: Sendable, Equatable, CustomStringConvertible {
        public let ruleID: String
        public let window: Range<Int>
        public let message: String
        public var description: String {
            "rule \(ruleID): match stopped at bytes \(window.lowerBound)..<\(window.upperBound): \(message)"
        }
    }

    /// Every candidate in `buffer`: the keyword pass picks rules and windows, PCRE2 verifies.
    /// A window whose match stops at a limit costs that rule that window only (in `stopped`);
    /// every other rule and window is still matched.
    public func candidates(in buffer: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> [Candidate] {
        var stopped: [Stop] = []
        return candidates(in: buffer, scratch: scratch, stopped: &stopped)
    }

    public func candidates(in buffer: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, stopped: inout [Stop]) -> [Candidate] {
        var noSide: [Bool] = []
        return candidates(in: buffer, scratch: scratch, stopped: &stopped, sideHits: &noSide)
    }

    /// Also sets `sideHits[s]` for every side keyword `s` found, when `sideHits` has one flag
    /// per side keyword (otherwise side keywords are passed over). `only`: per rule index,
    /// whether it may match this buffer (a binary's strings are matched with strong token
    /// formats only); nil: every rule.
    public func candidates(in buffer: UnsafeBufferPointer<UInt8>, scratch: MatchScratch, stopped: inout [Stop],
                           sideHits: inout [Bool], only: [Bool]? = nil) -> [Candidate] {
        // (rule, window) per keyword hit, in offset order; then by rule, overlapping windows merged.
        // A window is where a match may start: from 256 bytes before the keyword to 256 after it,
        // or, for a rule with a keyword lead, from that lead before the keyword to its start.
        var hits: [(rule: Int, window: Range<Int>)] = []
        let marksSide = sideKeywordCount > 0 && sideHits.count == sideKeywordCount
        let leads = keywordLeads
        if !marksSide, let pass = rulesOnly {
            pass.filter.scan(buffer) { keyword, end in
                let start = end - pass.keywordLengths[keyword]
                let lower = max(0, start - CompiledRules.lookBehind)
                let upper = min(buffer.count, end + CompiledRules.lookAhead)
                for rule in pass.rulesByKeyword[keyword] where only?[rule] ?? true {
                    let lead = leads[rule]
                    hits.append((rule, lead < 0 ? lower..<upper : max(0, start - lead)..<start))
                }
            }
        } else {
            filter.scan(buffer) { keyword, end in
                if marksSide { for side in sideByKeyword[keyword] { sideHits[side] = true } }
                let rules = rulesByKeyword[keyword]
                guard !rules.isEmpty else { return }
                let start = end - keywordLengths[keyword]
                let lower = max(0, start - CompiledRules.lookBehind)
                let upper = min(buffer.count, end + CompiledRules.lookAhead)
                for rule in rules where only?[rule] ?? true {
                    let lead = leads[rule]
                    hits.append((rule, lead < 0 ? lower..<upper : max(0, start - lead)..<start))
                }
            }
        }
        for rule in unfilteredRules where only?[rule] ?? true { hits.append((rule, 0..<buffer.count)) }
        guard !hits.isEmpty else { return [] }
        // By rule, then by where the window starts, so the merged windows are exactly the union:
        // a longer keyword ending later may start earlier (`api_secret` around `secret`), and a
        // keyword-lead window then starts before the window of the hit reported first.
        let ordered = hits.sorted { ($0.rule, $0.window.lowerBound, $0.window.upperBound) < ($1.rule, $1.window.lowerBound, $1.window.upperBound) }
        var found: [Candidate] = []
        var current = ordered[0]
        for next in ordered.dropFirst() {
            if next.rule == current.rule, next.window.lowerBound <= current.window.upperBound {
                current.window = current.window.lowerBound..<max(current.window.upperBound, next.window.upperBound)
            } else {
                verify(rule: current.rule, window: current.window, in: buffer, scratch: scratch, into: &found, stopped: &stopped)
                current = next
            }
        }
        verify(rule: current.rule, window: current.window, in: buffer, scratch: scratch, into: &found, stopped: &stopped)
        return found
    }

    /// Matches in the window with the whole buffer as subject (a long match is never cut);
    /// when that stops at a PCRE2 limit (backtracking across the rest of a big blob), again
    /// with the keyword window alone as subject, which bounds the work by the window (a
    /// keyword-lead window, a few bytes of starts, with the 256 bytes after it).
    private func verify(rule: Int, window: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>,
                        scratch: MatchScratch, into found: inout [Candidate], stopped: inout [Stop]) {
        var local: [Candidate] = []
        do {
            try verify(rule: rule, window: window, in: buffer, shift: 0, scratch: scratch, into: &local)
        } catch {
            local = []
            let end = keywordLeads[rule] < 0 ? window.upperBound : min(buffer.count, window.upperBound + CompiledRules.lookAhead)
            let part = UnsafeBufferPointer(rebasing: buffer[window.lowerBound..<end])
            do {
                try verify(rule: rule, window: 0..<window.count, in: part, shift: window.lowerBound, scratch: scratch, into: &local)
                // A match reaching the end of a cut subject may exist only because of the cut
                // (`$`, a lookahead, a greedy run stopped early): not trusted, reported as a stop.
                if end < buffer.count, local.contains(where: { $0.match.upperBound == end }) {
                    local.removeAll { $0.match.upperBound == end }
                    let first = if case MatchError.limit(_, let text) = error { text } else { "\(error)" }
                    stopped.append(Stop(ruleID: ruleSet.rules[rule].id, window: window,
                                        message: first + "; on the keyword window alone it matched only up to the window's end"))
                }
            } catch {
                let message = if case MatchError.limit(_, let text) = error { text } else { "\(error)" }
                stopped.append(Stop(ruleID: ruleSet.rules[rule].id, window: window, message: message))
            }
        }
        found += local
    }

    /// `shift` is added to every range: the subject may be a slice starting there.
    private func verify(rule: Int, window: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>, shift: Int,
                        scratch: MatchScratch, into found: inout [Candidate]) throws {
        let regex = try regex(at: rule)
        let group = ruleSet.rules[rule].secretGroup
        var start = window.lowerBound
        func shifted(_ range: Range<Int>) -> Range<Int> { range.lowerBound + shift..<range.upperBound + shift }
        while start <= window.upperBound,
              let groups = try regex.firstMatch(in: buffer, from: start, latestStart: window.upperBound, scratch: scratch),
              let whole = groups[0] {
            let secret = (group < groups.count ? groups[group] : nil) ?? whole
            if !secret.isEmpty { found.append(Candidate(ruleIndex: rule, match: shifted(whole), secret: shifted(secret))) }
            start = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
        }
    }

    /// Whether one of the rule's allowlist regexes matches the secret.
    public func isAllowlisted(rule: Int, secret: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> Bool {
        allowlists[rule].contains { (try? $0.firstMatch(in: secret, from: 0, scratch: scratch)) != nil }
    }
}
