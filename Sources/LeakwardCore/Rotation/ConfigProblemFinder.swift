/// Finds the configuration problems of a plan and links each to the credentials it concerns.
struct ConfigProblemFinder {
    let facts: ProjectFacts
    let items: [PlanItem]

    func problems(weakSecrets: [Finding]) -> [ConfigProblem] {
        var problems = trackedEnvFiles() + unignoredEnvFiles() + shippedSourceMaps() + weak(weakSecrets) + debugFlags()
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
            return ConfigProblem(
                id: "", kind: "env-file-tracked", severity: .high, title: "\(InertText.codeSpan(path)) is committed to git",
                detail: "Env files hold real secrets; once committed, every value in it is in the history of every clone.",
                paths: [path],
                steps: [PlanStep(kind: "fix-config", text: "Stop tracking it: \(InertText.codeSpan("git rm --cached -- " + InertText.shellQuoted(path))), add it to `.gitignore`, commit."),
                        PlanStep(kind: "fix-config", text: "Rotate every secret it ever held (the credentials listed with it), then purge it from history.")],
                credentials: credentials(in: paths))
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
                } else if location.decoders.contains(where: { $0.decoder == "sourcesContent" }) {
                    paths.insert(file + " (inline source map)")
                } else {
                    continue
                }
                if !concerned.contains(item.id) { concerned.append(item.id) }
            }
        }
        guard !paths.isEmpty else { return [] }
        let sorted = paths.sorted()
        return [ConfigProblem(
            id: "", kind: "source-map-shipped", severity: .medium,
            title: "Source maps are served with the build: " + sorted.prefix(5).map { InertText.codeSpan($0) }.joined(separator: ", ")
                + (sorted.count > 5 ? " and \(sorted.count - 5) more" : ""),
            detail: "A public source map gives anyone your original source, comments and any literal in it.",
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
            let isProduction = sorted.contains { ProjectFactsReader.isProductionEnvFile(FileKind.basename($0.location.innermostPath)) }
                || sorted.contains { $0.location.isUntracked == false || $0.location.commit != nil }
            let reason = lead.notes.first { $0.hasPrefix("weak: ") }.map { String($0.dropFirst(6)) } ?? "guessable"
            return ConfigProblem(
                id: "", kind: "weak-secret", severity: isProduction ? .high : .medium,
                title: "Weak \(InertText.codeSpan(name)) in " + paths.map { InertText.codeSpan($0) }.joined(separator: ", "),
                detail: "The value is \(reason). Anyone who guesses it can forge sessions or tokens signed with it.",
                paths: paths,
                steps: [PlanStep(kind: "fix-config", text: "Generate a strong value (`openssl rand -base64 32`) and set \(InertText.codeSpan(name)) in your host's environment, not in a committed file."),
                        PlanStep(kind: "fix-config", text: "Expect every session signed with the old value to end; use the framework's previous-keys list if you need an overlap.")],
                credentials: [])
        }.sorted { $0.title < $1.title }
    }

    func debugFlags() -> [ConfigProblem] {
        facts.productionDebugFlags.map { flag in
            ConfigProblem(
                id: "", kind: "debug-in-production", severity: .low,
                title: "\(InertText.codeSpan(flag.setting)) in \(InertText.codeSpan(flag.path)) line \(flag.line)",
                detail: "Development mode in a production env file turns on verbose errors, stack traces and unminified builds.",
                paths: [flag.path],
                steps: [PlanStep(kind: "fix-config", text: "Set production values (`NODE_ENV=production`, debug flags off) in \(InertText.codeSpan(flag.path)) and redeploy.")],
                credentials: [])
        }
    }
}
