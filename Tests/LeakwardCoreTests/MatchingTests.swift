import Testing
@testable import LeakwardCore

@Suite struct KeywordFilterTests {
    @Test func findsEveryKeywordCaseInsensitively() {
        let filter = KeywordFilter(keywords: ["ghp_", "secret", "sk-proj-", "cret"])
        var hits: [(String, Int)] = []
        Array("x GHP_abc my_SECRET=1 sk-proj-".utf8).withUnsafeBufferPointer { buffer in
            filter.scan(buffer) { keyword, end in hits.append((filter.keywords[keyword], end)) }
        }
        #expect(hits.map(\.0).sorted() == ["cret", "ghp_", "secret", "sk-proj-"])
        #expect(hits.first { $0.0 == "ghp_" }?.1 == 6)
    }

    @Test func reportsNothingOnCleanText() {
        let filter = KeywordFilter(keywords: ["ghp_", "akia"])
        #expect(!filter.containsAny("nothing to see here, just text"))
        #expect(filter.containsAny("id=AKIA"))
    }
}

@Suite struct EntropyTests {
    @Test func uniformAndRandomStrings() {
        #expect(Entropy.bitsPerByte(Array("aaaaaaaa".utf8)) == 0)
        #expect(abs(Entropy.bitsPerByte(Array("abcd".utf8)) - 2.0) < 1e-9)
        #expect(Entropy.bitsPerByte(Array("t3tJJXPkfKcrgvkEIzIPcypgxolR3rtS1BRK".utf8)) > 4.0)
    }
}

@Suite struct RegexTests {
    @Test func capturesGroupsAsByteRanges() throws {
        let regex = try Regex(#"key=([a-z]+)"#)
        let scratch = MatchScratch()
        let bytes = Array("xx key=abc yy".utf8)
        let groups = try bytes.withUnsafeBufferPointer { try regex.firstMatch(in: $0, from: 0, scratch: scratch) }
        #expect(groups?[1] == 7..<10)
    }

    @Test func compileErrorsNameTheProblem() {
        #expect(throws: MatchError.self) { try Regex("(unclosed") }
    }

    @Test func respectsLatestStart() throws {
        let regex = try Regex("b+")
        let scratch = MatchScratch()
        let bytes = Array("aaaaabbb".utf8)
        let early = try bytes.withUnsafeBufferPointer { try regex.firstMatch(in: $0, from: 0, latestStart: 3, scratch: scratch) }
        #expect(early == nil)
    }
}

@Suite struct CompiledRulesTests {
    @Test func findsMatchFarFromBufferStart() throws {
        let rules = try CompiledRules(RuleSet.builtIn())
        let token = OfflineCheck.tokenWithChecksum(prefix: "ghp_", body: "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0d")
        let text = String(repeating: "filler line of text\n", count: 5000) + "token = \(token)\n"
        let bytes = Array(text.utf8)
        let candidates = try bytes.withUnsafeBufferPointer { try rules.candidates(in: $0, scratch: MatchScratch()) }
        let secrets = candidates.map { String(decoding: bytes[$0.secret], as: UTF8.self) }
        #expect(secrets.contains(token))
    }
}
