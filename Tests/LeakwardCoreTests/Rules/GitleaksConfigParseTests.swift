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

@Suite struct GitleaksConfigParseTests {
    @Test func rulesAllowlistsAndWarnings() throws {
        let text = """
            title = "t"
            unknownTop = 1
            [extend]
            useDefault = true
            disabledRules = ["github-pat", "no-such-rule"]
            [[rules]]
            id = "My Rule"
            description = "Mine"
            regex = '''(?i)mine_([a-z0-9]{16})'''
            secretGroup = 1
            entropy = 3.2
            keywords = ["mine_"]
            path = '''\\.env$'''
            reportGroup = 2
                [[rules.allowlists]]
                condition = "AND"
                regexTarget = "match"
                regexes = ['''mine_test''']
                stopwords = ["fixture"]
                commits = ["abc"]
            [[rules]]
            id = "bad-regex"
            regex = '''(unclosed'''
            [allowlist]
            paths = ['''^vendor/''']
            """
        let config = try GitleaksConfig.parse(text, path: "g.toml")
        #expect(config.title == "t")
        #expect(config.extendsDefaults)
        #expect(config.disabledBuiltInRules == ["github.pat"])
        let rule = try #require(config.rules.first)
        #expect(config.rules.count == 1)
        #expect(rule.id == "gitleaks.my-rule")
        #expect(rule.name == "Mine")
        #expect(rule.minEntropy == 3.2)
        #expect(rule.keywords == ["mine_"])
        #expect(rule.pathPattern == #"\.env$"#)
        #expect(rule.allowlists == [RuleAllowlist(regexes: ["mine_test"], target: .match, stopwords: ["fixture"], requiresAll: true)])
        #expect(config.globalAllowlists.count == 1)
        for expected in ["unsupported key 'unknownTop'", "unsupported key 'reportGroup'", "'commits' is not supported",
                         "gitleaks rule 'no-such-rule'", "rule 'bad-regex': regex does not compile"] {
            #expect(config.warnings.contains { $0.contains(expected) }, "\(expected) in \(config.warnings)")
        }
    }

    @Test func conditionalAllowlistsSuppress() throws {
        var rule = Rule(id: "gitleaks.x", name: "x", category: .generic, provider: "p", severity: .medium,
                        pattern: "tok_([a-z0-9]{12})", keywords: ["tok_"])
        rule.allowlists = [RuleAllowlist(regexes: ["# ok"], target: .line),
                           RuleAllowlist(paths: [#"^fixtures/"#], stopwords: ["aaa"], requiresAll: true)]
        let filter = try FindingFilter(rules: CompiledRules(RuleSet(rules: [rule])))
        func verdict(_ text: String, path: String, root: String = ".") -> String {
            let origin = Origin.file(root: root, path: path)
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { buffer in
                let scratch = MatchScratch()
                let candidate = filter.rules.candidates(in: buffer, scratch: scratch).first!
                var lines: LineIndex?
                switch filter.judge(candidate, in: buffer, context: .init(origin: origin), lines: &lines, scratch: scratch) {
                case .finding: return "finding"
                case .suppressed, .allowedInline: return "suppressed"
                case .dropped: return "dropped"
                }
            }
        }
        #expect(verdict("k = tok_9f3k2m8q1z7w", path: "a.cfg") == "finding")
        #expect(verdict("k = tok_9f3k2m8q1z7w # ok", path: "a.cfg") == "suppressed")
        #expect(verdict("k = tok_aaa3k2m8q1z7", path: "fixtures/a.cfg", root: "root") == "suppressed")  // AND: path and stopword
        // Paths are matched relative to the scanned root, as written: `^fixtures/` is the root's
        // folder, not one deeper down.
        #expect(verdict("k = tok_aaa3k2m8q1z7", path: "lib/fixtures/a.cfg", root: ".") == "finding")
        #expect(verdict("k = tok_9f3k2m8q1z7w", path: "fixtures/a.cfg") == "finding")  // AND: path alone is not enough
    }
}
