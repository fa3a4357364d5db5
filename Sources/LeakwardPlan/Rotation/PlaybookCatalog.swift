import LeakwardModel
import LeakwardRules

/// Every rotation playbook, and the lookup from a credential to the best one.
public struct PlaybookCatalog: Sendable {
    public let playbooks: [Playbook]

    public init(playbooks: [Playbook]) throws {
        var seen = Set<String>()
        for playbook in playbooks where !seen.insert(playbook.id).inserted { throw RuleError.duplicateID(playbook.id) }
        self.playbooks = playbooks.sorted { $0.id < $1.id }
    }

    /// The playbooks compiled into the binary from `rules/rotation/*.toml`.
    public static func builtIn() throws -> PlaybookCatalog {
        try PlaybookCatalog(playbooks: BundledRules.files.filter { $0.path.hasPrefix("rules/rotation/") }
            .flatMap { try PlaybookFile.playbooks(fromTOML: $0.text, path: $0.path) })
    }

    /// The longest matching rule-id prefix, else a provider match, else the category's generic
    /// playbook, else the generic one.
    public func playbook(ruleID: String, provider: String, category: SecretCategory) -> Playbook? {
        // Longest matching rule prefix wins; on a tie the narrower playbook (fewer rule
        // prefixes, then fewer providers) wins, so a provider's own steps beat a shared one.
        let byRule = playbooks.compactMap { playbook -> (Int, Playbook)? in
            let best = playbook.rulePrefixes.filter { ruleID.hasPrefix($0) }.map(\.count).max()
            return best.map { ($0, playbook) }
        }.max { a, b in
            (a.0, -a.1.rulePrefixes.count, -a.1.providers.count) < (b.0, -b.1.rulePrefixes.count, -b.1.providers.count)
        }
        if let byRule { return byRule.1 }
        let lower = provider.lowercased()
        if let byProvider = playbooks.first(where: { $0.providers.contains { $0.lowercased() == lower } }) { return byProvider }
        return playbooks.first { $0.category == category } ?? playbooks.first { $0.category == .generic }
    }
}
