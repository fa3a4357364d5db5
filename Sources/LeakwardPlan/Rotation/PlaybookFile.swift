import LeakwardModel
import LeakwardRules

/// Turns one `rules/rotation/*.toml` file into playbooks. Unknown keys are errors, so a typo
/// never silently drops a step.
public enum PlaybookFile {
    public static let keys: Set<String> = [
        "id", "providers", "rules", "category", "blast_radius", "revoke", "revoke_api", "replace", "verify", "logs", "notes",
    ]

    public static func playbooks(fromTOML text: String, path: String) throws -> [Playbook] {
        let document = try TOMLReader.parse(text, path: path)
        for key in document.keys where key != "playbook" {
            throw RuleError.unknownKey(path: path, rule: "file", key: key)
        }
        guard let entries = document["playbook"]?.array else { return [] }
        return try entries.enumerated().map { index, entry in
            guard let table = entry.table else {
                throw RuleError.badValue(path: path, rule: "#\(index + 1)", key: "playbook", message: "expected a table")
            }
            let label = table["id"]?.string ?? "#\(index + 1)"
            for key in table.keys where !keys.contains(key) {
                throw RuleError.unknownKey(path: path, rule: label, key: key)
            }
            func required(_ key: String) throws -> String {
                guard let value = table[key]?.string, !value.isEmpty else {
                    throw RuleError.missingKey(path: path, rule: label, key: key)
                }
                return value
            }
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
                id: try required("id"), providers: providers, rulePrefixes: prefixes,
                category: providers.isEmpty && prefixes.isEmpty ? category : nil,
                blastRadius: try required("blast_radius"), revoke: try required("revoke"),
                revokeAPI: table["revoke_api"]?.string, replace: try required("replace"), verify: try required("verify"),
                logs: try required("logs"), notes: table["notes"]?.strings ?? [], origin: path)
        }
    }
}
