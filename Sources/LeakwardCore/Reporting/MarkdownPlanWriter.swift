/// The rotation plan as a Markdown checklist: one section per urgency tier, one item per
/// credential with its evidence and `- [ ]` steps, config problems after the credentials they concern.
public struct MarkdownPlanWriter: PlanWriter {
    public static let formatName = "markdown"

    public init() {}

    public func render(_ plan: RotationPlan) throws -> String {
        var out = "# Leakward rotation plan\n\n"
        let summary = plan.summary
        if plan.unscannedInputs > 0 {
            out += "> **\(ScanIssue.unscannedPhrase(plan.unscannedInputs)):** this plan covers only the rest "
                + "(`leakward scan` lists them and why).\n\n"
        }
        if plan.items.isEmpty && plan.configProblems.isEmpty {
            return out + "Nothing to rotate: no credentials and no configuration problems found in "
                + plan.roots.map(InertText.codeSpan).joined(separator: ", ") + ".\n"
        }
        out += "Scanned \(plan.roots.map(InertText.codeSpan).joined(separator: ", ")) at \(plan.generatedAt). "
        out += "\(summary.credentials) credential\(summary.credentials == 1 ? "" : "s")"
        let proven = plan.items.filter { $0.clientProof == .bundle }.count
        let reached = summary.clientExposed == 0 ? "0 reached the browser"
            : "\(summary.clientExposed) reached the browser: \(proven) proven by a built bundle, \(summary.clientExposed - proven) inferred from names"
        out += " (\(reached); \(summary.rotate) in git/logs/config, "
        out += "\(summary.review) local, \(summary.low) low) and \(summary.configProblems) configuration problem"
        out += "\(summary.configProblems == 1 ? "" : "s").\n"
        if !plan.isComplete { out += "\n> **Incomplete:** the scan was interrupted; this plan lists only what was found so far.\n" }
        out += "\nWork top to bottom: revoke first, then replace, redeploy and verify. Tick each box as you go.\n"

        // Config problems go right after the last credential they concern.
        let byID = Dictionary(uniqueKeysWithValues: plan.items.map { ($0.id, $0.rank) })
        var after: [Int: [ConfigProblem]] = [:]
        var unattached: [ConfigProblem] = []
        for problem in plan.configProblems {
            if let last = problem.credentials.compactMap({ byID[$0] }).max() { after[last, default: []].append(problem) } else { unattached.append(problem) }
        }
        var tier: UrgencyTier?
        for item in plan.items {
            if item.urgency.tier != tier {
                tier = item.urgency.tier
                out += "\n## \(item.urgency.tier.title)\n"
            }
            out += render(item)
            for problem in after[item.rank] ?? [] { out += render(problem) }
        }
        if !unattached.isEmpty {
            out += "\n## Configuration problems\n"
            for problem in unattached { out += render(problem) }
        }
        if let purge = plan.historyPurge {
            out += "\n## Purging git history (after rotating)\n\n"
            out += "Save as `leakward-replace.txt`, then run `\(purge.command)` in a fresh clone and force-push:\n\n"
            out += "```text\n\(purge.replaceText)```\n\n"
            if !purge.paths.isEmpty {
                let shown = purge.paths.prefix(Self.maxDetails).map { InertText.codeSpan($0) }.joined(separator: ", ")
                let more = purge.paths.count > Self.maxDetails ? " and \(purge.paths.count - Self.maxDetails) more (see `--format json`)" : ""
                out += "The secrets sat in history at: \(shown)\(more).\n\n"
            }
            out += "> \(purge.warning)\n"
        }
        return out
    }

    func render(_ item: PlanItem) -> String {
        // Names from the scanned content (rule names from a project's gitleaks config, authors,
        // variables, paths) are escaped here or were put in code spans by `InertText.codeSpan`;
        // composed sentences go through `visible` so none can start a line of its own.
        let md = InertText.markdown, code = InertText.codeSpan, v = InertText.visible
        var out = "\n### \(item.id). \(md(item.ruleName)) — \(item.urgency.effectiveSeverity.name)\n\n"
        var what = "\(md(item.provider)), \(item.kind.rawValue), \(code(item.preview)), fingerprint `\(item.fingerprint)`, rule \(code(item.ruleID))"
        if item.validation != .unchecked { what += ", \(item.validation.rawValue)" }
        out += "- **What:** \(what)\n"
        if !item.variables.isEmpty { out += "- **Assigned to:** \(item.variables.map(code).joined(separator: ", "))\n" }
        if let evidence = item.clientEvidence {
            // A key only a prompt carries reaches the model's users, not the browser bundle.
            let onlyPrompt = !item.channels.contains { $0.reachesClient && $0 != .llmPrompt }
            out += "- **\(onlyPrompt ? "Reaches every chat user" : "Reaches the browser"):** \(v(evidence)).\n"
        }
        out += "- **Where:**\n"
        for exposure in item.exposures.prefix(12) {
            out += "  - \(exposure.channels.map(\.title).joined(separator: ", ")): \(v(exposure.evidence)).\n"
        }
        if item.exposures.count > 12 { out += "  - …and \(item.exposures.count - 12) more places (see `--format json`).\n" }
        if let first = item.firstSeen {
            out += "- **Since:** \(md(String(first.date.prefix(10)))) (commit \(code(first.id.short)) by \(md(first.author)))"
            out += item.isStillPresent ? "; still present.\n" : "; no longer in HEAD, only in history.\n"
        } else {
            let isTracked = item.exposures.contains { $0.location.isUntracked == false }
            let why = isTracked ? "tracked by git, but no history was scanned: scan the repository's top for commit dates" : "no commit holds it"
            out += "- **Since:** unknown (\(why))\(item.isStillPresent ? "; still present" : "").\n"
        }
        out += "- **Blast radius:** \(item.blastRadius)\n"
        out += "- **Why here:** \(item.urgency.summary).\n"
        for note in item.notes { out += "- **Note:** \(v(note))\n" }
        if !item.configProblems.isEmpty { out += "- **Also fix:** \(item.configProblems.joined(separator: ", ")) (below).\n" }
        out += "\n"
        for step in item.steps { out += checkbox(step) }
        return out
    }

    func render(_ problem: ConfigProblem) -> String {
        var out = "\n### \(problem.id). Config: \(InertText.visible(problem.title)) — \(problem.severity.name)\n\n"
        out += InertText.visible(problem.detail)
        if !problem.credentials.isEmpty { out += " Concerns \(problem.credentials.joined(separator: ", "))." }
        out += "\n\n"
        for step in problem.steps { out += checkbox(step) }
        return out
    }

    /// Long lists (hundreds of consumer files) are cut; the JSON plan has them all.
    static let maxDetails = 15

    func checkbox(_ step: PlanStep) -> String {
        var out = "- [ ] \(InertText.visible(step.text))\n"
        let shown = step.details.count > Self.maxDetails + 1 ? Array(step.details.prefix(Self.maxDetails)) : step.details
        for detail in shown { out += "  - \(InertText.visible(detail))\n" }
        if shown.count < step.details.count {
            out += "  - …and \(step.details.count - shown.count) more (see `--format json`)\n"
        }
        return out
    }
}
