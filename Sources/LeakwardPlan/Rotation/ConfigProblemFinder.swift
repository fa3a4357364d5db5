import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// Finds the configuration problems of a plan and links each to the credentials it concerns.
struct ConfigProblemFinder {
    let facts: ProjectFacts
    let items: [PlanItem]
    /// Where the wording, severity and fix of each kind come from (`rules/checks/`).
    var checks: ConfigCheckSet = .empty

    func problems(weakSecrets: [Finding], findings: [Finding] = []) -> [ConfigProblem] {
        var problems = trackedEnvFiles() + unignoredEnvFiles() + shippedSourceMaps() + weak(weakSecrets) + checked(findings)
        // After the most urgent credential each concerns; unrelated problems last, worst first.
        let rank = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.rank) })
        problems.sort { a, b in
            let ra = a.credentials.compactMap { rank[$0] }.max() ?? Int.max
            let rb = b.credentials.compactMap { rank[$0] }.max() ?? Int.max
            return (ra, -a.severity.rawValue, a.kind, a.paths.first ?? "") < (rb, -b.severity.rawValue, b.kind, b.paths.first ?? "")
        }
        return problems
    }

    /// Credentials with a sighting in one of `paths`.
    func credentials(in paths: Set<String>) -> [String] {
        items.filter { item in item.exposures.contains { paths.contains($0.location.origin.displayPath) } }.map(\.id)
    }

    func trackedEnvFiles() -> [ConfigProblem] {
        // Keyed by path relative to the root: a history sighting (`.env`) and the working-tree
        // file (`app/.env`) are one problem, shown with the working-tree path.
        var byRelative: [String: Set<String>] = [:]
        for file in facts.envFiles where file.isTracked == true { byRelative[file.relativePath, default: []].insert(file.path) }
        for item in items {
            let location = item.exposures.map(\.location)
            for location in location where location.members.isEmpty && FileKind.isEnvFile(path: location.origin.path)
                && !FileKind.isTemplate(path: location.origin.path) {
                if location.isUntracked == false || location.commit != nil {
                    byRelative[location.origin.path, default: []].insert(location.origin.displayPath)
                }
            }
        }
        return byRelative.keys.sorted().map { relative in
            let paths = byRelative[relative]!
            let path = paths.max { ($0.count, $0) < ($1.count, $1) }!
            let check = checks.structural("tracked-env-file")
            // Already untracked and ignored today (only history holds it): "untrack it" would be a wasted step.
            let isUntrackedNow = facts.envFiles.contains { $0.relativePath == relative && $0.isTracked == false && $0.isIgnored }
            var steps = [PlanStep(kind: "fix-config", text: "Rotate every secret it ever held (the credentials listed with it), then purge it from history.")]
            if !isUntrackedNow {
                steps.insert(PlanStep(kind: "fix-config", text: "Stop tracking it: \(InertText.codeSpan("git rm --cached -- " + InertText.shellQuoted(path))), add it to `.gitignore`, commit."), at: 0)
            }
            return ConfigProblem(
                id: "", kind: "env-file-tracked", severity: check?.severity ?? .high,
                title: isUntrackedNow ? "\(InertText.codeSpan(path)) was committed to git (now untracked and ignored)" : "\(InertText.codeSpan(path)) is committed to git",
                detail: check?.why ?? "Env files hold real secrets; once committed, every value in it is in the history of every clone.",
                paths: [path], steps: PlanStep.numbered(steps), credentials: credentials(in: paths))
        }
    }

    func unignoredEnvFiles() -> [ConfigProblem] {
        let candidates = facts.envFiles.filter { file in
            !file.isIgnored && file.isTracked != true && facts.roots.contains { root in
                facts.gitRoots.contains(root) && (root == "." || file.path.hasPrefix(root))
            }
        }
        guard !candidates.isEmpty else { return [] }
        let paths = candidates.map(\.path)
        return [ConfigProblem(
            id: "", kind: "env-not-ignored", severity: .medium,
            title: "Env files not covered by `.gitignore`: " + paths.map { InertText.codeSpan($0) }.joined(separator: ", "),
            detail: "The next `git add .` commits them with every secret inside.",
            paths: paths,
            steps: [PlanStep(kind: "fix-config", text: "Add these lines to `.gitignore` (keep the example file tracked):",
                             details: ["`.env*`", "`!.env.example`"])],
            credentials: credentials(in: Set(paths)))]
    }

    func shippedSourceMaps() -> [ConfigProblem] {
        var paths = Set(facts.shippedSourceMaps)
        var concerned: [String] = []
        for item in items {
            for exposure in item.exposures where exposure.channels.contains(.clientBundle) {
                let location = exposure.location
                // A `sourcesContent` member's container is the map (`x.js.map`), or the script
                // holding an inline map (`x.js`).
                let containerMembers = Array(location.members.dropLast())
                let file = location.origin.displayPath(members: containerMembers)
                if ShippedPath.assetExtension(containerMembers.last ?? location.origin.path) == "map" {
                    paths.insert(file)
                } else if location.decoders.contains(where: { $0.decoder == .sourcesContent }) {
                    paths.insert(file + " (inline source map)")
                } else {
                    continue
                }
                if !concerned.contains(item.id) { concerned.append(item.id) }
            }
        }
        guard !paths.isEmpty else { return [] }
        let sorted = paths.sorted()
        let check = checks.structural("shipped-source-map")
        return [ConfigProblem(
            id: "", kind: "source-map-shipped", severity: check?.severity ?? .medium,
            title: "Source maps are served with the build: " + sorted.prefix(5).map { InertText.codeSpan($0) }.joined(separator: ", ")
                + (sorted.count > 5 ? " and \(sorted.count - 5) more" : ""),
            detail: check?.why ?? "A public source map gives anyone your original source, comments and any literal in it.",
            paths: sorted,
            steps: [PlanStep(kind: "fix-config", text: "Stop publishing source maps:", details: [
                "Next.js: remove `productionBrowserSourceMaps: true` from `next.config.*`",
                "Vite: `build.sourcemap: false` (or `'hidden'` and upload them to your error tracker privately)",
                "Create React App: `GENERATE_SOURCEMAP=false` at build time",
                "Delete the `.map` files already deployed and purge the CDN cache",
            ])],
            credentials: concerned)]
    }

    func weak(_ findings: [Finding]) -> [ConfigProblem] {
        var bySecret: [String: [Finding]] = [:]
        for finding in findings { bySecret[finding.secretSHA256, default: []].append(finding) }
        return bySecret.values.map { sightings in
            let sorted = sightings.sorted { $0.location < $1.location }
            let lead = sorted[0]
            let name = lead.variable ?? lead.ruleName
            let paths = Array(Set(sorted.map(\.location.displayPath))).sorted()
            let isProduction = sorted.contains { FileKind.isProductionEnvFile(FileKind.basename($0.location.innermostPath)) }
                || sorted.contains { $0.location.isUntracked == false || $0.location.commit != nil }
            let reason = lead.notes.first { $0.hasPrefix("weak: ") }.map { String($0.dropFirst(6)) } ?? "guessable"
            let severity = checks.structural("weak-secret")?.severity ?? .high
            return ConfigProblem(
                id: "", kind: "weak-secret", severity: isProduction ? severity : severity.adjusted(by: -1),
                title: "Weak \(InertText.codeSpan(name)) in " + paths.map { InertText.codeSpan($0) }.joined(separator: ", "),
                detail: "The value is \(reason). Anyone who guesses it can forge sessions or tokens signed with it.",
                paths: paths,
                steps: [PlanStep(kind: "fix-config", text: "Generate a strong value (`openssl rand -base64 32`) and set \(InertText.codeSpan(name)) in your host's environment, not in a committed file."),
                        PlanStep(kind: "fix-config", text: "Expect every session signed with the old value to end; use the framework's previous-keys list if you need an overlap.")],
                credentials: [])
        }.sorted { $0.title < $1.title }
    }

    /// One problem per config-check finding (`rules/checks/`), with the check's why and fix.
    /// Findings of the file tests are the problems above (judged on the project's facts, with
    /// their credentials), and `info` ones (tests, examples, docs) stay in the scan report only.
    func checked(_ findings: [Finding]) -> [ConfigProblem] {
        let structural = Set(checks.checks.filter { $0.test != nil }.map(\.id))
        var seen = Set<String>()
        return findings.filter { $0.severity > .info && !structural.contains($0.ruleID) }.compactMap { finding in
            let location = finding.location
            guard seen.insert("\(finding.ruleID)|\(location.origin.path)|\(location.line)").inserted else { return nil }
            let check = checks[finding.ruleID]
            // The preview is scanned text (or a name from it): inert in a code span, like the path.
            let title = "\(InertText.markdown(finding.ruleName)): \(InertText.codeSpan(finding.preview)) in "
                + "\(InertText.codeSpan(location.displayPath)) line \(location.line)"
            let why = check?.why ?? finding.notes.first ?? ""
            let fix = check?.fix ?? finding.notes.first { $0.hasPrefix("fix: ") }.map { String($0.dropFirst(5)) } ?? ""
            return ConfigProblem(
                id: "", kind: finding.kind.rawValue, severity: finding.severity, title: title, detail: why,
                paths: [location.displayPath], steps: [PlanStep(kind: "fix-config", text: fix)],
                credentials: concerned(by: finding), line: location.line, check: finding.ruleID)
        }
    }

    /// Credentials a config finding is about: a sighting at its place, or (a prompt or log
    /// that reads a variable) the credentials assigned to that variable.
    func concerned(by finding: Finding) -> [String] {
        let location = finding.location
        return items.filter { item in
            item.exposures.contains {
                $0.location.origin.path == location.origin.path && $0.location.line == location.line
            }
                || (finding.variable.map { item.variables.contains($0) } ?? false)
        }.map(\.id)
    }
}
