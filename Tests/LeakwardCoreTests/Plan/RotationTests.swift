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

@Suite struct PlaybookTests {
    @Test func builtInPlaybooksParseAndCoverEveryCategoryAndRule() throws {
        let catalog = try PlaybookCatalog.builtIn()
        #expect(catalog.playbooks.count >= 25)
        for category in SecretCategory.allCases where category != .config {
            #expect(catalog.playbooks.contains { $0.category == category }, "no generic playbook for \(category)")
        }
        for rule in try RuleSet.builtIn().rules {
            #expect(catalog.playbook(ruleID: rule.id, provider: rule.provider, category: rule.category) != nil, "\(rule.id)")
        }
        for playbook in catalog.playbooks {
            #expect(playbook.logs.contains("{since}"), "\(playbook.id) logs must say since when")
        }
        // The catalogue's providers each have their own playbook, not only their category's.
        let named: [(String, String, SecretCategory, String)] = [
            ("openai.project-key", "OpenAI", .model, "openai"), ("anthropic.api-key", "Anthropic", .model, "anthropic"),
            ("google.api-key", "Google", .model, "google"), ("aws.access-key-id", "AWS", .cloud, "aws"),
            ("github.pat", "GitHub", .vcs, "github"), ("stripe.secret-key", "Stripe", .payment, "stripe"),
            ("slack.bot-token", "Slack", .messaging, "slack"), ("sendgrid.api-key", "SendGrid", .smtp, "sendgrid"),
            ("database.url-password", "Database", .database, "database"), ("supabase.service-role", "Supabase", .database, "supabase"),
            ("private-key.pem", "Private key", .privateKey, "private-key"), ("session.signing-secret", "Session signing", .session, "session"),
            ("stripe.webhook-secret", "Stripe", .webhook, "stripe.webhook"), ("twilio.auth-token", "Twilio", .messaging, "twilio"),
        ]
        for (rule, provider, category, expected) in named {
            #expect(catalog.playbook(ruleID: rule, provider: provider, category: category)?.id == expected, "\(rule)")
        }
    }

    @Test func ruleIDPrefixWinsOverProviderAndCategoryIsTheFallback() throws {
        let catalog = try PlaybookCatalog.builtIn()
        #expect(catalog.playbook(ruleID: "stripe.webhook-secret", provider: "Stripe", category: .webhook)?.id == "stripe.webhook")
        #expect(catalog.playbook(ruleID: "stripe.secret-key", provider: "Stripe", category: .payment)?.id == "stripe")
        #expect(catalog.playbook(ruleID: "acme.key", provider: "Acme AI", category: .model)?.id == "generic.model")
        #expect(catalog.playbook(ruleID: "acme.key", provider: "OPENAI", category: .generic)?.id == "openai")
    }

    @Test func unknownKeysAndMissingFieldsAreErrors() {
        #expect(throws: RuleError.self) {
            try PlaybookFile.playbooks(fromTOML: "[[playbook]]\nid = \"x\"\nproviders = [\"X\"]\nrevok = \"typo\"\n", path: "x.toml")
        }
        #expect(throws: RuleError.self) {
            try PlaybookFile.playbooks(fromTOML: "[[playbook]]\nid = \"x\"\nproviders = [\"X\"]\n", path: "x.toml")
        }
    }
}

@Suite struct HistoryPurgeTests {
    @Test func regexFromPreviewMatchesTheSecretWithoutContainingIt() throws {
        let secret = "sk-proj-" + String(repeating: "Ab3", count: 40)
        let preview = Redaction.preview(of: Array(secret.utf8))
        let line = HistoryPurge.line(preview: preview, fingerprint: "sha256:0123456789ab", secret: nil)
        #expect(line.hasPrefix("regex:") && line.hasSuffix("==>***REMOVED-0123456789ab***"))
        #expect(!line.contains(secret))
        let pattern = String(line.dropFirst(6).prefix { $0 != "=" })
        let regex = try NSRegularExpression(pattern: pattern)
        let text = "OPENAI_API_KEY=\(secret)\n"
        let match = try #require(regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)))
        #expect(String(text[Range(match.range, in: text)!]) == secret)
        #expect(HistoryPurge.line(preview: preview, fingerprint: "sha256:x", secret: secret).hasPrefix(secret + "==>"))
        #expect(HistoryPurge.line(preview: "****", fingerprint: "sha256:x", secret: nil).hasPrefix("#"))
    }
}

@Suite struct MarkdownPlanWriterTests {
    @Test func rendersAChecklistWithEvidenceStepsAndConfigBelowItsCredential() throws {
        var facts = ProjectFacts(roots: ["app"])
        facts.envFiles = [.init(path: "app/.env.production", relativePath: ".env.production", isTracked: true, isIgnored: false)]
        facts.consumers = ["OPENAI_API_KEY": ["app/src/lib/openai.ts"]]
        let findings = [
            Sightings.finding(Sightings.key, validation: .structureValid, path: "app/.env.production", line: 4,
                              variable: "NEXT_PUBLIC_OPENAI_API_KEY", untracked: false),
            Sightings.finding(Sightings.key, path: "app/.next/static/chunks/app/page-3f2a.js", variable: nil),
        ]
        let plan = RotationPlanner(playbooks: try PlaybookCatalog.builtIn(), now: UrgencyTests.now)
            .plan(.init(version: "t", source: "scan", roots: ["app"], findings: findings, facts: facts, isComplete: true))
        let markdown = try MarkdownPlanWriter().render(plan)
        let expectedEvidence = "`NEXT_PUBLIC_OPENAI_API_KEY` in `app/.env.production` is inlined by Next.js into the browser bundle; "
            + "the value appears in `app/.next/static/chunks/app/page-3f2a.js` line 1 col 5"
        #expect(markdown.contains("- **Reaches the browser:** \(expectedEvidence)."))
        #expect(markdown.contains("## Rotate now: reached the browser\n\n### K1. openai.project-key — critical\n"))
        #expect(markdown.contains("- [ ] **Revoke now** (assume it is already harvested): platform.openai.com"))
        #expect(markdown.contains("- [ ] Move the call behind a server route: rename `NEXT_PUBLIC_OPENAI_API_KEY` to `OPENAI_API_KEY`"))
        #expect(markdown.contains("  - `app/src/lib/openai.ts`\n"))
        #expect(markdown.contains("- [ ] Check for abuse: Usage page"))
        #expect(markdown.contains("- [ ] After rotating, purge it from git history"))
        // The tracked env file is a config problem listed right after K1, and K1 points to it.
        let k1 = try #require(markdown.range(of: "### K1."))
        let c1 = try #require(markdown.range(of: "### C1. Config: `app/.env.production` is committed to git — high"))
        #expect(k1.upperBound < c1.lowerBound)
        #expect(markdown.contains("- **Also fix:** C1 (below)."))
        #expect(!markdown.contains(Sightings.key))
        // Every checklist line is a list item with a box; no stray indentation breaks the list.
        for line in markdown.split(separator: "\n") where line.hasPrefix("- [") { #expect(line.hasPrefix("- [ ] ")) }
    }
}

/// The whole Markdown plan of a fixed set of findings, compared with a checked-in snapshot, so
/// any change to the checklist's shape shows up in review. Set LEAKWARD_RECORD=1 to rewrite it.
@Suite struct PlanSnapshotTests {
    static let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/snapshots/plan.md")

    /// A config check's finding (rules/checks/web.toml), as the scan reports it.
    static var debugFlag: Finding {
        var finding = Sightings.finding("debug.env-flag\0NODE_ENV=development", rule: "debug.env-flag", provider: "Config",
                                        category: .config, severity: .low, kind: .debugInProduction, path: "shop/.env.production", line: 5)
        finding.ruleName = "Debug or development mode in a production env file or deploy config"
        finding.preview = "NODE_ENV=development"
        return finding
    }

    @Test func markdownPlanMatchesTheSnapshot() throws {
        var facts = ProjectFacts(roots: ["shop"])
        facts.consumers = ["OPENAI_API_KEY": ["shop/src/lib/openai.ts"], "DATABASE_URL": ["shop/src/lib/db.ts"]]
        facts.shippedSourceMaps = ["shop/dist/assets/index-4f2a.js.map"]
        let first = Sightings.commit("9f8e7d6c5b4a39281706", date: "2024-03-01T09:30:00Z", inHEAD: false)
        let findings = [
            Sightings.finding(Sightings.key, validation: .structureValid, path: "shop/.env.production", line: 3,
                              variable: "NEXT_PUBLIC_OPENAI_API_KEY", untracked: true),
            Sightings.finding(Sightings.key, validation: .structureValid, path: "shop/.next/static/chunks/app/page-3f2a.js"),
            Sightings.finding("postgresql-password-" + String(repeating: "x7Q", count: 6), rule: "database.url-password",
                              provider: "Database", category: .database, severity: .critical, path: "shop/src/lib/db.ts",
                              line: 2, variable: "DATABASE_URL", commit: first),
            Sightings.finding("pk_live_" + String(repeating: "Zx9", count: 10), rule: "stripe.publishable-key", provider: "Stripe",
                              category: .payment, severity: .info, kind: .publicByDesign, path: "shop/src/components/Pay.tsx", line: 6),
            Self.debugFlag,
        ]
        let plan = RotationPlanner(playbooks: try PlaybookCatalog.builtIn(), now: UrgencyTests.now)
            .plan(.init(version: "test", source: "scan", roots: ["shop"], findings: findings, facts: facts, isComplete: true))
        let markdown = try MarkdownPlanWriter().render(plan)
        if ProcessInfo.processInfo.environment["LEAKWARD_RECORD"] != nil || !FileManager.default.fileExists(atPath: Self.snapshot.path) {
            try Data(markdown.utf8).write(to: Self.snapshot)
            Issue.record("snapshot recorded at \(Self.snapshot.path); re-run")
            return
        }
        let expected = try String(contentsOf: Self.snapshot, encoding: .utf8)
        #expect(markdown == expected)
    }
}

@Suite struct ConfigProblemTests {
    @Test func aTrackedEnvFileSeenInHistoryAndWorkingTreeIsOneProblemAfterItsCredentials() throws {
        let head = Sightings.commit("c0ffee0000", date: "2024-06-01T00:00:00Z", inHEAD: true)
        let findings = [
            Sightings.finding(Sightings.key, path: ".env", variable: "OPENAI_API_KEY", commit: head),
            Sightings.finding(Sightings.key, path: "app/.env", variable: "OPENAI_API_KEY", untracked: false),
            Sightings.finding("ghp_" + String(repeating: "Gh5", count: 12), rule: "github.pat", provider: "GitHub", category: .vcs,
                              severity: .critical, path: "app/.env", line: 2, variable: "GITHUB_TOKEN", untracked: false),
        ]
        let plan = RotationPlanner(playbooks: try PlaybookCatalog.builtIn(), now: UrgencyTests.now)
            .plan(.init(version: "t", source: "scan", roots: ["app"], findings: findings, facts: ProjectFacts(roots: ["app"]), isComplete: true))
        let tracked = plan.configProblems.filter { $0.kind == "env-file-tracked" }
        #expect(tracked.count == 1)
        #expect(tracked.first?.paths == ["app/.env"])
        #expect(tracked.first?.credentials.sorted() == ["K1", "K2"])
        #expect(plan.items.allSatisfy { $0.configProblems == [tracked[0].id] })
        let markdown = try MarkdownPlanWriter().render(plan)
        let lastCredential = try #require(markdown.range(of: "### K2."))
        let problem = try #require(markdown.range(of: "### \(tracked[0].id). Config: `app/.env` is committed to git"))
        #expect(lastCredential.upperBound < problem.lowerBound)
    }
}
