import Foundation
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
@testable import LeakwardVerification

/// Synthetic findings: no scan, no files, every field chosen by the test.
enum Sightings {
    static func finding(_ secret: String, rule: String = "openai.project-key", provider: String = "OpenAI",
                        category: SecretCategory = .model, severity: Severity = .high, kind: FindingKind = .secret,
                        validation: Validation = .unchecked, path: String, line: Int = 1, variable: String? = nil,
                        decoders: [DecodeStep] = [], commit: CommitInfo? = nil, untracked: Bool? = nil,
                        notes: [String] = []) -> Finding {
        Finding(ruleID: rule, ruleName: rule, category: category, provider: provider, severity: severity, kind: kind,
                validation: validation, secret: SecretValue(secret),
                location: Finding.Location(path: path, line: line, column: 5, offset: 10, decoders: decoders,
                                           commit: commit, isUntracked: untracked),
                variable: variable, notes: notes)
    }

    static func commit(_ id: String, date: String, inHEAD: Bool) -> CommitInfo {
        CommitInfo(id: .fake(id), author: "Dev", date: date, isInHEAD: inHEAD)
    }

    static let key = "sk-proj-" + String(repeating: "Ab3", count: 20)
}

@Suite struct ExposureChannelTests {
    let analyzer = ExposureAnalyzer(facts: ProjectFacts(roots: ["app"]))

    func channels(_ finding: Finding) -> [ExposureChannel] { analyzer.exposure(of: finding).channels }

    @Test func buildOutputAndCompressedTwinsAreClientBundles() {
        #expect(channels(Sightings.finding(Sightings.key, path: "app/.next/static/chunks/app/page-3f2a.js")).first == .clientBundle)
        #expect(channels(Sightings.finding(Sightings.key, path: "app/dist/assets/index.js.gz", decoders: [DecodeStep(.gzip)])).first == .clientBundle)
        #expect(channels(Sightings.finding(Sightings.key, path: "app/build/static/js/main.js.map",
                                           decoders: [DecodeStep(.sourcesContent, detail: "src/api.ts")])).first == .clientBundle)
        // Sources a build reads are not what it serves.
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/src/assets/config.ts")).contains(.clientBundle))
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/backup.tar.gz")).contains(.clientBundle))
        // Server bundles live in the same output folders but never reach a browser.
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/build/server/index.js")).contains(.clientBundle))
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/dist/server.js")).contains(.clientBundle))
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/.next/server/app/page.js")).contains(.clientBundle))
    }

    @Test func publicPrefixCountsInEnvCIAndDockerButNotInTemplates() {
        let env = Sightings.finding(Sightings.key, path: "app/.env.production", variable: "NEXT_PUBLIC_OPENAI_API_KEY")
        #expect(channels(env).first == .publicEnvPrefix)
        #expect(analyzer.exposure(of: env).evidence.contains("inlined by Next.js into the browser bundle"))
        let vite = Sightings.finding(Sightings.key, path: "app/.github/workflows/deploy.yml", variable: "VITE_OPENAI_KEY")
        #expect(channels(vite).first == .publicEnvPrefix)
        let docker = Sightings.finding(Sightings.key, path: "app/Dockerfile", variable: "REACT_APP_KEY")
        #expect(channels(docker) == [.publicEnvPrefix, .containerConfig, .unversionedFile])
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/.env.example", variable: "NEXT_PUBLIC_X")).contains(.publicEnvPrefix))
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/.env", variable: "OPENAI_API_KEY")).contains(.publicEnvPrefix))
        #expect(PublicEnvPrefix.matching("NUXT_PUBLIC_KEY")?.framework == "Nuxt")
        #expect(PublicEnvPrefix.serverName(for: "NEXT_PUBLIC_OPENAI_API_KEY") == "OPENAI_API_KEY")
    }

    @Test func clientSourceByPathDirectiveAndViteSrc() {
        #expect(channels(Sightings.finding(Sightings.key, path: "app/src/components/Chat.tsx")).first == .clientSource)
        #expect(channels(Sightings.finding(Sightings.key, path: "app/pages/index.tsx")).first == .clientSource)
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/pages/api/chat.ts")).contains(.clientSource))
        #expect(channels(Sightings.finding(Sightings.key, path: "app/src/App.vue")).first == .clientSource)
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/src/routes/+page.server.ts")).contains(.clientSource))
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/src/lib/openai.ts")).contains(.clientSource))

        var facts = ProjectFacts(roots: ["app"])
        facts.files[.file(root: "app", path: "src/app/chat.tsx")] = FileFacts(bytes: Array("// Chat\n/* ui */\n'use client';\nconst k = 1\n".utf8), path: "app/src/app/chat.tsx")
        facts.viteAppDirectories = [""]
        let withFacts = ExposureAnalyzer(facts: facts)
        #expect(withFacts.exposure(of: Sightings.finding(Sightings.key, path: "app/src/app/chat.tsx")).channels.first == .clientSource)
        #expect(withFacts.exposure(of: Sightings.finding(Sightings.key, path: "app/src/lib/openai.ts")).channels.first == .clientSource)
        #expect(withFacts.exposure(of: Sightings.finding(Sightings.key, path: "app/src/app/chat.tsx")).evidence.contains("'use client'"))
    }

    @Test func gitStatusLogsAndContainers() {
        let old = Sightings.commit("a1b2c3d4e5f6", date: "2024-01-02T03:04:05Z", inHEAD: false)
        #expect(channels(Sightings.finding(Sightings.key, path: "app/src/lib/ai.ts", commit: old)) == [.historyOnly])
        let head = Sightings.commit("f6e5d4c3b2a1", date: "2024-02-02T03:04:05Z", inHEAD: true)
        #expect(channels(Sightings.finding(Sightings.key, path: "app/src/lib/ai.ts", commit: head)) == [.committed])
        #expect(channels(Sightings.finding(Sightings.key, path: "app/src/lib/ai.ts", untracked: false)) == [.committed])
        #expect(channels(Sightings.finding(Sightings.key, path: "app/.env", untracked: true)) == [.localOnly])
        #expect(channels(Sightings.finding(Sightings.key, path: "ci/run-42.txt", decoders: [DecodeStep(.ciLog)])).first == .ciLog)
        #expect(channels(Sightings.finding(Sightings.key, path: "app/ci-logs/deploy.log.gz", decoders: [DecodeStep(.gzip)])).first == .ciLog)
        #expect(channels(Sightings.finding(Sightings.key, path: "app/ci/logs_8812.zip!test/4_Run npm test.txt")).first == .ciLog)
        #expect(!channels(Sightings.finding(Sightings.key, path: "app/src/logger.ts")).contains(.ciLog))
        #expect(channels(Sightings.finding(Sightings.key, path: "app/k8s/deployment.yaml", untracked: false)) == [.committed, .containerConfig])
        #expect(channels(Sightings.finding(Sightings.key, path: "app/docker-compose.yml")).first == .containerConfig)
    }

    @Test func nextConfigEnvBlockIsFoundByBraceMatching() {
        let text = "module.exports = {\n  reactStrictMode: true,\n  env: {\n    KEY: 'value', nested: { a: '}' },\n  },\n  images: {},\n}\n"
        let bytes = Array(text.utf8)
        let facts = FileFacts(bytes: bytes, path: "next.config.js")
        func offset(of needle: String) -> Int { bytes.indices.first { bytes[$0...].starts(with: Array(needle.utf8)) }! }
        #expect(facts.isInEnvBlock(offset(of: "'value'")))
        #expect(facts.isInEnvBlock(offset(of: "nested")))
        #expect(!facts.isInEnvBlock(offset(of: "images")))
        #expect(!facts.isInEnvBlock(offset(of: "reactStrictMode")))
        #expect(FileFacts.startsWithClientDirective("\u{FEFF}\"use client\"\nexport default 1"))
        #expect(!FileFacts.startsWithClientDirective("import x from 'y'\n'use client'\n"))
    }

    @Test func roleFromKindCategoryAndVariableName() {
        #expect(SecretRole.of(kind: .publicByDesign, category: .payment, variables: ["NEXT_PUBLIC_STRIPE_KEY"]) == .publicByDesign)
        #expect(SecretRole.of(kind: .publicByDesign, category: .payment, variables: ["STRIPE_WEBHOOK_SECRET"]) == .serverOnly)
        #expect(SecretRole.of(kind: .secret, category: .generic, variables: ["SESSION_SECRET"]) == .serverOnly)
        #expect(SecretRole.of(kind: .publicByDesign, category: .session, variables: []) == .serverOnly)
        #expect(SecretRole.of(kind: .secret, category: .model, variables: []) == .serverOnly)
    }
}

@Suite struct CredentialExposureTests {
    @Test func oneRecordPerSecretWithWorstChannelFirstSeenAndPresence() {
        let first = Sightings.commit("1111111111", date: "2023-05-01T10:00:00Z", inHEAD: false)
        let later = Sightings.commit("2222222222", date: "2024-05-01T10:00:00Z", inHEAD: false)
        let findings = [
            Sightings.finding(Sightings.key, path: "app/src/lib/ai.ts", commit: later),
            Sightings.finding(Sightings.key, path: "app/src/lib/old.ts", commit: first),
            Sightings.finding(Sightings.key, path: "app/.next/static/chunks/x.js"),
        ]
        let records = ExposureAnalyzer(facts: ProjectFacts(roots: ["app"])).analyze(findings)
        #expect(records.count == 1)
        let record = records[0]
        #expect(record.exposures.count == 3)
        #expect(record.worstChannel == .clientBundle)
        #expect(record.isClientExposed)
        #expect(record.firstSeen?.id == .fake("1111111111"))
        #expect(record.isStillPresent) // the bundle file is in the working tree
        #expect(record.clientEvidence?.contains("`app/.next/static/chunks/x.js` line 1 col 5") == true)

        let historyOnly = ExposureAnalyzer(facts: ProjectFacts(roots: ["app"])).analyze(Array(findings.prefix(2)))[0]
        #expect(!historyOnly.isStillPresent)
        #expect(historyOnly.worstChannel == .historyOnly)
        #expect(!historyOnly.isClientExposed)
    }

    @Test func aTrackedFileAndHEADsCommitOfTheSameLineAreOnePlace() {
        let head = Sightings.commit("abc1234567", date: "2024-02-01T00:00:00Z", inHEAD: true)
        let record = ExposureAnalyzer(facts: ProjectFacts(roots: ["/work/app"])).analyze([
            Sightings.finding(Sightings.key, path: "/work/app/src/a.ts", line: 3, untracked: false),
            Sightings.finding(Sightings.key, path: "src/a.ts", line: 3, commit: head),
            Sightings.finding(Sightings.key, path: "/work/app/src/b.ts", line: 3, untracked: false),
        ])[0]
        #expect(record.exposures.map(\.location.path) == ["/work/app/src/b.ts", "src/a.ts"])
        #expect(record.firstSeen?.id == .fake("abc1234567"))
    }

    @Test func publicByDesignKeysInTheBrowserAreNotClientExposed() {
        let pk = Sightings.finding("pk_live_" + String(repeating: "Zx9", count: 10), rule: "stripe.publishable-key", provider: "Stripe",
                                   category: .payment, severity: .info, kind: .publicByDesign,
                                   path: "app/.env.production", variable: "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY")
        let record = ExposureAnalyzer(facts: ProjectFacts(roots: ["app"])).analyze([pk])[0]
        #expect(record.worstChannel == .publicEnvPrefix)
        #expect(!record.isClientExposed)
        #expect(record.clientEvidence == nil)
    }
}

@Suite struct UrgencyTests {
    static let now = ISO8601DateFormatter().date(from: "2025-01-01T00:00:00Z")!

    func urgency(_ findings: [Finding]) -> Urgency {
        Urgency(ExposureAnalyzer(facts: ProjectFacts(roots: ["app"])).analyze(findings)[0], now: UrgencyTests.now)
    }

    @Test func channelAdjustsSeverityAndCapsApply() {
        let bundle = urgency([Sightings.finding(Sightings.key, path: "app/dist/main.js")])
        #expect(bundle.effectiveSeverity == .critical && bundle.tier == .urgent && bundle.channelAdjustment == 1)
        let local = urgency([Sightings.finding(Sightings.key, severity: .critical, path: "app/.env", untracked: true)])
        #expect(local.effectiveSeverity == .medium && local.tier == .review)
        let test = urgency([Sightings.finding("sk_test_" + String(repeating: "Qw8", count: 10), rule: "stripe.test-key", provider: "Stripe",
                                              category: .payment, severity: .low, kind: .testKey, path: "app/dist/main.js")])
        #expect(test.effectiveSeverity == .low && test.tier == .low)
        let old = urgency([Sightings.finding(Sightings.key, path: "app/a.ts",
                                             commit: Sightings.commit("abc", date: "2024-06-01T00:00:00Z", inHEAD: false))])
        #expect(old.exposureDays == 214 && old.windowPoints == 2 && old.tier == .rotate)
        #expect(old.reasons.contains { $0.contains("since 2024-06-01") })
    }

    @Test func planOrderPutsEveryClientExposedKeyBeforeCommittedHistoryAndLocal() throws {
        let findings = [
            Sightings.finding("AKIA" + "QWERTYUIOPASDFGH", rule: "aws.access-key-id", provider: "AWS", category: .cloud, severity: .critical,
                              path: "app/src/lib/s3.ts", commit: Sightings.commit("c1", date: "2024-01-01T00:00:00Z", inHEAD: true)),
            Sightings.finding("generic-" + String(repeating: "Zq7", count: 8), rule: "generic.assignment", provider: "Generic",
                              category: .generic, severity: .medium, path: "app/src/components/Map.tsx", variable: "MAPS_SECRET"),
            Sightings.finding(Sightings.key, path: "app/src/lib/old.ts", commit: Sightings.commit("c0", date: "2023-01-01T00:00:00Z", inHEAD: false)),
            Sightings.finding("ghp_" + String(repeating: "Gh5", count: 12), rule: "github.pat", provider: "GitHub", category: .vcs,
                              severity: .critical, validation: .checksumValid, path: "app/.env.local", untracked: true),
            Sightings.finding("pk_live_" + String(repeating: "Zx9", count: 10), rule: "stripe.publishable-key", provider: "Stripe",
                              category: .payment, severity: .info, kind: .publicByDesign, path: "app/dist/main.js"),
            Sightings.finding("keyboard cat", rule: "session.signing-secret", provider: "Session signing", category: .session,
                              severity: .critical, kind: .weakSecret, path: "app/.env.production", variable: "SESSION_SECRET",
                              notes: ["weak: a well-known default value from tutorials and framework templates"]),
        ]
        let planner = RotationPlanner(playbooks: try PlaybookCatalog.builtIn(), now: UrgencyTests.now)
        let plan = planner.plan(.init(version: "test", source: "scan", roots: ["app"], findings: findings,
                                      facts: ProjectFacts(roots: ["app"]), isComplete: true))
        #expect(plan.items.map(\.ruleID) == ["generic.assignment", "aws.access-key-id", "openai.project-key", "github.pat", "stripe.publishable-key"])
        #expect(plan.items.map(\.urgency.tier) == [.urgent, .rotate, .rotate, .review, .low])
        #expect(plan.items[0].isClientExposed && plan.items[0].steps.contains { $0.kind == "move-to-server" })
        // The weak session secret is a config problem, not a credential to roll.
        #expect(plan.configProblems.map(\.kind) == ["weak-secret"])
        #expect(plan.configProblems[0].severity == .high)
        #expect(!plan.items.contains { $0.ruleID.hasPrefix("session.") })
        // History sightings get a purge line that does not contain the secret.
        let purge = try #require(plan.items[2].historyPurge)
        #expect(!purge.replaceText.contains(Sightings.key))
        #expect(plan.historyPurge?.replaceText.contains(purge.replaceText) == true)
        #expect(plan.items[2].steps.map(\.kind).contains("purge-history"))
        #expect(plan.items.allSatisfy { !$0.steps.isEmpty && !$0.urgency.reasons.isEmpty })
    }
}

@Suite struct ProjectFactsReaderTests {
    @Test func readsFactsForWorkingTreeAndHistoryPathsAndFindsConsumers() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-facts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        func write(_ relative: String, _ text: String) throws {
            let url = URL(fileURLWithPath: root + "/" + relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("src/app/chat.tsx", "\"use client\";\nexport const k = 1;\n")
        try write("src/server/ai.ts", "const key = process.env.OPENAI_API_KEY;\n")
        try write("src/server/other.ts", "const key = process.env.OPENAI_API_KEY_2;\n")
        try write(".env.production", "NODE_ENV=development\nDEBUG=false\nexport APP_DEBUG=\"true\"\n")
        try write("vite.config.ts", "export default {}\n")
        try write(".gitignore", ".env\n")
        var history = Sightings.finding(Sightings.key, path: "src/app/chat.tsx",
                                        commit: Sightings.commit("abc", date: "2024-01-01T00:00:00Z", inHEAD: false))
        history.location.origin = .history(root: root, path: "src/app/chat.tsx")
        let env = Sightings.finding(Sightings.key, path: root + "/.env.production", variable: "NEXT_PUBLIC_OPENAI_API_KEY")
        let facts = ProjectFactsReader().gather(roots: [root], findings: [history, env])
        #expect(facts.files[history.location.origin]?.hasClientDirective == true)
        #expect(ExposureAnalyzer(facts: facts).exposure(of: history).channels == [.clientSource, .historyOnly])
        #expect(facts.consumers["OPENAI_API_KEY"] == [root + "/src/server/ai.ts"])
        #expect(facts.viteAppDirectories == [""])
        #expect(facts.envFiles.map { "\($0.relativePath) ignored=\($0.isIgnored)" } == [".env.production ignored=false"])
        #expect(facts.gitRoots.contains(root))
    }

    /// A name counts only as a whole identifier: at the start, at the end, after a longer
    /// identifier holding it earlier in the text, never inside one.
    @Test func mentionedNamesAreWholeIdentifiers() {
        let names: Set<String> = ["API_KEY", "DB_PASSWORD", "SENTRY_DSN"]
        func found(_ text: String) -> Set<String> { Set(ProjectFactsReader.mentionedNames(names, in: Array(text.utf8))) }
        #expect(found("API_KEY") == ["API_KEY"])
        #expect(found("x = MY_API_KEY + API_KEY_2; y = env.API_KEY") == ["API_KEY"])
        #expect(found("OLD_DB_PASSWORD DB_PASSWORDS\nDB_PASSWORD\n") == ["DB_PASSWORD"])
        #expect(found("SENTRY_DSN_URL, XSENTRY_DSN") == [])
        #expect(found("\u{E9}SENTRY_DSN\u{E9}") == ["SENTRY_DSN"])
        #expect(found("") == [] && found("API") == [])
    }

    /// The consumer search read on every core, or from the scan's listing, finds what one
    /// thread walking the tree itself finds; past the cap, the first readable files count.
    @Test func consumersOnEveryCoreAndFromTheScansListingEqualOneThread() throws {
        var files: [String: String] = [".env": "OPENAI_API_KEY=x\n", ".gitignore": ".env\nignored/\n", "ignored/a.ts": "OPENAI_API_KEY\n"]
        for index in 0..<300 {
            files["src/m\(index / 50)/f\(index).ts"] = index % 7 == 0 ? "const k = process.env.OPENAI_API_KEY;\n" : "const a = 1;\n"
        }
        files["src/big.ts"] = String(repeating: "OPENAI_API_KEY ", count: 40_000)
        let root = try TreeWalkTests.makeTree(files)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let env = Sightings.finding(Sightings.key, path: root + "/.env", variable: "OPENAI_API_KEY")
        let one = ProjectFactsReader().gather(roots: [root], findings: [env])
        let expected = Set((0..<300).filter { $0 % 7 == 0 }.map { "\(root)/src/m\($0 / 50)/f\($0).ts" } + [root + "/.env"])
        #expect(Set(one.consumers["OPENAI_API_KEY"] ?? []) == expected)
        let everyCore = ProjectFactsReader.onEveryCore().gather(roots: [root], findings: [env])
        #expect(everyCore.consumers == one.consumers)
        var catalog = BlobCatalog()
        let source = WorkingTreeSource(root: root)
        try source.enumerate(into: &catalog)
        let listed = ProjectFactsReader.onEveryCore().gather(roots: [root], findings: [env],
                                                             listings: [TreeListing(source: source, entries: catalog.entries, allowlisted: 0)])
        #expect(listed.consumers == one.consumers && listed.envFiles == one.envFiles)
        // Excluded paths make the scan's listing partial: the facts walk the tree themselves.
        let partial = ProjectFactsReader().gather(roots: [root], findings: [env],
                                                  listings: [TreeListing(source: source, entries: [], allowlisted: 1)])
        #expect(partial.consumers == one.consumers)
        var capped = ProjectFactsReader.onEveryCore()
        capped.maxConsumerFiles = 20
        let first = capped.gather(roots: [root], findings: [env]).consumers["OPENAI_API_KEY"] ?? []
        #expect(!first.isEmpty && first.count < expected.count)
    }
}
