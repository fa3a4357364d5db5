import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardVerification

@Suite struct ProjectConfigTests {
    func error(_ text: String) -> ProjectConfig.ConfigError? {
        do {
            _ = try ProjectConfig.parse(text, path: ".leakward.toml").apply(to: RuleSet.builtIn())
            return nil
        } catch let error as ProjectConfig.ConfigError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func readsEverySection() throws {
        let config = try ProjectConfig.parse("""
            [rules]
            extra = ["ci/rules"]
            disabled = ["generic.assignment"]
            [allowlist]
            paths = ["testdata/**"]
            regexes = ['^AKIA[A-Z0-9]{12}TEST$']
            rules = { "github.pat" = ['^ghp_test'] }
            [severity]
            "slack.webhook-url" = "low"
            [ci]
            fail_on = "high"
            """, path: "c.toml")
        #expect(config.extraRulePaths == ["ci/rules"])
        #expect(config.disabledRules == ["generic.assignment"])
        #expect(config.allowlistPaths == ["testdata/**"])
        #expect(config.ruleAllowlists["github.pat"] == ["^ghp_test"])
        #expect(config.severityOverrides["slack.webhook-url"] == .low)
        #expect(config.failOn == .high)
        let rules = try config.apply(to: RuleSet.builtIn())
        #expect(rules["generic.assignment"] == nil)
        #expect(rules["slack.webhook-url"]?.severity == .low)
        #expect(rules["github.pat"]?.allowlist.contains("^ghp_test") == true)
    }

    /// The key that is wrong, on the line it is on, even when the same name is valid elsewhere.
    @Test func unknownKeysNameTheKeyAndItsLine() {
        let misplaced = error("""
            [rules]
            extra = ["x"]

            [allowlist]
            paths = ["a"]
            extra = ["b"]
            """)
        #expect(misplaced?.line == 6)
        #expect(misplaced?.message.contains("'allowlist.extra'") == true)

        let section = error("# config\n[allowlist]\npaths = []\n\n[alowlist]\nregexes = []\n")
        #expect(section?.line == 5)
        #expect(section?.message.contains("'alowlist'") == true)

        let dotted = error("ci.fail_on = \"high\"\nci.failon = \"low\"\n")
        #expect(dotted?.line == 2)
        #expect(dotted?.description.hasPrefix(".leakward.toml:2: unknown key 'ci.failon'") == true)
    }

    @Test func wrongTypesAndUnknownRuleIdsAreErrorsWithLines() {
        let notArray = error("[allowlist]\npaths = \"testdata/**\"\n")
        #expect(notArray?.line == 2 && notArray?.message.contains("array of strings") == true)
        let badSeverity = error("[ci]\nfail_on = \"severe\"\n")
        #expect(badSeverity?.line == 2)
        let typo = error("[severity]\n\"github.pat\" = \"low\"\n\"slack.webhok-url\" = \"low\"\n")
        #expect(typo?.line == 3)
        #expect(typo?.message.contains("'slack.webhok-url'") == true)
        let inline = error("[allowlist]\nrules = { \"github.pat\" = [], \"nope.rule\" = ['x'] }\n")
        #expect(inline?.line == 2 && inline?.message.contains("'nope.rule'") == true)
        let disabled = error("[rules]\n\ndisabled = [\"generic.asignment\"]\n")
        #expect(disabled?.line == 3)
    }

    /// Objects have no path: `[allowlist] unreachable` and `objects` name them, and a typo is an error with its line.
    @Test func objectAllowlistKeys() throws {
        let config = try ProjectConfig.parse("[allowlist]\nunreachable = true\nobjects = [\"ABCDEF1\", \"\(String(repeating: "0", count: 40))\"]\n", path: "c.toml")
        #expect(config.allowsUnreachable)
        #expect(config.allowlistObjects == ["abcdef1", String(repeating: "0", count: 40)])
        let short = error("[allowlist]\n\nobjects = [\"abc12\"]\n")
        #expect(short?.line == 3 && short?.message.contains("'abc12' is not a commit or blob id") == true)
        let notHex = error("[allowlist]\nobjects = [\"main\", \"HEAD~1\"]\n")
        #expect(notHex?.line == 2)
        let notBool = error("[allowlist]\nunreachable = \"yes\"\n")
        #expect(notBool?.line == 2 && notBool?.message.contains("true or false") == true)
    }

    @Test func objectAllowlistAllowsUnreachableSightingsAndListedIds() {
        func finding(_ origin: Origin, blob: ObjectID? = nil, commit: ObjectID? = nil, reach: RefReach? = nil) -> Finding {
            Finding(ruleID: "r", ruleName: "r", category: .vcs, provider: "P", severity: .high, kind: .secret, validation: .unchecked,
                    secret: SecretValue("s"), location: .init(origin: origin, line: 1, column: 1, offset: 0,
                                                              commit: commit.map { CommitInfo(id: $0, author: "a", date: "d", isInHEAD: false, reach: reach) },
                                                              blob: blob))
        }
        let lostCommit = ObjectID.fake("c0ffee"), danglingBlob = ObjectID.fake("dead"), kept = ObjectID.fake("beef")
        let lost = finding(.history(root: "r", path: "a.cfg"), blob: kept, commit: lostCommit, reach: .unreachable)
        let dangling = finding(.unreachableBlob(root: "r", blob: danglingBlob))
        let onMain = finding(.history(root: "r", path: "b.cfg"), blob: kept, commit: ObjectID.fake("aaaa"), reach: .defaultBranch)
        let message = finding(.commitMessage(root: "r", commit: lostCommit))
        let file = finding(.file(root: "r", path: "b.cfg"), blob: kept)

        let unreachable = ObjectAllowlist(allowsUnreachable: true)
        #expect(unreachable.allows(lost) && unreachable.allows(dangling))
        #expect(!unreachable.allows(onMain) && !unreachable.allows(file))
        #expect(unreachable.filter([lost, dangling, onMain]).allowed == 2)

        let byID = ObjectAllowlist(prefixes: ["c0ffee0", "dead000000"])
        #expect(byID.allows(lost) && byID.allows(dangling) && byID.allows(message))
        #expect(!byID.allows(onMain))
        // A blob id is its content's: listed, it is allowed in the working tree too.
        let byBlob = ObjectAllowlist(prefixes: [String(kept.description.prefix(7))])
        #expect(byBlob.allows(file) && byBlob.allows(onMain))
        #expect(ObjectAllowlist().filter([lost, dangling]).kept.count == 2)
    }
}
