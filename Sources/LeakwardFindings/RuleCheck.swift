import LeakwardMatching
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// The one gate every rule passes: used by `leakward rules check` and the test suite.
public enum RuleCheck {
    /// Every problem found in `ruleSet`, as one readable line each; empty means all good.
    public static func run(_ ruleSet: RuleSet) -> [String] {
        var problems: [String] = []
        let idShape = try! Regex(#"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\.[a-z0-9]+(?:[-_][a-z0-9]+)*)+$"#)
        let scratch = MatchScratch()
        for rule in ruleSet.rules {
            if !idShape.matches(rule.id, scratch: scratch) { problems.append("\(rule.id): id must look like provider.kind in lower case") }
            problems += check(rule, scratch: scratch)
        }
        return problems
    }

    /// Problems with one rule: compilation, examples, keywords.
    public static func check(_ rule: Rule, scratch: MatchScratch = MatchScratch()) -> [String] {
        let filter: FindingFilter
        do {
            filter = try FindingFilter(rules: CompiledRules(RuleSet(rules: [rule])))
        } catch {
            return ["\(rule.id): \(error)"]
        }
        var problems: [String] = []
        if let regex = try? filter.rules.regex(at: 0), regex.captureCount < rule.secretGroup {
            problems.append("\(rule.id): secret_group \(rule.secretGroup) does not exist in the pattern")
        }
        if rule.examples.isEmpty { problems.append("\(rule.id): no positive example") }
        if rule.negativeExamples.isEmpty { problems.append("\(rule.id): no negative example") }
        if rule.keywords.isEmpty { problems.append("\(rule.id): no prefilter keyword") }
        if let pattern = rule.pathPattern, let examplePath = rule.examplePath,
           (try? Regex(pattern))?.matches(examplePath, scratch: scratch) != true {
            problems.append("\(rule.id): example_path \(examplePath) does not match path")
        }
        let keywords = KeywordFilter(keywords: rule.keywords)
        for example in rule.examples {
            let marked = MarkedText(example)
            if marked.marked.isEmpty { problems.append("\(rule.id): positive example has no ⟦secret⟧ marker: \(excerpt(marked.text))") }
            if !rule.keywords.isEmpty && !keywords.containsAny(marked.text) {
                problems.append("\(rule.id): example contains no keyword: \(excerpt(marked.text))")
            }
            let found = secrets(in: marked.text, filter: filter, scratch: scratch, decoders: steps(rule), path: rule.examplePath)
            if found != marked.marked {
                problems.append("\(rule.id): example yields \(found.count) secret(s) \(found.map(redact)), expected \(marked.marked.map(redact)): \(excerpt(marked.text))")
            }
        }
        for example in rule.negativeExamples {
            let found = secrets(in: example, filter: filter, scratch: scratch, decoders: steps(rule), path: rule.examplePath)
            if !found.isEmpty { problems.append("\(rule.id): negative example matched: \(excerpt(example))") }
        }
        if let lead = rule.keywordLead { problems += checkLead(lead, of: rule, keywords: keywords, scratch: scratch) }
        return problems
    }

    /// A `keyword_lead` rule's matches are looked for only from that lead before each keyword:
    /// every match its examples (positive and negative) hold when looked for everywhere near
    /// a keyword must start at most `lead` bytes before the start of a keyword occurrence.
    private static func checkLead(_ lead: Int, of rule: Rule, keywords: KeywordFilter, scratch: MatchScratch) -> [String] {
        var wide = rule
        wide.keywordLead = nil
        guard let everywhere = try? CompiledRules(RuleSet(rules: [wide])) else { return [] }
        var problems: [String] = []
        for text in rule.examples.map({ MarkedText($0).text }) + rule.negativeExamples {
            Array(text.utf8).withUnsafeBufferPointer { buffer in
                var starts: [Int] = []
                keywords.scan(buffer) { keyword, end in starts.append(end - keywords.keywords[keyword].utf8.count) }
                for candidate in everywhere.candidates(in: buffer, scratch: scratch) {
                    let start = candidate.match.lowerBound
                    if !starts.contains(where: { $0 >= start && $0 - start <= lead }) {
                        problems.append("\(rule.id): a match starts more than keyword_lead \(lead) bytes before every keyword: \(excerpt(text))")
                    }
                }
            }
        }
        return problems
    }

    /// The secrets the filter reports in `text` (suppressed and dropped candidates excluded).
    /// A rule that reads one decoder's output has its examples judged as that output.
    public static func steps(_ rule: Rule) -> [DecodeStep] { rule.requiredDecoder.flatMap(DecoderKind.init(rawValue:)).map { [DecodeStep($0)] } ?? [] }

    /// A path-restricted rule's examples are judged at its `example_path`.
    public static func secrets(in text: String, filter: FindingFilter, scratch: MatchScratch,
                               decoders: [DecodeStep] = [], path: String? = nil) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var lines: LineIndex?
            let candidates = filter.rules.candidates(in: buffer, scratch: scratch)
            let context = FindingFilter.Context(path: path ?? "example.txt", decoders: decoders)
            return candidates.sorted { $0.secret.lowerBound < $1.secret.lowerBound }.compactMap { candidate in
                if case .finding(let finding) = filter.judge(candidate, in: buffer, context: context, lines: &lines, scratch: scratch) {
                    return finding.secret.revealed
                }
                return nil
            }
        }
    }

    private static func excerpt(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(60)) + "…" : text
    }

    private static func redact(_ text: String) -> String { SecretValue(text).description }
}
