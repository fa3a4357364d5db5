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

/// Every rule's own examples through the gate, then each positive example again inside the
/// envelopes real secrets arrive in: a JSON string, a .env line, a minified JS line, a CI log line.
@Suite struct RuleExampleTests {
    static let ruleSet = try! RuleSet.builtIn()

    @Test func catalogueLoadsAndPassesTheGate() {
        #expect(RuleCheck.run(Self.ruleSet).isEmpty, "\(RuleCheck.run(Self.ruleSet))")
    }

    @Test(arguments: try! RuleSet.builtIn().rules.map(\.id))
    func examplesSurviveEnvelopes(ruleID: String) throws {
        let rule = try #require(Self.ruleSet[ruleID])
        let pipeline = try ScanPipeline(rules: CompiledRules(RuleSet(rules: [rule])),
                                        options: ScanOptions(workerCount: 1, decoders: Decoders.standard))
        // A rule that reads one decoder's output is tested through that decoder (ConfigValueTests);
        // one restricted to a kind of file (`path`) holds only in that file, as its own tests show.
        for example in rule.examples where !example.contains("\n") && rule.requiredDecoder == nil && rule.pathPattern == nil {
            let marked = MarkedText(example)
            for (name, envelope) in Self.envelopes(marked.text) {
                let outcome = pipeline.run([InMemorySource([(name, envelope)])])
                let found = Array(Set(outcome.findings.map(\.secret.revealed))).sorted()
                #expect(found == Array(Set(marked.marked)).sorted(), "\(ruleID) lost its secret in \(name): \(envelope.prefix(80))")
            }
        }
    }

    /// (file name, text): the file name lets decoders recognise the envelope as a real scan would.
    static func envelopes(_ line: String) -> [(String, String)] {
        let escaped = line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return [
            ("config.json", "{\"config\": \"\(escaped)\", \"n\": 1}"),
            ("deploy.env", "export \(line)\n"),
            ("bundle.min.js", "!function(e){var t=1;}();/*\(line)*/var n=2;"),
            ("notes.txt", "// 日本語のコメント ✓ \(line)"),
        ] + ciLogEnvelopes(line)
    }

    /// A GitHub Actions log line: timestamp, then the line wrapped in ANSI colour codes glued to
    /// its first and last characters (the CI-log normaliser must see through both); and the same
    /// line as a GitLab log with its stream marker, gzipped.
    static func ciLogEnvelopes(_ line: String) -> [(String, String)] {
        [
            ("job.log", "2024-05-01T12:00:00.1234567Z \u{1B}[36m\(line)\u{1B}[0m"),
            ("logs/build/2_Run tests.txt", "2024-05-01T12:00:00.1234567Z ##[group]Run tests\n2024-05-01T12:00:01.0000000Z \u{1B}[1;32m\(line)\u{1B}[0m\n"),
        ]
    }
}
