/// Every rule's pattern compiled once, plus the keyword prefilter; shared read-only by all workers.
public struct CompiledRules: Sendable {
    public let ruleSet: RuleSet
    let regexes: [Regex]
    let allowlists: [[Regex]]
    let filter: KeywordFilter
    /// For each keyword of `filter`, the rules it gates.
    let rulesByKeyword: [[Int]]
    /// Rules with no keyword: they run over the whole buffer (imported configs may have them).
    let unfilteredRules: [Int]
    /// Bytes in each keyword of `filter`.
    let keywordLengths: [Int]

    /// How far before a keyword hit a match may start, and after it: a window, not the whole buffer,
    /// is verified, but the subject stays the whole buffer so long matches are never cut.
    static let lookBehind = 256
    static let lookAhead = 256

    public init(_ ruleSet: RuleSet) throws {
        self.ruleSet = ruleSet
        var regexes: [Regex] = []
        var allowlists: [[Regex]] = []
        for rule in ruleSet.rules {
            do {
                regexes.append(try Regex(rule.pattern))
                allowlists.append(try rule.allowlist.map { try Regex($0) })
            } catch let error as MatchError {
                throw RuleError.pattern(rule: rule.id, message: error.description)
            }
        }
        var keywordIndex: [String: Int] = [:]
        var keywords: [String] = []
        var byKeyword: [[Int]] = []
        var unfiltered: [Int] = []
        for (ruleIndex, rule) in ruleSet.rules.enumerated() {
            if rule.keywords.isEmpty { unfiltered.append(ruleIndex) }
            for keyword in Set(rule.keywords.map { $0.lowercased() }) where !keyword.isEmpty {
                let index = keywordIndex[keyword] ?? {
                    keywords.append(keyword)
                    byKeyword.append([])
                    keywordIndex[keyword] = keywords.count - 1
                    return keywords.count - 1
                }()
                byKeyword[index].append(ruleIndex)
            }
        }
        self.regexes = regexes
        self.allowlists = allowlists
        self.filter = KeywordFilter(keywords: keywords)
        self.rulesByKeyword = byKeyword
        self.unfilteredRules = unfiltered
        keywordLengths = keywords.map(\.utf8.count)
    }

    public var count: Int { regexes.count }
    public func rule(at index: Int) -> Rule { ruleSet.rules[index] }

    /// Every candidate in `buffer`: the keyword pass picks rules and windows, PCRE2 verifies.
    public func candidates(in buffer: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) throws -> [Candidate] {
        // (rule, window) per keyword hit, in offset order; then by rule, overlapping windows merged.
        var hits: [(rule: Int, window: Range<Int>)] = []
        filter.scan(buffer) { keyword, end in
            let lower = max(0, end - keywordLengths[keyword] - CompiledRules.lookBehind)
            let upper = min(buffer.count, end + CompiledRules.lookAhead)
            for rule in rulesByKeyword[keyword] { hits.append((rule, lower..<upper)) }
        }
        for rule in unfilteredRules { hits.append((rule, 0..<buffer.count)) }
        guard !hits.isEmpty else { return [] }
        let ordered = hits.enumerated().sorted { ($0.element.rule, $0.offset) < ($1.element.rule, $1.offset) }.map(\.element)
        var found: [Candidate] = []
        var current = ordered[0]
        for next in ordered.dropFirst() {
            if next.rule == current.rule, next.window.lowerBound <= current.window.upperBound {
                current.window = current.window.lowerBound..<max(current.window.upperBound, next.window.upperBound)
            } else {
                try verify(rule: current.rule, window: current.window, in: buffer, scratch: scratch, into: &found)
                current = next
            }
        }
        try verify(rule: current.rule, window: current.window, in: buffer, scratch: scratch, into: &found)
        return found
    }

    private func verify(rule: Int, window: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>,
                        scratch: MatchScratch, into found: inout [Candidate]) throws {
        let regex = regexes[rule]
        let group = ruleSet.rules[rule].secretGroup
        var start = window.lowerBound
        while start <= window.upperBound,
              let groups = try regex.firstMatch(in: buffer, from: start, latestStart: window.upperBound, scratch: scratch),
              let whole = groups[0] {
            let secret = (group < groups.count ? groups[group] : nil) ?? whole
            if !secret.isEmpty { found.append(Candidate(ruleIndex: rule, match: whole, secret: secret)) }
            start = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
        }
    }

    /// Whether one of the rule's allowlist regexes matches the secret.
    func isAllowlisted(rule: Int, secret: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> Bool {
        allowlists[rule].contains { (try? $0.firstMatch(in: secret, from: 0, scratch: scratch)) != nil }
    }
}
