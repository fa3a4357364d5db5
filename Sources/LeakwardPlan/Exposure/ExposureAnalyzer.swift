import LeakwardModel
import LeakwardSupport

/// Joins findings with what the project says about their files: each sighting's exposure
/// channels and evidence, and one `CredentialExposure` per secret.
public struct ExposureAnalyzer: Sendable {
    public let facts: ProjectFacts
    /// `secret-in-prompt` config findings: each puts a secret (at its line) or a variable's
    /// value into an LLM prompt.
    public let prompts: [Finding]

    public init(facts: ProjectFacts, prompts: [Finding] = []) {
        self.facts = facts
        self.prompts = prompts.filter { $0.kind == .secretInPrompt }
    }

    /// One record per credential (same `secret_sha256`), in `Credential.group` order.
    public func analyze(_ findings: [Finding]) -> [CredentialExposure] {
        var bySecret: [String: [Finding]] = [:]
        for finding in findings { bySecret[finding.secretSHA256, default: []].append(finding) }
        return Credential.group(findings).map { credential in
            analyze(credential, sightings: bySecret[credential.secretSHA256] ?? [])
        }
    }

    func analyze(_ credential: Credential, sightings: [Finding]) -> CredentialExposure {
        let role = SecretRole.of(kind: credential.kind, category: credential.category, variables: credential.variables)
        var seen = Set<Finding.Location>()
        var exposures: [Exposure] = []
        // A tracked working-tree file and HEAD's commit sighting of the same line are one place:
        // keep the commit's, which says since when.
        let inHEAD = Set(sightings.compactMap { finding -> PlaceKey? in
            guard finding.location.commit?.isInHEAD == true else { return nil }
            return placeKey(finding.location)
        })
        for finding in sightings.sorted(by: { ($0.location, $0.ruleID) < ($1.location, $1.ruleID) })
        where seen.insert(finding.location).inserted {
            if finding.location.commit == nil, finding.location.isUntracked == false, inHEAD.contains(placeKey(finding.location)) { continue }
            exposures.append(exposure(of: finding))
        }
        exposures.sort { ($0.worstChannel, $0.location) < ($1.worstChannel, $1.location) }
        let worst = exposures.map(\.worstChannel).min() ?? .unversionedFile
        let isClientExposed = role == .serverOnly && worst.reachesClient
        let proof: ClientProof? = isClientExposed ? (exposures.contains { $0.channels.contains(.clientBundle) } ? .bundle : .inferred) : nil
        let commits = exposures.compactMap(\.location.commit)
        let firstSeen = commits.min { ($0.date, $0.id) < ($1.date, $1.id) }
        let isStillPresent = exposures.contains { $0.location.commit == nil || $0.location.commit!.isInHEAD }
        var record = CredentialExposure(
            credential: credential, role: role, exposures: exposures, worstChannel: worst,
            isClientExposed: isClientExposed,
            clientEvidence: isClientExposed ? clientEvidence(exposures) + proofSentence(proof) : nil, clientProof: proof,
            firstSeen: firstSeen, isStillPresent: isStillPresent,
            notes: Array(Set(sightings.flatMap(\.notes))).sorted())
        record.opens = sightings.compactMap(\.decrypts).first { $0.check == .opens }
        if let carried = exposures.first(where: { $0.channels.contains(.llmPrompt) }),
           let prompt = prompt(carrying: findingStub(carried)) {
            record.promptPlace = "\(InertText.codeSpan(prompt.location.displayPath)) line \(prompt.location.line)"
        }
        return record
    }

    /// Path relative to the root, members, line and decode chain: the same place whichever
    /// source saw it.
    struct PlaceKey: Hashable {
        var path: String
        var members: [String]
        var line: Int
        var decoders: [DecodeStep]
    }

    func placeKey(_ location: Finding.Location) -> PlaceKey {
        PlaceKey(path: location.origin.path, members: location.members, line: location.line, decoders: location.decoders)
    }

    // MARK: - One sighting

    /// The channels of one sighting, worst first, with the sentence that explains them.
    public func exposure(of finding: Finding) -> Exposure {
        let location = finding.location
        let relative = location.nestedPath
        let file = location.members.isEmpty ? facts.files[location.origin] : nil
        var channels: [ExposureChannel] = []
        var clauses: [String] = []
        var publicReason: String?
        let place = "\(InertText.codeSpan(location.displayPath)) line \(location.line)"

        if let output = location.buildOutput {
            // The walk knows which side of the build this file is on: that beats any guess from its name.
            let (channel, clause) = buildOutputClause(output, location: location, relative: relative)
            channels.append(channel)
            clauses.append(clause)
        } else if ShippedPath.isClientBundle(relative, decoders: location.decoders)
            || (file?.hasInlineClientPayload == true && ["html", "htm"].contains(ShippedPath.assetExtension(relative))) {
            channels.append(.clientBundle)
            var clause = "the value appears in the browser bundle \(InertText.codeSpan(location.displayPath)) line \(location.line) col \(location.column)"
            if !location.decoders.isEmpty { clause += " (via \(InertText.visible(location.decoders.map(\.description).joined(separator: " → "))))" }
            clauses.append(clause)
        }
        if let prefix = publicPrefix(of: finding, relative: relative) {
            channels.append(.publicEnvPrefix)
            clauses.append("\(InertText.codeSpan(finding.variable!)) in \(InertText.codeSpan(location.displayPath)) is inlined by \(prefix.framework) into the browser bundle at build time")
        } else if let config = file?.publicConfig(at: location.offset) {
            channels.append(.publicEnvPrefix)
            publicReason = "\(InertText.codeSpan(config.keyPath)) in \(InertText.codeSpan(location.displayPath)) \(config.block.says)"
            clauses.append(publicReason!)
        } else if let variable = finding.variable, let feed = file?.dockerPublicFeeds[variable],
                  let prefix = PublicEnvPrefix.matching(feed.target) {
            channels.append(.publicEnvPrefix)
            publicReason = "the build argument \(InertText.codeSpan(variable)) in \(InertText.codeSpan(location.displayPath)) feeds "
                + "\(InertText.codeSpan(feed.target)) (line \(feed.line)), which \(prefix.framework) inlines into the browser bundle at build time"
            clauses.append(publicReason!)
        }
        if location.buildOutput == nil, !channels.contains(.clientBundle), let why = clientSourceReason(relative: relative, file: file) {
            channels.append(.clientSource)
            clauses.append("\(place) is \(why), so the literal ships to the browser")
        }
        if let prompt = prompt(carrying: finding) {
            channels.append(.llmPrompt)
            let at = "\(InertText.codeSpan(prompt.location.displayPath)) line \(prompt.location.line)"
            if prompt.location.origin.path == location.origin.path && prompt.location.line == location.line {
                clauses.append("\(at) puts the value into an LLM prompt (\(prompt.ruleName.lowercased())), which prompt injection can make the model repeat to any user")
            } else {
                clauses.append("\(InertText.codeSpan(prompt.variable ?? "")) is read into an LLM prompt at \(at) (\(prompt.ruleName.lowercased())), which prompt injection can make the model repeat to any user")
            }
        }
        if ShippedPath.isCILog(location.origin.path, decoders: location.decoders) {
            channels.append(.ciLog)
            clauses.append("printed in the CI log \(place)")
        }
        if ShippedPath.isContainerFile(relative) || ShippedPath.isDeployFolderYAML(relative) || file?.isKubernetesManifest == true {
            channels.append(.containerConfig)
            clauses.append("baked into the container/deploy config \(place), which keeps it in image layers and manifests")
        }
        let (gitChannel, gitClause) = gitStatus(of: location, place: clauses.isEmpty ? place : nil)
        channels.append(gitChannel)
        clauses.append(gitClause)
        // A key file beside the file it opens (Rails' `credentials.yml.enc`): whoever has one has the other.
        if let sibling = finding.decrypts, sibling.check != .refuses { clauses.append("the key " + sibling.sentence) }
        channels = Array(Set(channels)).sorted()
        let sentence = clauses.joined(separator: "; ")
        return Exposure(location: location, variable: finding.variable, channels: channels,
                        evidence: sentence.prefix(1).uppercased() + sentence.dropFirst(), publicReason: publicReason)
    }

    /// The channel and clause of a sighting in build output the walk marked.
    func buildOutputClause(_ output: BuildOutputMark, location: Finding.Location, relative: String) -> (ExposureChannel, String) {
        let via = location.decoders.isEmpty ? "" : " (via \(location.decoders.map(\.description).joined(separator: " → ")))"
        let place = "\(InertText.codeSpan(location.displayPath)) line \(location.line) col \(location.column)\(via)"
        switch output.side {
        case .server:
            return (.serverBundle, "the value appears in \(place), \(output.framework) server build output: deployed with the server, not sent to browsers")
        case .client:
            var clause = "the value appears in the browser bundle \(place), \(output.framework) client build output served to every visitor"
            let isSourceMap = ShippedPath.assetExtension(relative) == "map"
                || location.decoders.contains { $0.decoder.readsBundles }
            if isSourceMap { clause += "; " + ExposureAnalyzer.sourceMapClause(output) }
            return (.clientBundle, clause)
        }
    }

    /// What the build config says about serving a client source map.
    static func sourceMapClause(_ output: BuildOutputMark) -> String {
        guard let setting = output.sourceMapSetting else {
            return "the source map is served next to the bundle: no build-config setting says otherwise"
        }
        switch output.sourceMapPolicy {
        case "hidden":
            return "\(setting) keeps browsers from loading the source map (no `sourceMappingURL` comment), but the file is uploaded with the build output and can be fetched by URL unless the deploy leaves out `*.map`"
        case "off":
            return "\(setting) says source maps are off, yet this one is in the client output, so it is served"
        default:
            return "the source map is served to browsers (\(setting))"
        }
    }

    /// The prompt finding that carries this sighting: one at its very place, or one that reads
    /// the variable the sighting assigns.
    func prompt(carrying finding: Finding) -> Finding? {
        guard !prompts.isEmpty, finding.kind != .publicByDesign else { return nil }
        // Compared relative to the root: a HEAD sighting and a working-tree prompt are one place.
        func at(_ prompt: Finding) -> Bool {
            prompt.location.origin.path == finding.location.origin.path && prompt.location.line == finding.location.line
        }
        if let here = prompts.first(where: at) { return here }
        guard let variable = finding.variable else { return nil }
        return prompts.first { $0.variable == variable && !at($0) }
    }

    /// A public prefix counts where build tools read variables: env files (not templates), CI and container config.
    func publicPrefix(of finding: Finding, relative: String) -> PublicEnvPrefix? {
        guard let variable = finding.variable, let prefix = PublicEnvPrefix.matching(variable) else { return nil }
        let isBuildInput = (FileKind.isEnvFile(path: relative) && !FileKind.isTemplate(path: relative))
            || ShippedPath.isCIConfig(relative) || ShippedPath.isContainerFile(relative) || ShippedPath.isDeployFolderYAML(relative)
            || ShippedPath.isNextConfig(relative) || ShippedPath.isCILog(finding.location.origin.path, decoders: finding.location.decoders)
        return isBuildInput ? prefix : nil
    }

    /// Why a source file runs in the browser, or nil.
    func clientSourceReason(relative: String, file: FileFacts?) -> String? {
        guard ShippedPath.isScript(relative) else { return nil }
        if file?.hasClientDirective == true { return "a `'use client'` component" }
        let ext = ShippedPath.assetExtension(relative)
        if ShippedPath.isClientSourceByPath(relative) {
            if ext == "vue" || ext == "svelte" { return "a \(ext == "vue" ? "Vue" : "Svelte") component" }
            return relative.split(separator: "/").contains("pages") ? "a page outside `pages/api/`" : "a UI component under `components/`"
        }
        if facts.isInViteSource(relative), !relative.contains("/server/") { return "in the `src/` of a Vite app" }
        return nil
    }

    /// The git side of a sighting; `place` is nil when an earlier clause already named the file.
    func gitStatus(of location: Finding.Location, place: String?) -> (ExposureChannel, String) {
        if let commit = location.commit {
            let who = "commit \(commit.id.short) by \(InertText.markdown(commit.author)) on \(InertText.markdown(String(commit.date.prefix(10))))"
            let elsewhere = ExposureAnalyzer.otherPaths(commit, besides: location.displayPath)
            if commit.isInHEAD { return (.committed, "committed\(place.map { " in \($0)" } ?? "") (\(who)) and still in HEAD\(elsewhere)") }
            return (.historyOnly, "removed from HEAD but still in git history\(place.map { ": \($0)," } ?? ":") \(who)\(elsewhere)")
        }
        switch location.isUntracked {
        case false?: return (.committed, place.map { "tracked by git in \($0)" } ?? "the file is tracked by git")
        case true?: return (.localOnly, place.map { "in the untracked or git-ignored file \($0)" } ?? "the file is untracked or git-ignored")
        case nil: return (.unversionedFile, place.map { "in \($0), outside any git repository" } ?? "the file is outside any git repository")
        }
    }

    /// "; the same content was also committed at `a` (commit …, 2024-01-02, still in HEAD)…".
    public static func otherPaths(_ commit: CommitInfo, besides path: String) -> String {
        guard let paths = commit.paths?.filter({ $0.path != path }), !paths.isEmpty else { return "" }
        let shown = paths.prefix(5).map { site in
            "\(InertText.codeSpan(site.path)) (commit \(site.commit.prefix(10)) on \(InertText.markdown(String(site.date.prefix(10)))), \(site.isInHEAD ? "still in HEAD" : "removed from HEAD"))"
        }
        let total = (commit.pathCount ?? commit.paths!.count) - 1
        let more = total > shown.count ? " and \(total - shown.count) more paths" : ""
        return "; the same content was also committed at " + shown.joined(separator: ", ") + more
    }

    // MARK: - The client sentence

    /// Says what the verdict rests on: a bundle, or names with no bundle (and why none).
    func proofSentence(_ proof: ClientProof?) -> String {
        switch proof {
        case .bundle?:
            return ". Proven: the built client bundle holds the value"
        case .inferred?:
            if facts.clientBuildOutput.isEmpty {
                return ". Inferred from names and locations, not proven: no client build output was found (not built here); build the app and run `leakward plan` again to prove it"
            }
            let built = facts.clientBuildOutput.joined(separator: ", ")
            return ". Inferred from names and locations, not proven: the \(built) client build output present does not hold the value (a stale build, or client code does not use it yet)"
        case nil:
            return ""
        }
    }

    /// "`NEXT_PUBLIC_X` in `.env.production` is inlined by Next.js into the browser bundle; the value
    /// appears in `.next/static/chunks/x.js` line 1 col 48213".
    /// An exposure's place as a finding, to look up its prompt again.
    func findingStub(_ exposure: Exposure) -> Finding {
        Finding(ruleID: "", ruleName: "", category: .generic, provider: "", severity: .info, kind: .secret,
                validation: .unchecked, secret: SecretValue([]), location: exposure.location, variable: exposure.variable)
    }

    public func clientEvidence(_ exposures: [Exposure]) -> String {
        let bundle = exposures.first { $0.channels.contains(.clientBundle) }
        let prefixed = exposures.first { $0.channels.contains(.publicEnvPrefix) }
        let source = exposures.first { $0.channels.contains(.clientSource) }
        let prompt = exposures.first { $0.channels.contains(.llmPrompt) }
        var parts: [String] = []
        if let prefixed {
            if let reason = prefixed.publicReason {
                parts.append(reason)
            } else if let variable = prefixed.variable, let prefix = PublicEnvPrefix.matching(variable) {
                parts.append("\(InertText.codeSpan(variable)) in \(InertText.codeSpan(prefixed.location.displayPath)) is inlined by \(prefix.framework) into the browser bundle")
            } else {
                parts.append("the `env` block of \(InertText.codeSpan(prefixed.location.displayPath)) is inlined by Next.js into the browser bundle")
            }
        }
        if let source {
            parts.append("\(InertText.codeSpan(source.location.displayPath)) line \(source.location.line) is client code that ships to the browser")
        }
        if let prompt, let place = self.prompt(carrying: findingStub(prompt)) {
            parts.append("\(InertText.codeSpan(place.location.displayPath)) line \(place.location.line) puts it into an LLM prompt (\(place.ruleName.lowercased())), and prompt injection can make the model repeat it to any user")
        }
        if let bundle {
            var text = "the value appears in \(InertText.codeSpan(bundle.location.displayPath)) line \(bundle.location.line) col \(bundle.location.column)"
            if !bundle.location.decoders.isEmpty { text += " (via \(InertText.visible(bundle.location.decoders.map(\.description).joined(separator: " → "))))" }
            if parts.isEmpty { text += ", which is served to every visitor" }
            parts.append(text)
        } else if prefixed != nil || source != nil {
            parts.append("the next build ships it to every visitor")
        } else if prompt != nil {
            parts.append("every chat with the model carries it")
        }
        let sentence = parts.joined(separator: "; ")
        return sentence.prefix(1).uppercased() + sentence.dropFirst()
    }
}
