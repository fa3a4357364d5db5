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

/// The plan as a working document: step order, who gets the new key, grouped evidence, the CI
/// log step, progress kept across re-scans, verification in the order, and the HTML page.
@Suite struct PlanWorkflowTests {
    static let aws = "AKIA" + "QWERTYUIOPASDFGH"

    static func plan(_ findings: [Finding], facts: ProjectFacts = ProjectFacts(roots: ["app"]),
                     verifications: [String: VerificationResult] = [:]) throws -> RotationPlan {
        try RotationPlanner(playbooks: PlaybookCatalog.builtIn(), now: UrgencyTests.now)
            .plan(.init(version: "t", source: "scan", roots: ["app"], findings: findings, facts: facts, isComplete: true,
                        verifications: verifications))
    }

    static var leakedInBrowser: [Finding] {
        [Sightings.finding(Sightings.key, path: "app/.env.production", variable: "NEXT_PUBLIC_OPENAI_API_KEY", untracked: false),
         Sightings.finding(Sightings.key, path: "app/out/_next/static/chunks/page-1.js"),
         Sightings.finding(Sightings.key, path: "app/out/_next/static/chunks/page-1.js.gz", decoders: [DecodeStep(.gzip)]),
         Sightings.finding(Sightings.key, path: "app/out/_next/static/chunks/page-1.js.br", decoders: [DecodeStep(.brotli)]),
         Sightings.finding(Sightings.key, path: "app/ci-logs/build-7.log", line: 8, decoders: [DecodeStep(.ciLog)]),
         Sightings.finding(Sightings.key, path: "app/src/lib/old.ts", commit: Sightings.commit("abc1234567", date: "2024-05-01T00:00:00Z", inHEAD: false))]
    }

    @Test func stepsComeInTheOrderTheyAreDoneWithTheCILogStepLast() throws {
        let item = try Self.plan(Self.leakedInBrowser).items[0]
        #expect(item.steps.map(\.kind) == ["revoke", "move-to-server", "replace", "redeploy", "verify", "check-logs", "purge-history", "ci-logs"])
        #expect(item.steps.map(\.id) == item.steps.map(\.kind))
        let ci = try #require(item.steps.last)
        #expect(ci.text.contains("Delete the logs") && ci.text.contains("mask"))
        #expect(ci.details == ["`app/ci-logs/build-7.log`"])
        // The replacement goes to the server-side name, not the public one.
        #expect(item.steps[2].text.contains("`OPENAI_API_KEY`") && !item.steps[2].text.contains("NEXT_PUBLIC_"))
    }

    @Test func consumersNeverNameClientFilesPublicPrefixedEnvFilesOrTemplates() throws {
        var facts = ProjectFacts(roots: ["app"])
        facts.consumers = [
            "NEXT_PUBLIC_OPENAI_API_KEY": ["app/.env.production", "app/components/Chat.tsx"],
            "OPENAI_API_KEY": ["app/src/lib/openai.ts", "app/components/Chat.tsx", "app/.env.example", "app/src/app/api/chat/route.ts"],
        ]
        let item = try Self.plan(Self.leakedInBrowser, facts: facts).items[0]
        #expect(item.consumers == ["app/src/app/api/chat/route.ts", "app/src/lib/openai.ts"])
        let replace = try #require(item.steps.first { $0.kind == "replace" })
        #expect(!replace.details.contains { $0.contains("Chat.tsx") || $0.contains(".env.production") || $0.contains(".env.example") })
    }

    @Test func evidenceIsGroupedByChannelAndCompressedTwinsAreOneLine() throws {
        let item = try Self.plan(Self.leakedInBrowser).items[0]
        let lines = MarkdownPlanWriter.evidenceLines(item.exposures)
        let bundle = try #require(lines.first)
        #expect(bundle.hasPrefix("**client bundle** ×3: `app/out/_next/static/chunks/page-1.js` line 1 (+ `.br`, `.gz`)"), "\(bundle)")
        #expect(lines.count == Set(item.exposures.map(\.worstChannel)).count)
        #expect(lines.contains { $0.hasPrefix("**git history only**") && $0.contains("commit `abc1234567` 2024-05-01") })
    }

    @Test func anEnvFileAlreadyUntrackedAndIgnoredIsNotToldToUntrack() throws {
        var facts = ProjectFacts(roots: ["app"])
        facts.envFiles = [.init(path: "app/.env", relativePath: ".env", isTracked: false, isIgnored: true)]
        let findings = [Sightings.finding(Sightings.key, path: ".env", variable: "OPENAI_API_KEY",
                                          commit: Sightings.commit("abc", date: "2024-05-01T00:00:00Z", inHEAD: false))]
        let problem = try #require(try Self.plan(findings, facts: facts).configProblems.first { $0.kind == "env-file-tracked" })
        #expect(problem.title.contains("now untracked"))
        #expect(!problem.steps.contains { $0.text.contains("git rm --cached") })
        facts.envFiles[0].isTracked = true
        let tracked = try #require(try Self.plan(findings, facts: facts).configProblems.first { $0.kind == "env-file-tracked" })
        #expect(tracked.steps.first?.text.contains("git rm --cached") == true)
        #expect(tracked.steps.map(\.id) == ["fix-config", "fix-config-2"])
    }

    @Test func markdownOpensWithTheSummaryTable() throws {
        let markdown = try MarkdownPlanWriter().render(Self.plan(Self.leakedInBrowser))
        let table = try #require(markdown.range(of: "| id | provider | channel | live | tier | first seen | action |"))
        let firstSection = try #require(markdown.range(of: "\n### K1."))
        #expect(table.lowerBound < firstSection.lowerBound)
        #expect(markdown.contains("| K1 | OpenAI | client bundle | not checked | urgent | 2024-05-01 | revoke now, move behind a server route |"))
        #expect(!markdown.contains(Sightings.key))
    }

    @Test func ticksSurviveARegeneratedPlanAndMissingCredentialsAreGone() throws {
        var first = try Self.plan(Self.leakedInBrowser + [
            Sightings.finding(Self.aws, rule: "aws.access-key-id", provider: "AWS", category: .cloud, severity: .critical, path: "app/src/s3.ts",
                              commit: Sightings.commit("c1", date: "2024-01-01T00:00:00Z", inHEAD: true))])
        let openai = first.items.first { $0.provider == "OpenAI" }!
        let awsItem = first.items.first { $0.provider == "AWS" }!
        var state = PlanState().apply(to: &first, ticks: [PlanState.Tick("\(openai.id)/revoke")!, PlanState.Tick("\(awsItem.fingerprint)/replace")!])
        #expect(state.credentials[openai.fingerprint]?.done == ["revoke"])
        #expect(first.items.first { $0.provider == "OpenAI" }!.steps[0].isDone)

        // Ticking in the Markdown file (each box carries its id when a state is used) is read back.
        let markdown = try MarkdownPlanWriter().render(first)
        #expect(markdown.contains("- [x] **Revoke now**"))
        let edited = markdown.replacingOccurrences(of: "- [ ] Redeploy every environment that uses it; rebuild", with: "- [x] Redeploy every environment that uses it; rebuild")
        let ticks = PlanState.ticks(inMarkdown: edited)
        #expect(ticks.contains(PlanState.Tick(credential: openai.fingerprint, step: "redeploy")))

        // The state file never holds the secret or its full hash.
        let saved = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        #expect(!saved.contains(Sightings.key) && !saved.contains(openai.secretSHA256) && !saved.contains(openai.preview))

        // Regenerated after the AWS key was removed: OpenAI keeps its ticks, AWS is gone with its tick.
        var second = try Self.plan(Self.leakedInBrowser)
        state = state.apply(to: &second, ticks: ticks)
        let again = try #require(second.items.first { $0.fingerprint == openai.fingerprint })
        #expect(again.steps.filter(\.isDone).map(\.id) == ["revoke", "redeploy"])
        #expect(second.gone.map(\.fingerprint) == [awsItem.fingerprint])
        #expect(second.gone.first?.done == ["replace"])
        #expect(state.credentials[awsItem.fingerprint]?.status == "gone")
        let regenerated = try MarkdownPlanWriter().render(second)
        #expect(regenerated.contains("## Gone since the last plan") && regenerated.contains(awsItem.fingerprint))
        #expect(regenerated.contains("| done |"))
    }

    @Test func liveKeysComeFirstInTheirTierAndRevokedOnesAreMarkedDone() throws {
        let other = "sk-proj-" + String(repeating: "Zz9", count: 20)
        let findings = [
            Sightings.finding(Sightings.key, path: "app/src/a.ts", commit: Sightings.commit("c1", date: "2023-01-01T00:00:00Z", inHEAD: true)),
            Sightings.finding(other, path: "app/src/b.ts", commit: Sightings.commit("c2", date: "2024-06-01T00:00:00Z", inHEAD: true)),
        ]
        let unverified = try Self.plan(findings)
        #expect(unverified.items[0].preview.hasPrefix("sk-pro") && unverified.items[0].exposures[0].location.path == "app/src/a.ts")
        func result(_ status: VerificationResult.Status) -> VerificationResult {
            VerificationResult(status: status, verifier: "openai", host: "api.openai.com", checkedAt: "2024-12-31T00:00:00Z", detail: "HTTP 200")
        }
        let verified = try Self.plan(findings, verifications: [SecretValue(Sightings.key).sha256: result(.revoked),
                                                               SecretValue(other).sha256: result(.live)])
        #expect(verified.items.map { $0.verification?.status } == [.live, .revoked])
        let revoked = verified.items[1]
        #expect(revoked.steps.filter(\.isDone).map(\.kind) == ["revoke", "verify"])
        #expect(revoked.action.hasPrefix("revoked"))
        #expect(verified.summary.live == 1 && verified.summary.revoked == 1)
        let markdown = try MarkdownPlanWriter().render(verified)
        #expect(markdown.contains("### K1. openai.project-key — critical · live"))
        #expect(markdown.contains("- **Provider says:** **live**; api.openai.com answered HTTP 200"))
    }

    @Test func htmlIsOneSelfContainedPageThatLeaksNothing() throws {
        var plan = try Self.plan(Self.leakedInBrowser)
        plan.items[0].notes.append("<script>alert(1)</script> & \"quotes\"")
        let html = try HTMLPlanWriter().render(plan)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(!html.contains(Sightings.key))
        #expect(!html.contains("<script>alert(1)</script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        // Nothing is loaded from anywhere: no src, link, stylesheet import or URL in an attribute
        // (steps may mention an API URL as text to run by hand).
        #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("url(") && !html.contains("@import"))
        #expect(!html.contains("href=\"http") && !html.contains("action="))
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("data-fingerprint=\"\(plan.items[0].fingerprint)\""))
        #expect(html.contains("<svg class=\"timeline\""))
        #expect(html.components(separatedBy: "type=\"checkbox\"").count - 1 == plan.items.flatMap(\.steps).count)
        #expect(html.contains("<table id=\"summary\">"))
    }
}
