import LeakwardModel

/// Turns one `rules/*.toml` file into rules. Unknown keys are errors, so a typo never
/// silently disables a gate.
public enum RuleFile {
    static let ruleKeys: Set<String> = [
        "id", "name", "description", "category", "provider", "severity", "pattern", "secret_group", "keywords",
        "min_entropy", "max_length", "keyword_lead", "allowlist", "public_by_design", "test_key", "weak_check", "hardcoded_fallback", "password_hash", "own_format", "uuid_value", "decoder", "validator", "examples",
        "negative_examples", "companion", "companion_lines", "companion_min_entropy", "unpaired_note", "paired_severity",
        "companion_rule", "path", "example_path",
    ]

    /// Parses `text` (the contents of `path`). A file without `[[rule]]` tables gives no rules.
    public static func rules(fromTOML text: String, path: String) throws -> [Rule] {
        try DataTable.tables(named: "rule", knownKeys: ruleKeys, fromTOML: text, path: path).map(rule)
    }

    private static func rule(from entry: DataTable) throws -> Rule {
        let table = entry.values, label = entry.label, path = entry.path
        let categoryName = try entry.required("category")
        guard let category = SecretCategory(rawValue: categoryName) else {
            throw RuleError.badValue(path: path, rule: label, key: "category", message: "unknown category '\(categoryName)'")
        }
        let severityName = try entry.required("severity")
        guard let severity = Severity(name: severityName) else {
            throw RuleError.badValue(path: path, rule: label, key: "severity", message: "unknown severity '\(severityName)'")
        }
        var validator: ValidatorKind?
        if let name = table["validator"]?.string {
            guard let kind = ValidatorKind(rawValue: name) else {
                throw RuleError.badValue(path: path, rule: label, key: "validator", message: "unknown validator '\(name)'")
            }
            validator = kind
        }
        var rule = Rule(
            id: try entry.required("id"),
            name: table["name"]?.string ?? table["description"]?.string ?? label,
            category: category,
            provider: try entry.required("provider"),
            severity: severity,
            pattern: try entry.required("pattern"),
            secretGroup: table["secret_group"]?.int ?? 1,
            keywords: table["keywords"]?.strings ?? [],
            minEntropy: table["min_entropy"]?.number ?? 0,
            allowlist: table["allowlist"]?.strings ?? [],
            isPublicByDesign: table["public_by_design"]?.bool ?? false,
            isTestKey: table["test_key"]?.bool ?? false,
            checksWeakness: table["weak_check"]?.bool ?? false,
            validator: validator,
            examples: table["examples"]?.strings ?? [],
            negativeExamples: table["negative_examples"]?.strings ?? [],
            origin: path)
        rule.maxLength = table["max_length"]?.int
        // A shape that is what it is only in one kind of file (a Maps key in `gradle.properties`):
        // `path` restricts the rule to files whose path matches, and its examples are judged as
        // lines of `example_path`, which must match it.
        rule.pathPattern = table["path"]?.string
        rule.examplePath = table["example_path"]?.string
        if (rule.pathPattern == nil) != (rule.examplePath == nil) {
            throw RuleError.badValue(path: path, rule: label, key: "path", message: "path and example_path go together")
        }
        rule.keywordLead = table["keyword_lead"]?.int
        if let lead = rule.keywordLead, lead < 0 || rule.keywords.isEmpty {
            throw RuleError.badValue(path: path, rule: label, key: "keyword_lead",
                                     message: "keyword_lead needs keywords and is a byte count of 0 or more")
        }
        rule.isHardcodedFallback = table["hardcoded_fallback"]?.bool ?? false
        rule.requiredDecoder = table["decoder"]?.string
        rule.isPasswordHash = table["password_hash"]?.bool ?? false
        rule.hasOwnFormat = table["own_format"]?.bool ?? false
        rule.isUUIDValue = table["uuid_value"]?.bool ?? false
        rule.companion = table["companion"]?.string
        rule.companionLines = table["companion_lines"]?.int ?? 5
        rule.companionMinEntropy = table["companion_min_entropy"]?.number ?? 0
        rule.unpairedNote = table["unpaired_note"]?.string
        rule.companionRule = table["companion_rule"]?.string
        if let name = table["paired_severity"]?.string {
            guard let value = Severity(name: name) else {
                throw RuleError.badValue(path: path, rule: label, key: "paired_severity", message: "unknown severity '\(name)'")
            }
            rule.pairedSeverity = value
        }
        if rule.companion == nil, table["companion_lines"] != nil || table["unpaired_note"] != nil || table["companion_min_entropy"] != nil
            || table["paired_severity"] != nil || table["companion_rule"] != nil {
            throw RuleError.badValue(path: path, rule: label, key: "companion", message: "companion_lines, companion_min_entropy, unpaired_note, paired_severity and companion_rule need a companion pattern")
        }
        return rule
    }
}
