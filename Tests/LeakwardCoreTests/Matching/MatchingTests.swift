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
@testable import LeakwardSupport

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

    /// Long buffers are walked as two or four interleaved lanes: every occurrence is still
    /// reported once, in offset order, also where a keyword straddles a lane boundary.
    @Test(arguments: [300, 1001, 1023, 1024, 1500, 4096, 4097, 9000, 65_537])
    func longBuffersReportEveryOccurrenceOnceInOrder(size: Int) {
        let keywords = ["ghp_", "secret", "sk-proj-", "cret", "-----begin openssh", "a"]
        let filter = KeywordFilter(keywords: keywords)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz_- ".utf8)
        var text = (0..<size).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        // Plant keywords at and around the middle, and at both ends.
        // The longest keyword ends two bytes past each lane boundary (halves and quarters): every
        // lane must start early enough.
        var plants = [(0, "ghp_"), (size - 8, "sk-proj-")]
        for boundary in Set([size / 2, size / 4, size / 2, 3 * (size / 4)]) where boundary > 40 {
            plants += [(boundary - 16, "-----BEGIN OPENSSH"), (boundary + 2, "ghp_"), (boundary + 6, "SECRET")]
        }
        for (offset, keyword) in plants {
            text.replaceSubrange(offset..<offset + keyword.utf8.count, with: Array(keyword.utf8))
        }
        var hits: [(Int, Int)] = []
        text.withUnsafeBufferPointer { buffer in filter.scan(buffer) { hits.append(($0, $1)) } }
        // The naive answer: every keyword at every offset.
        let lowered = text.map(KeywordFilter.fold)
        var expected: [(Int, Int)] = []
        for end in 1...size {
            for (k, keyword) in keywords.enumerated() {
                let bytes = Array(keyword.utf8)
                if end >= bytes.count, Array(lowered[(end - bytes.count)..<end]) == bytes { expected.append((k, end)) }
            }
        }
        #expect(hits.map(\.1) == hits.map(\.1).sorted())
        #expect(hits.map { "\($0.1):\($0.0)" }.sorted() == expected.map { "\($0.1):\($0.0)" }.sorted())
    }

    /// The order callers see (and merge windows in): by end, the longest first where several
    /// end together; short keywords (one to three bytes), punctuation and upper case included.
    @Test(arguments: [0, 1, 2, 3, 4, 5, 64, 2_000])
    func reportsExactlyTheNaiveOccurrencesInEndOrder(size: Int) {
        let keywords = ["q~", ":-", "env", "$1$", "x", "ghp_", "secret", "cret", "et", "sk-proj-", "-----begin", "--", "Env_Var", "é"]
        let filter = KeywordFilter(keywords: keywords)
        let alphabet = Array("eEnNvVq~:-$1xXsScCrRtTgGhHpP_kKoOjb é\n".utf8)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<(size < 10 ? 200 : 20) {
            let text = (0..<size).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            var hits: [Int] = []
            var ends: [Int] = []
            text.withUnsafeBufferPointer { buffer in filter.scan(buffer) { hits.append($0); ends.append($1) } }
            let lowered = text.map(KeywordFilter.fold)
            var expected: [(keyword: Int, end: Int)] = []
            for end in 0...size {
                // Longest first among those ending here.
                let here = keywords.enumerated().filter { _, keyword in
                    let bytes = Array(keyword.lowercased().utf8)
                    return end >= bytes.count && Array(lowered[(end - bytes.count)..<end]) == bytes
                }
                expected += here.sorted { $0.element.utf8.count > $1.element.utf8.count }.map { ($0.offset, end) }
            }
            #expect(hits == expected.map(\.keyword))
            #expect(ends == expected.map(\.end))
        }
    }

    /// The built-in rules' keywords make an automaton of thousands of states whose rows with
    /// outputs lie past a power-of-two offset and whose longest keyword makes each lane start 40
    /// bytes early: every occurrence in text full of keyword pieces is still found once, on one,
    /// two and four lanes.
    @Test(arguments: [40, 150, 250, 1_500, 20_000])
    func builtInKeywordsAreFoundWhereANaiveSearchFindsThem(size: Int) throws {
        let keywords = Array(Set(try RuleSet.builtIn().rules.flatMap(\.keywords).map { $0.lowercased() }).filter { !$0.isEmpty }).sorted()
        let filter = KeywordFilter(keywords: keywords)
        var generator = SystemRandomNumberGenerator()
        // Pieces of keywords (whole ones, their prefixes, upper-cased ones) joined by filler.
        var text: [UInt8] = []
        while text.count < size {
            let keyword = Array(keywords[Int.random(in: 0..<keywords.count, using: &generator)].utf8)
            let piece = keyword.prefix(Int.random(in: 1...keyword.count, using: &generator))
            text += Bool.random(using: &generator) ? Array(piece) : piece.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }
            text += Array(" =_.\n".utf8).prefix(Int.random(in: 0...2, using: &generator))
        }
        text = Array(text.prefix(size))
        var hits: [String] = []
        text.withUnsafeBufferPointer { buffer in filter.scan(buffer) { hits.append("\($1):\($0)") } }
        let lowered = text.map(KeywordFilter.fold)
        var expected: [String] = []
        for (k, keyword) in keywords.enumerated() {
            let bytes = Array(keyword.utf8)
            guard bytes.count <= size else { continue }
            for start in 0...(size - bytes.count) where lowered[start..<start + bytes.count].elementsEqual(bytes) {
                expected.append("\(start + bytes.count):\(k)")
            }
        }
        #expect(hits.count == Set(hits).count)
        #expect(hits.sorted() == expected.sorted())
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
    private static func rule(_ id: String, _ pattern: String, keyword: String) -> Rule {
        Rule(id: id, name: id, category: .generic, provider: "test", severity: .low, pattern: pattern, keywords: [keyword])
    }

    /// A pattern that backtracks quadratically over the rest of a big blob stops at the match
    /// limit; retried on its keyword window alone it completes, and the other rules' matches
    /// in the same buffer are kept either way.
    @Test func matchLimitIsRetriedInTheKeywordWindow() throws {
        let rules = try CompiledRules(RuleSet(rules: [
            Self.rule("slow-quadratic", "tok=((?:a|b)*(?:a|b)*[XY])", keyword: "tok="),
            Self.rule("hopeless-exponential", "exp=((?:a|aa)+[bc])", keyword: "exp="),
            Self.rule("plain", "(zzq_[0-9]{8})", keyword: "zzq_"),
        ]))
        let quadratic = "tok=" + String(repeating: "a", count: 20_000) + "\nzzq_12345678\n"
        var stopped: [CompiledRules.Stop] = []
        let found = Array(quadratic.utf8).withUnsafeBufferPointer { rules.candidates(in: $0, scratch: MatchScratch(), stopped: &stopped) }
        #expect(stopped.isEmpty)
        #expect(found.map { rules.rule(at: $0.ruleIndex).id } == ["plain"])
        // The whole buffer as subject does stop: the retry is what kept the window.
        let slow = try rules.regex(at: try #require(rules.ruleSet.rules.firstIndex { $0.id == "slow-quadratic" }))
        #expect(throws: MatchError.self) {
            try Array(quadratic.utf8).withUnsafeBufferPointer { try slow.firstMatch(in: $0, from: 0, latestStart: 300, scratch: MatchScratch()) }
        }

        let exponential = "exp=" + String(repeating: "a", count: 120) + "\nzzq_87654321\n"
        let bytes = Array(exponential.utf8)
        let kept = bytes.withUnsafeBufferPointer { rules.candidates(in: $0, scratch: MatchScratch(), stopped: &stopped) }
        #expect(kept.map { String(decoding: bytes[$0.secret], as: UTF8.self) } == ["zzq_87654321"])
        #expect(stopped.map(\.ruleID) == ["hopeless-exponential"])
        #expect(stopped.first?.description.hasPrefix("rule hopeless-exponential: match stopped") == true)
    }

    /// Deeply indented comment lines after a provider name followed by a colon (Ruby docs in
    /// the Rails history) made the nested-YAML branch of 77 rules backtrack past PCRE2's match
    /// limit: each line's leading blanks could be split between two quantifiers. Possessive
    /// quantifiers there keep the same matches and no built-in rule stops on such text.
    @Test func indentedCommentBlocksStopNoBuiltInRule() throws {
        let rules = try CompiledRules(RuleSet.builtIn())
        var lines = ["      # Styles can be combined together:", "      #"]
        for i in 0..<6 {
            lines += ["      #   block_\(i) do", "      #     def item_\(i)", "      #       \"value \(i)\"", "      #     end", "      #   end", "      #"]
        }
        lines += ["      def combine(*args)", "        args.each do |arg|", "          next if arg.nil?", "        end", "      end"]
        var stopped: [CompiledRules.Stop] = []
        let text = lines.joined(separator: "\n") + "\n"
        _ = Array(text.utf8).withUnsafeBufferPointer { rules.candidates(in: $0, scratch: MatchScratch(), stopped: &stopped) }
        #expect(stopped.isEmpty, "\(stopped)")
    }

    /// A rule with a keyword lead is matched only from the bytes before each keyword where its
    /// matches can start: on text dense with assignments, URLs and near misses, the built-in
    /// lead rules find exactly the candidates they find in ±256-byte windows.
    @Test func keywordLeadWindowsFindWhatWideWindowsFind() throws {
        let builtIn = try RuleSet.builtIn()
        let leadRules = builtIn.rules.filter { $0.keywordLead != nil }
        #expect(Set(leadRules.map(\.id)).isSuperset(of: ["generic.assignment", "generic.url-credentials", "generic.hex-key",
                                                          "generic.hardcoded-fallback", "session.signing-secret", "npmrc.auth"]))
        let wideRules = leadRules.map { rule -> Rule in
            var wide = rule
            wide.keywordLead = nil
            return wide
        }
        let narrow = try CompiledRules(RuleSet(rules: leadRules)), wide = try CompiledRules(RuleSet(rules: wideRules))
        let value = "Qm3xT8vLp2KdW9rZc4HnYb6J", hex = "b7e2f94c1a0d38e65f2c9b41d7a8e3f0"
        let pieces = [
            "config.action_mailer.smtp_settings.user_password = \"\(value)\"", "x.auth-key = '\(value)'",
            "AUTHKEY: \"\(value)\"", "client-secret => `\(value)`", "my.very.long.dotted.name.for.the.access-key = \"\(value)\"",
            "subscription-key = \"\(hex)\"", "app-secret: '\(hex)'", "git+https://deploy:\(value)@git.acme-shop.com/x.git",
            "sftp://user:\(value)@files.acme-shop.com", "see https://docs.acme-shop.com/api and http://x:y@z", "token_secret_password",
            "password = \"short\"", "# the secret is kept elsewhere", "ws://a:\(value)@h.acme-shop.io wss://b:\(value)@h.acme-shop.io",
            "process.env.JWT_SECRET || \"\(value)\"", "${POSTGRES_PASSWORD:-\(value)}", "${APIKEY-\(value)}", "${A_VERY_LONG_NAME_FOR_THE_DB_PASSWORD:-\(value)}",
            "Environment.GetEnvironmentVariable(\"API_KEY\", \"\(value)\")", "System.getenv().getOrDefault(\"TOKEN\", \"\(value)\")",
            "STRAPI_ADMIN_JWT_SECRET: \"\(value)\"", "BETTER_AUTH_SECRET=\(value)", "//registry.acme-shop.com/:_password=\(value)",
            "_auth = \(value)", "npmAuthToken: \(value)",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let text = (0..<40).map { _ in pieces.randomElement(using: &generator)! }
                .joined(separator: ["\n", " ", "; ", "\n\n  ", ","].randomElement(using: &generator)!)
            let bytes = Array(text.utf8)
            func found(_ rules: CompiledRules) -> [String] {
                bytes.withUnsafeBufferPointer { buffer in
                    rules.candidates(in: buffer, scratch: MatchScratch()).map { "\(rules.rule(at: $0.ruleIndex).id) \($0.match) \($0.secret)" }.sorted()
                }
            }
            let expected = found(wide)
            #expect(!expected.isEmpty)
            #expect(found(narrow) == expected)
        }
    }

    /// A lead shorter than the distance from a match's start to its keyword is caught by the
    /// rule check, which looks for the examples' matches in wide windows.
    @Test func ruleCheckCatchesTooShortAKeywordLead() {
        var rule = Rule(id: "test.lead", name: "lead", category: .generic, provider: "test", severity: .low,
                        pattern: #"(?<![a-z])acme_[a-z]*_key=([A-Za-z0-9]{20})"#, keywords: ["_key="],
                        examples: ["acme_deploy_key=⟦Qm3xT8vLp2KdW9rZc4Hn⟧"], negativeExamples: ["acme_deploy_key=short"])
        rule.keywordLead = 11
        #expect(RuleCheck.check(rule).isEmpty, "\(RuleCheck.check(rule))")
        rule.keywordLead = 4
        #expect(RuleCheck.check(rule).contains { $0.contains("keyword_lead 4") })
    }

    @Test func findsMatchFarFromBufferStart() throws {
        let rules = try CompiledRules(RuleSet.builtIn())
        let token = OfflineCheck.tokenWithChecksum(prefix: "ghp_", body: "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0d")
        let text = String(repeating: "filler line of text\n", count: 5000) + "token = \(token)\n"
        let bytes = Array(text.utf8)
        let candidates = bytes.withUnsafeBufferPointer { rules.candidates(in: $0, scratch: MatchScratch()) }
        let secrets = candidates.map { String(decoding: bytes[$0.secret], as: UTF8.self) }
        #expect(secrets.contains(token))
    }
}
