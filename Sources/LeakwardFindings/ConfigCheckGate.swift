import Foundation
import LeakwardMatching
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// The gate every config check passes (`leakward rules check` and the test suite): it
/// compiles, its scope and text are filled in, and its examples fire and stay quiet as written.
public enum ConfigCheckGate {
    /// Every problem found in `checks`, one readable line each; `rules` find the secrets that
    /// `requires_secret` checks look for in their examples.
    public static func run(_ checks: ConfigCheckSet, rules: RuleSet) -> [String] {
        let compiled: CompiledChecks
        let filter: FindingFilter
        do {
            compiled = try CompiledChecks(checks)
            filter = try FindingFilter(rules: CompiledRules(rules))
        } catch {
            return ["\(error)"]
        }
        let idShape = try! Regex(#"^[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z0-9]+(?:[-.][a-z0-9]+)*$"#)
        let scratch = MatchScratch()
        var problems: [String] = []
        for (n, check) in checks.checks.enumerated() {
            let id = check.id
            if !idShape.matches(id, scratch: scratch) { problems.append("\(id): id must look like area.name in lower case") }
            if check.examples.isEmpty { problems.append("\(id): no positive example") }
            if check.negativeExamples.isEmpty { problems.append("\(id): no negative example") }
            if check.pattern != nil {
                if check.files.isEmpty { problems.append("\(id): no files it applies to") }
                if check.keywords.isEmpty, !check.requiresSecret { problems.append("\(id): no prefilter keyword") }
            }
            if check.requiresSecret, check.pattern == nil { problems.append("\(id): requires_secret needs a pattern") }
            for example in check.examples {
                let count = fires(n, on: example, compiled: compiled, filter: filter, scratch: scratch)
                if count != 1 { problems.append("\(id): positive example gives \(count) problems, expected 1: \(excerpt(example))") }
                if check.pattern != nil, !check.keywords.isEmpty, !KeywordFilter(keywords: check.keywords).containsAny(example) {
                    problems.append("\(id): example contains no keyword: \(excerpt(example))")
                }
            }
            for example in check.negativeExamples {
                let count = fires(n, on: example, compiled: compiled, filter: filter, scratch: scratch)
                if count != 0 { problems.append("\(id): negative example gives \(count) problems: \(excerpt(example))") }
            }
        }
        return problems
    }

    /// How many problems check `n` reports on one example: text for pattern checks and
    /// weak secrets, a path for the file tests.
    static func fires(_ n: Int, on example: String, compiled: CompiledChecks, filter: FindingFilter, scratch: MatchScratch) -> Int {
        let check = compiled.catalog.checks[n]
        switch check.test {
        case "tracked-env-file", "shipped-source-map":
            let one = try! CompiledChecks(ConfigCheckSet(checks: [check]))
            return one.fileProblems(origin: .file(root: ".", path: example), isTracked: true, isUntracked: false).count
        case "weak-secret":
            return findings(in: example, filter: filter, scratch: scratch).filter { $0.kind == .weakSecret }.count
        default:
            let bytes = Array(example.utf8)
            let secrets = findings(in: example, filter: filter, scratch: scratch)
            var lines: LineIndex?
            let found = bytes.withUnsafeBufferPointer {
                (try? compiled.problems(check: n, in: $0, origin: .file(root: ".", path: "example"), context: { .production }, isUntracked: nil,
                                        secrets: secrets, lines: &lines, scratch: scratch)) ?? []
            }
            return found.count
        }
    }

    /// The secret findings the rules make in `text`, with their offsets.
    public static func findings(in text: String, filter: FindingFilter, scratch: MatchScratch) -> [Finding] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var lines: LineIndex?
            let candidates = filter.rules.candidates(in: buffer, scratch: scratch)
            let context = FindingFilter.Context(path: "example.txt")
            return candidates.compactMap { candidate in
                if case .finding(let finding) = filter.judge(candidate, in: buffer, context: context, lines: &lines, scratch: scratch) {
                    return finding
                }
                return nil
            }
        }
    }

    private static func excerpt(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "⏎")
        return flat.count > 70 ? String(flat.prefix(70)) + "…" : flat
    }
}
