import LeakwardModel
import LeakwardRules

/// Turns one `rules/rotation/*.toml` file into playbooks. Unknown keys are errors, so a typo
/// never silently drops a step.
public enum PlaybookFile {
    public static let keys: Set<String> = [
        "id", "providers", "rules", "category", "blast_radius", "revoke", "revoke_api", "replace", "verify", "logs", "notes",
    ]

    public static func playbooks(fromTOML text: String, path: String) throws -> [Playbook] {
        try DataTable.tables(named: "playbook", knownKeys: keys, fromTOML: text, path: path).map { entry in
            let table = entry.values, label = entry.label
            var category: SecretCategory?
            if let name = table["category"]?.string {
                guard let value = SecretCategory(rawValue: name) else {
                    throw RuleError.badValue(path: path, rule: label, key: "category", message: "unknown category '\(name)'")
                }
                category = value
            }
            let providers = table["providers"]?.strings ?? []
            let prefixes = table["rules"]?.strings ?? []
            if category == nil && providers.isEmpty && prefixes.isEmpty {
                throw RuleError.badValue(path: path, rule: label, key: "providers",
                                         message: "a playbook needs providers, rules or a category")
            }
            return Playbook(
                id: try entry.required("id"), providers: providers, rulePrefixes: prefixes,
                category: providers.isEmpty && prefixes.isEmpty ? category : nil,
                blastRadius: try entry.required("blast_radius"), revoke: try entry.required("revoke"),
                revokeAPI: table["revoke_api"]?.string, replace: try entry.required("replace"), verify: try entry.required("verify"),
                logs: try entry.required("logs"), notes: table["notes"]?.strings ?? [], origin: path)
        }
    }
}
