import Foundation
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// Builds the rotation plan: exposures scored and ordered, each with its provider's playbook
/// turned into steps, and the configuration problems placed after the credentials they concern.
public struct RotationPlanner: Sendable {
    public let playbooks: PlaybookCatalog
    /// The config checks, for the wording of the problems judged on project facts.
    public var checks: ConfigCheckSet = (try? ConfigCheckSet.builtIn()) ?? .empty
    /// Exposure windows are measured up to this moment.
    public var now: Date
    /// Write raw secrets into the history-purge file (`--reveal`).
    public var revealsSecrets: Bool

    public init(playbooks: PlaybookCatalog, now: Date = Date(), revealsSecrets: Bool = false) {
        self.playbooks = playbooks
        self.now = now
        self.revealsSecrets = revealsSecrets
    }

    /// What the plan is made from.
    public struct Input: Sendable {
        public var version: String
        /// `scan` or `report`.
        public var source: String
        public var roots: [String]
        public var findings: [Finding]
        public var facts: ProjectFacts
        public var isComplete: Bool
        /// Inputs the scan could not read: the plan says it covers only the rest.
        public var unscannedInputs = 0
        /// Providers' answers by secret SHA-256 (`--verify`); empty when nothing was asked.
        public var verifications: [String: VerificationResult]

        public init(version: String, source: String, roots: [String], findings: [Finding], facts: ProjectFacts, isComplete: Bool,
                    verifications: [String: VerificationResult] = [:]) {
            self.version = version
            self.source = source
            self.roots = roots
            self.findings = findings
            self.facts = facts
            self.isComplete = isComplete
            self.verifications = verifications
        }
    }

    public func plan(_ input: Input) -> RotationPlan {
        let configFindings = input.findings.filter { $0.kind.isConfigProblem }
        let analyzer = ExposureAnalyzer(facts: input.facts, prompts: configFindings)
        // Weak signing secrets are configuration problems, not credentials to roll at a provider.
        // A weak sample at info (a test's, a doc's, a template's) stays in the scan report only.
        let weak = input.findings.filter { $0.kind == .weakSecret && $0.severity > .info }
        let exposures = analyzer.analyze(input.findings.filter { $0.kind != .weakSecret && !$0.kind.isConfigProblem })
        let secrets = Dictionary(input.findings.map { ($0.secretSHA256, $0.secret) }, uniquingKeysWith: { a, _ in a })
        // Within a tier, keys the provider says are live come first and revoked ones last.
        let live = { (exposure: CredentialExposure) in VerificationResult.orderRank(input.verifications[exposure.credential.secretSHA256]) }
        let scored = exposures.map { ($0, Urgency($0, now: now)) }.sorted { a, b in
            if a.1.tier != b.1.tier { return a.1.tier < b.1.tier }
            if live(a.0) != live(b.0) { return live(a.0) < live(b.0) }
            return (a.1.score, b.0.firstSeen?.date ?? "~", b.0.credential.secretSHA256)
                > (b.1.score, a.0.firstSeen?.date ?? "~", a.0.credential.secretSHA256)
        }
        var items: [PlanItem] = []
        for (index, (exposure, urgency)) in scored.enumerated() {
            items.append(item(exposure, urgency: urgency, rank: index + 1, facts: input.facts,
                              secret: revealsSecrets ? secrets[exposure.credential.secretSHA256]?.revealed : nil,
                              verification: input.verifications[exposure.credential.secretSHA256]))
        }
        var problems = ConfigProblemFinder(facts: input.facts, items: items, checks: checks)
            .problems(weakSecrets: weak, findings: configFindings)
        for index in problems.indices {
            problems[index].id = "C\(index + 1)"
            problems[index].steps = PlanStep.numbered(problems[index].steps)
        }
        for problem in problems {
            for credentialID in problem.credentials {
                if let i = items.firstIndex(where: { $0.id == credentialID }) { items[i].configProblems.append(problem.id) }
            }
        }
        let purgeLines = items.compactMap { $0.historyPurge?.replaceText }
        let purge = purgeLines.isEmpty ? nil : HistoryPurge(
            replaceText: purgeLines.joined(separator: "\n") + "\n", command: HistoryPurge.command, warning: HistoryPurge.warning,
            paths: Array(Set(items.flatMap { $0.historyPurge?.paths ?? [] })).sorted())
        let formatter = ISO8601DateFormatter()
        return RotationPlan(version: input.version, source: input.source, roots: input.roots,
                            generatedAt: formatter.string(from: now), items: items, configProblems: problems,
                            historyPurge: purge, isComplete: input.isComplete)
    }

    // MARK: - One credential

    public func item(_ exposure: CredentialExposure, urgency: Urgency, rank: Int, facts: ProjectFacts, secret: String?,
              verification: VerificationResult? = nil) -> PlanItem {
        let credential = exposure.credential
        let playbook = playbooks.playbook(ruleID: credential.ruleID, provider: credential.provider, category: credential.category)
        let fingerprint = "sha256:" + credential.secretSHA256.prefix(12)
        // Names from minified bundles (`var k=`) say nothing about who uses the key.
        let named = exposure.exposures.filter { !$0.channels.contains(.clientBundle) }.compactMap(\.variable)
        let variables = named.isEmpty ? credential.variables : Array(Set(named)).sorted()
        let consumers = consumerFiles(for: variables, facts: facts)
        // Public-by-design keys need no purge; everything else in git does.
        let inGit = exposure.role == .serverOnly
            && exposure.exposures.contains { $0.location.commit != nil || $0.location.isUntracked == false }
        let purge = inGit ? HistoryPurge(
            replaceText: HistoryPurge.line(preview: credential.preview, fingerprint: fingerprint, secret: secret),
            command: HistoryPurge.command, warning: HistoryPurge.warning, paths: HistoryPurge.paths(of: exposure.exposures)) : nil
        var steps = PlanStep.numbered(steps(exposure, variables: variables, playbook: playbook, consumers: consumers, purge: purge))
        if verification?.status == .revoked {
            // The provider already refuses the key: revoking and confirming it fails are done.
            for index in steps.indices where steps[index].kind == "revoke" || steps[index].kind == "verify" { steps[index].isDone = true }
        }
        var notes = exposure.notes + (playbook?.notes ?? [])
        let unreachable = exposure.exposures.compactMap(\.location.commit).filter { $0.reach == .unreachable }
        if !unreachable.isEmpty {
            let ids = Set(unreachable.map { String($0.id.description.prefix(12)) }).sorted().prefix(5).joined(separator: ", ")
            notes.append("Seen in commits no ref reaches (\(ids)): a force-push, a deleted branch or a dropped pull request "
                + "does not remove them. The hosting service still serves them by commit id (GitHub: /commit/<id>) until it "
                + "garbage-collects, which a history rewrite does not trigger; rotate, then ask the host's support to purge them.")
        }
        if exposure.role == .serverOnly, credential.kind == .publicByDesign {
            notes.append("The rule calls this key public by design, but the name it is assigned to says it is a signing or webhook secret, so it is treated as server-only.")
        }
        return PlanItem(
            id: "K\(rank)", rank: rank, secretSHA256: credential.secretSHA256, fingerprint: fingerprint,
            ruleID: credential.ruleID, ruleName: credential.ruleName, provider: credential.provider,
            category: credential.category, kind: credential.kind, validation: credential.validation,
            preview: credential.preview, variables: variables, role: exposure.role,
            isClientExposed: exposure.isClientExposed, clientEvidence: exposure.clientEvidence, clientProof: exposure.clientProof,
            worstChannel: exposure.worstChannel, channels: exposure.channels, exposures: exposure.exposures,
            firstSeen: exposure.firstSeen, isStillPresent: exposure.isStillPresent, urgency: urgency,
            blastRadius: playbook?.blastRadius ?? "Unknown.", playbook: playbook?.id ?? "none",
            consumers: consumers, steps: steps, historyPurge: purge, notes: notes, configProblems: [],
            verification: verification)
    }

    /// Server-side files that read the credential's variables: the places the new key may go.
    /// Never build output (it is regenerated), client code (the key must not reach it again),
    /// env templates, or files that only know the public-prefixed name (the move-to-server step
    /// renames those; they must not get the new key).
    func consumerFiles(for variables: [String], facts: ProjectFacts) -> [String] {
        var files = Set<String>()
        for variable in variables {
            let server = PublicEnvPrefix.serverName(for: variable)
            if server == variable { files.formUnion(facts.consumers[variable] ?? []) }
            files.formUnion(facts.consumers[server] ?? [])
        }
        return files.filter { file in
            let relative = Self.relative(file, roots: facts.roots)
            if ShippedPath.isBuildOutput(relative) || ShippedPath.isClientSourceByPath(relative) { return false }
            if FileKind.isEnvFile(path: relative) && FileKind.isTemplate(path: relative) { return false }
            // Consumers are working-tree files: a `'use client'` module is client code wherever it lives.
            return !(ShippedPath.isScript(relative) && FileFacts.read(diskPath: file, path: relative)?.hasClientDirective == true)
        }.sorted()
    }

    /// A consumer's path under the longest scan root it lies in.
    public static func relative(_ path: String, roots: [String]) -> String {
        let base = roots.filter { $0 != "." && $0 != "./" }.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
            .filter { path.hasPrefix($0) }.max { $0.count < $1.count }
        if let base { return String(path.dropFirst(base.count)) }
        return path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }

    public func steps(_ exposure: CredentialExposure, variables: [String], playbook: Playbook?, consumers: [String],
               purge: HistoryPurge?) -> [PlanStep] {
        let credential = exposure.credential
        guard let playbook else { return [] }
        if exposure.role == .publicByDesign {
            // A category's generic playbook speaks of revoking; a browser key needs tight restrictions instead.
            let detail = playbook.category == nil ? playbook.revoke
                : "Make sure the key's restrictions (allowed origins, API restrictions, row-level security) are as tight as the provider allows"
            return [PlanStep(kind: "review", text: "No rotation needed: \(credential.ruleName) is meant for browsers.", details: [detail])]
        }
        // The order an engineer works in: stop the bleeding, take the key out of the browser, hand
        // the new key only to server code, ship, prove the old one dead, look for abuse, clean up.
        var steps: [PlanStep] = []
        let revokeText = exposure.isClientExposed
            ? "**Revoke now** (assume it is already harvested): \(playbook.revoke)"
            : "Revoke or roll: \(playbook.revoke)"
        steps.append(PlanStep(kind: "revoke", text: revokeText, details: playbook.revokeAPI.map { ["API: \($0)"] } ?? []))
        if exposure.isClientExposed { steps.append(moveToServer(exposure)) }
        let serverNames = Array(Set(variables.map(PublicEnvPrefix.serverName(for:)))).sorted()
        let names = serverNames.isEmpty ? "the value" : serverNames.map { InertText.codeSpan($0) }.joined(separator: ", ")
        let consumerDetails = ["your host's environment settings (Vercel, Netlify, Fly, Render…) and CI secrets"]
            + consumers.map { InertText.codeSpan($0) }
        steps.append(PlanStep(kind: "replace",
                              text: "Issue the replacement: \(playbook.replace) Give it only to server-side consumers of \(names), never the repository or client code:",
                              details: consumerDetails))
        var redeploy = "Redeploy every environment that uses it"
        if exposure.isClientExposed, exposure.exposures.contains(where: { $0.channels.contains { $0.reachesClient && $0 != .llmPrompt } }) {
            redeploy += "; rebuild the client and purge the CDN cache (old bundles stay cached and archived, which is why revoking comes first)"
        }
        steps.append(PlanStep(kind: "redeploy", text: redeploy + "."))
        steps.append(PlanStep(kind: "verify", text: "Confirm the old value fails: \(playbook.verify)"))
        let since = exposure.firstSeen.map { String($0.date.prefix(10)) } ?? "the first exposure (no git date known)"
        steps.append(PlanStep(kind: "check-logs", text: "Check for abuse: " + playbook.logs.replacingOccurrences(of: "{since}", with: since)))
        if let purge {
            steps.append(PlanStep(
                kind: "purge-history",
                text: "After rotating, purge it from git history (see \"Purging git history\" at the end): `git filter-repo --replace-text leakward-replace.txt` with this line",
                details: ["`\(purge.replaceText)`"]))
        }
        let logs = exposure.exposures.filter { $0.channels.contains(.ciLog) }
        if !logs.isEmpty {
            let files = Array(Set(logs.map { $0.location.origin.displayPath(members: []) })).sorted()
            steps.append(PlanStep(
                kind: "ci-logs",
                text: "Delete the logs of the CI runs that printed it (GitHub: the run → ⋯ → Delete all logs; GitLab: the job → Erase; or the API) and keep the value in a masked CI secret so it is never echoed again (GitHub masks secrets; `::add-mask::` for derived values; GitLab: Masked variable).",
                details: files.prefix(5).map { InertText.codeSpan($0) } + (files.count > 5 ? ["…and \(files.count - 5) more logs"] : [])))
        }
        return steps
    }

    /// How to get the call out of the browser, worded for the framework that inlined it.
    func moveToServer(_ exposure: CredentialExposure) -> PlanStep {
        let prefixed = exposure.exposures.first { $0.channels.contains(.publicEnvPrefix) }
        let provider = exposure.credential.provider
        if let variable = prefixed?.variable, let prefix = PublicEnvPrefix.matching(variable) {
            let serverName = PublicEnvPrefix.serverName(for: variable)
            return PlanStep(kind: "move-to-server",
                            text: "Move the call behind a server route: rename \(InertText.codeSpan(variable)) to \(InertText.codeSpan(serverName)) (no public prefix) and call \(provider) from \(serverRoute(for: prefix.framework)); the browser calls that route and never sees the key.",
                            details: ["Search the client code for \(InertText.codeSpan(variable)) and replace each use with a fetch to your route."])
        }
        if !exposure.exposures.contains(where: { $0.channels.contains(.clientSource) }), let prompt = exposure.promptPlace {
            return PlanStep(kind: "move-to-server",
                            text: "Take the key out of the LLM prompt at \(prompt): the model must never see it. Call the API from server code that reads the key from the environment, and give the model a tool that makes the call without the key.")
        }
        if let source = exposure.exposures.first(where: { $0.channels.contains(.clientSource) }) {
            return PlanStep(kind: "move-to-server",
                            text: "Move the call behind a server route: delete the literal from \(InertText.codeSpan(source.location.displayPath)), read the key from a server-only environment variable in an API route or server action, and have the component call that route.")
        }
        return PlanStep(kind: "move-to-server",
                        text: "Find how the value reached the bundle (a public env prefix, a client import of a server module, a bundler `define`) and move the call to a server route so the key stays server-side.")
    }

    func serverRoute(for framework: String) -> String {
        switch framework {
        case "Next.js": "a Route Handler (`app/api/…/route.ts`) or a Server Action"
        case "Nuxt": "a server route (`server/api/….ts`) using non-public `runtimeConfig`"
        case "SvelteKit/Astro": "a server endpoint (`+server.ts` / an Astro endpoint) reading `$env/static/private`"
        case "Expo": "your own backend (anything in an app binary can be extracted)"
        default: "a backend endpoint or serverless function (for example `/api/…`)"
        }
    }
}
