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

/// Decoders through the real pipeline: which sighting survives dedup, and what reaches the finding.
@Suite struct DecodeChainTests {
    static let rules = try! RuleSet.builtIn()
    static let token: String = {
        let rule = rules["github.pat"]!
        return MarkedText(rule.examples[0]).marked[0]
    }()

    static func scan(_ name: String, _ text: String) throws -> [Finding] {
        let pipeline = try ScanPipeline(rules: CompiledRules(rules), options: ScanOptions(workerCount: 1, decoders: Decoders.standard))
        return pipeline.run([InMemorySource([(name, text)])]).findings
    }

    @Test func escapedEnvValueIsFoundWithItsVariableOnItsLine() throws {
        let findings = try Self.scan("app/.env", "A=1\nexport KEY=\"first\\n\(Self.token)\"\n")
        #expect(findings.count == 1)
        #expect(findings.first?.variable == "KEY")
        #expect(findings.first?.location.line == 2)
        #expect(findings.first?.location.decoders == [DecodeStep(.dotenv, detail: "KEY")])
    }

    @Test func multiLineEnvValueKeepsTheRawSightingAndGetsTheName() throws {
        let findings = try Self.scan(".env.local", "BLOCK=\"first line\nsecond \(Self.token) end\"\nB=2\n")
        #expect(findings.count == 1)
        #expect(findings.first?.location.line == 2)
        #expect(findings.first?.location.decoders == [])
        #expect(findings.first?.variable == "BLOCK")
    }

    /// A recognised log is matched once, normalised: colour codes glued to a secret can never
    /// leak into what a permissive rule captures, and the line and column stay the log's own.
    @Test func ciLogIsMatchedOnceThroughTheNormaliser() throws {
        let plain = try Self.scan("job.log", "2024-05-01T12:00:00Z TOKEN=\(Self.token)\n")
        #expect(plain.map(\.location.decoders) == [[DecodeStep(.ciLog)]])
        #expect(plain.first?.location.column == 28)
        let glued = try Self.scan("job.log", "2024-05-01T12:00:00Z \u{1B}[32m\(Self.token)\u{1B}[0m\n")
        #expect(glued.map(\.location.decoders) == [[DecodeStep(.ciLog)]])
        #expect(glued.first?.location.column == 27)
        #expect(try Self.scan("job.log", "2024-05-01T12:00:00Z GITHUB_TOKEN: ***\n").isEmpty)
    }

    @Test func envReferencesAreNotSecrets() throws {
        #expect(try Self.scan(".env", "GITHUB_TOKEN=${CI_GITHUB_TOKEN}\nDATABASE_URL=\"postgres://app:${DB_PASSWORD}@db:5432/app\"\n").isEmpty)
    }
}
