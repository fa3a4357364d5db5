import Dispatch
import Testing
@testable import LeakwardFindings
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardRules
@testable import LeakwardSupport

/// Rules whose patterns are known to compile are compiled the first time a keyword of theirs
/// occurs (`CompiledRules(_:compilingOnFirstUse:)`): the same candidates, fewer regexes built.
@Suite struct FirstUseCompileTests {
    private static let text = """
        const token = "\(OfflineCheck.tokenWithChecksum(prefix: "ghp_", body: "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0d"))"
        STRIPE_SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh
        password = "hunter2-but-longer-Xq9"
        plain prose with nothing in it
        """

    private func candidates(_ rules: CompiledRules, _ text: String) -> [String] {
        let bytes = Array(text.utf8)
        var stopped: [CompiledRules.Stop] = []
        let found = bytes.withUnsafeBufferPointer { rules.candidates(in: $0, scratch: MatchScratch(), stopped: &stopped) }
        #expect(stopped.isEmpty, "\(stopped)")
        return found.map { "\(rules.rule(at: $0.ruleIndex).id) \($0.match) \($0.secret)" }.sorted()
    }

    @Test func firstUseFindsWhatCompilingEverythingFinds() throws {
        let ruleSet = try RuleSet.builtIn()
        let eager = try CompiledRules(ruleSet)
        let lazy = try CompiledRules(ruleSet, compilingOnFirstUse: Set(ruleSet.rules.map(\.pattern)))
        #expect(lazy.compiledOnFirstUseCount == 0)
        let expected = candidates(eager, Self.text)
        #expect(expected.count >= 2)
        #expect(candidates(lazy, Self.text) == expected)
        // Only the rules a keyword of the text gates were compiled.
        let compiled = lazy.compiledOnFirstUseCount
        #expect(compiled > 0 && compiled < ruleSet.rules.count / 2, "\(compiled)")
        // Asked again, nothing more is compiled and the answer is the same.
        #expect(candidates(lazy, Self.text) == expected)
        #expect(lazy.compiledOnFirstUseCount == compiled)
    }

    @Test func aPatternNotKnownToCompileIsStillAnErrorBeforeTheScan() {
        let bad = Rule(id: "bad", name: "bad", category: .generic, provider: "test", severity: .low, pattern: "(unclosed", keywords: ["x"])
        #expect(throws: RuleError.self) { try CompiledRules(RuleSet(rules: [bad])) }
        #expect(throws: RuleError.self) { try CompiledRules(RuleSet(rules: [bad]), compilingOnFirstUse: ["(other)"]) }
    }

    /// Said to compile and does not: the rule is reported as stopped where its keyword
    /// occurred, never passed over as if nothing were there.
    @Test func aFirstUseCompileFailureStopsTheRuleVisibly() throws {
        let bad = Rule(id: "bad", name: "bad", category: .generic, provider: "test", severity: .low, pattern: "(unclosed", keywords: ["zzq"])
        let rules = try CompiledRules(RuleSet(rules: [bad]), compilingOnFirstUse: ["(unclosed"])
        var stopped: [CompiledRules.Stop] = []
        _ = Array("a zzq b".utf8).withUnsafeBufferPointer { rules.candidates(in: $0, scratch: MatchScratch(), stopped: &stopped) }
        #expect(stopped.map(\.ruleID) == ["bad"])
    }

    @Test func everyThreadGetsTheOneStoredValue() {
        final class Box: Sendable { let value: Int; init(_ value: Int) { self.value = value } }
        let table = FirstUseTable<Box>(count: 64)
        let seen = (0..<8).map { _ in FirstUseTable<Box>(count: 64) }
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0..<64 {
                let box = table.value(at: index) { Box(index * 100 + thread) }
                _ = seen[thread].value(at: index) { box }
            }
        }
        for index in 0..<64 {
            #expect(table.isMade(index))
            let stored = table.value(at: index) { Box(-1) }
            #expect(stored.value / 100 == index)
            for thread in 0..<8 { #expect(seen[thread].value(at: index) { Box(-1) } === stored) }
        }
        #expect(!FirstUseTable<Box>(count: 3).isMade(1))
    }
}
