import LeakwardModel
import LeakwardPlan
import LeakwardSupport

/// The rotation plan as a Markdown checklist a person works through: a summary table first,
/// then one short section per credential (evidence grouped by channel, `- [ ]` steps in the
/// order they are done), config problems after the credentials they concern.
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
            out += "Nothing to rotate: no credentials and no configuration problems found in "
                + plan.roots.map(InertText.codeSpan).joined(separator: ", ") + ".\n"
            return out + renderGone(plan)
        }
        out += "Scanned \(plan.roots.map(InertText.codeSpan).joined(separator: ", ")) at \(plan.generatedAt). "
        out += "\(summary.credentials) credential\(summary.credentials == 1 ? "" : "s")"
        let proven = plan.items.filter { $0.clientProof == .bundle }.count
        let reached = summary.clientExposed == 0 ? "0 reached the browser"
            : "\(summary.clientExposed) reached the browser: \(proven) proven by a built bundle, \(summary.clientExposed - proven) inferred from names"
        out += " (\(reached); \(summary.rotate) in git/logs/config, "
        out += "\(summary.review) local, \(summary.low) low) and \(summary.configProblems) configuration problem"
        out += "\(summary.configProblems == 1 ? "" : "s")"
        if plan.isVerified { out += "; providers say \(summary.live) live, \(summary.revoked) revoked" }
        if plan.hasState { out += "; \(summary.done) done" }
        out += ".\n"
        if !plan.isComplete { out += "\n> **Incomplete:** the scan was interrupted; this plan lists only what was found so far.\n" }
        out += "\n" + summaryTable(plan)
        out += "\nWork top to bottom: revoke first, then replace, redeploy and verify. Tick each box as you go"
        out += plan.hasState ? " (ticks in this file are kept when the plan is regenerated with the same `--state` and `-o`).\n" : ".\n"

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
            out += render(item, marks: plan.hasState)
            for problem in after[item.rank] ?? [] { out += render(problem) }
        }
        if !unattached.isEmpty {
            out += "\n## Configuration problems\n"
            for problem in unattached { out += render(problem) }
        }
        out += renderGone(plan)
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

    /// One row per credential: what a person scans first to see how bad it is.
    func summaryTable(_ plan: RotationPlan) -> String {
        var out = "| id | provider | channel | live | tier | first seen | action |"
        out += plan.hasState ? " done |\n|---|---|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|---|---|\n"
        for item in plan.items {
            let first = item.firstSeen.map { String($0.date.prefix(10)) } ?? "—"
            out += "| \(item.id) | \(cell(item.provider)) | \(item.worstChannel.title) | \(VerificationResult.label(item.verification)) "
            out += "| \(item.urgency.tier.rawValue) | \(first) | \(item.action) |"
            if plan.hasState { out += " \(item.steps.filter(\.isDone).count)/\(item.steps.count) |" }
            out += "\n"
        }
        return out
    }

    /// A table cell from scanned content: inert, and `|` cannot end the cell.
    func cell(_ text: String) -> String { InertText.markdown(text).replacingOccurrences(of: "|", with: "\\|") }

    public func render(_ item: PlanItem, marks: Bool) -> String {
        // Names from the scanned content (rule names from a project's gitleaks config, authors,
        // variables, paths) are escaped here or were put in code spans by `InertText.codeSpan`;
        // composed sentences go through `visible` so none can start a line of its own.
        let md = InertText.markdown, code = InertText.codeSpan, v = InertText.visible
        var heading = "\n### \(item.id). \(md(item.ruleName)) — \(item.urgency.effectiveSeverity.name)"
        if let verification = item.verification { heading += " · \(verification.status.rawValue)" }
        if item.isDone { heading += " · done" }
        var out = heading + "\n\n"
        var what = "\(md(item.provider)), \(item.kind.rawValue), \(code(item.preview)), fingerprint `\(item.fingerprint)`, rule \(code(item.ruleID))"
        if item.validation != .unchecked { what += ", \(item.validation.rawValue)" }
        out += "- **What:** \(what)\n"
        if let verification = item.verification { out += "- **Provider says:** \(Self.describe(verification))\n" }
        if !item.variables.isEmpty { out += "- **Assigned to:** \(item.variables.map(code).joined(separator: ", "))\n" }
        if let evidence = item.clientEvidence {
            // A key only a prompt carries reaches the model's users, not the browser bundle.
            let onlyPrompt = !item.channels.contains { $0.reachesClient && $0 != .llmPrompt }
            out += "- **\(onlyPrompt ? "Reaches every chat user" : "Reaches the browser"):** \(v(evidence)).\n"
        }
        out += "- **Where:**\n"
        for line in Self.evidenceLines(item.exposures) { out += "  - \(line)\n" }
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
        for step in item.steps { out += checkbox(step, marker: marks ? "\(item.fingerprint)/\(step.id)" : nil) }
        return out
    }

    /// `live as octocat (scopes repo, gist), api.github.com answered HTTP 200 at …`.
    public static func describe(_ result: VerificationResult) -> String {
        // Identity, scopes and details come from the provider's answer: made inert like scanned text.
        var text = "**\(result.status.rawValue)**"
        if let identity = result.identity { text += " as \(InertText.codeSpan(identity))" }
        if !result.scopes.isEmpty { text += " (scopes: \(result.scopes.map(InertText.codeSpan).joined(separator: ", ")))" }
        text += "; \(result.host) answered \(InertText.markdown(result.detail)) at \(result.checkedAt)."
        return text
    }

    /// Sightings grouped by their worst channel, one line per channel with a count; copies of one
    /// file (`.js` and its `.gz`/`.br` twins) are one entry. Paths are code spans (`InertText`).
    static func evidenceLines(_ exposures: [Exposure], filesShown: Int = 4) -> [String] {
        let code = InertText.codeSpan
        let byChannel = Dictionary(grouping: exposures, by: \.worstChannel)
        return byChannel.keys.sorted().map { channel in
            let sightings = byChannel[channel]!
            var order: [String] = []
            var groups: [String: (first: Exposure, twins: [String])] = [:]
            for exposure in sightings {
                let (key, twin) = copyKey(exposure.location)
                if groups[key] == nil { order.append(key); groups[key] = (exposure, []) }
                if let twin, !groups[key]!.twins.contains(twin) { groups[key]!.twins.append(twin) }
            }
            let entries = order.prefix(filesShown).map { key -> String in
                let (first, twins) = groups[key]!
                var entry = "\(code(key)) line \(first.location.line)"
                if !twins.isEmpty { entry += " (+ " + twins.sorted().map { "`\($0)`" }.joined(separator: ", ") + ")" }
                if let commit = first.location.commit, channel == .historyOnly || channel == .committed {
                    entry += ", commit `\(commit.id.short)` \(commit.date.prefix(10))"
                    // The same blob under other paths (issue 14): each is a place to purge.
                    let others = ExposureAnalyzer.otherPaths(commit, besides: first.location.displayPath)
                    if !others.isEmpty { entry += " (" + others.dropFirst(2) + ")" }
                }
                return entry
            }
            var line = "**\(channel.title)**"
            if sightings.count > 1 {
                line += " ×\(sightings.count)" + (order.count > 1 ? " in \(order.count) files" : "")
            }
            line += ": " + entries.joined(separator: "; ")
            if order.count > filesShown { line += "; …and \(order.count - filesShown) more (see `--format json`)" }
            return line
        }
    }

    /// The shown path of the file a sighting is a copy of: a served `a.js.gz` or `a.js.br` is a
    /// copy of `a.js` (the twin's suffix is returned); members inside an archive stay as they are.
    static func copyKey(_ location: Finding.Location) -> (key: String, twin: String?) {
        var origin = location.origin
        var twin: String?
        for suffix in [".gz", ".br"] where origin.path.lowercased().hasSuffix(suffix) {
            let base = String(origin.path.dropLast(suffix.count))
            guard ["js", "mjs", "cjs", "css", "html", "map"].contains(ShippedPath.assetExtension(base)) else { continue }
            switch origin {
            case .file(let root, _): origin = .file(root: root, path: base)
            case .history(let root, _): origin = .history(root: root, path: base)
            default: continue
            }
            twin = suffix
        }
        return (origin.displayPath(members: location.members), twin)
    }

    public func render(_ problem: ConfigProblem) -> String {
        var out = "\n### \(problem.id). Config: \(InertText.visible(problem.title)) — \(problem.severity.name)\n\n"
        out += InertText.visible(problem.detail)
        if !problem.credentials.isEmpty { out += " Concerns \(problem.credentials.joined(separator: ", "))." }
        out += "\n\n"
        for step in problem.steps { out += checkbox(step, marker: nil) }
        return out
    }

    func renderGone(_ plan: RotationPlan) -> String {
        guard !plan.gone.isEmpty else { return "" }
        var out = "\n## Gone since the last plan\n\nNo longer found by this scan (removed, or out of the scanned paths); keep rotating any that were never revoked.\n\n"
        for gone in plan.gone {
            out += "- `\(gone.fingerprint)` \(gone.provider) \(gone.ruleName): last seen \(gone.lastSeen.prefix(10)), "
            out += gone.done.isEmpty ? "no steps ticked.\n" : "ticked: \(gone.done.joined(separator: ", ")).\n"
        }
        return out
    }

    /// Long lists (hundreds of consumer files) are cut; the JSON plan has them all.
    static let maxDetails = 15

    func checkbox(_ step: PlanStep, marker: String?) -> String {
        var out = "- [\(step.isDone ? "x" : " ")] \(InertText.visible(step.text))"
        if let marker { out += " <!-- \(marker) -->" }
        out += "\n"
        let shown = step.details.count > Self.maxDetails + 1 ? Array(step.details.prefix(Self.maxDetails)) : step.details
        for detail in shown { out += "  - \(InertText.visible(detail))\n" }
        if shown.count < step.details.count {
            out += "  - …and \(step.details.count - shown.count) more (see `--format json`)\n"
        }
        return out
    }
}
