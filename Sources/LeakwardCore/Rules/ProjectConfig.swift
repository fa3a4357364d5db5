/// A project's `.leakward.toml`: extra rules, disabled rules, allowlists, severity overrides
/// and the CI threshold. Unknown keys are errors that name the key and its line.
public struct ProjectConfig: Sendable, Equatable {
    public var extraRulePaths: [String] = []
    public var disabledRules: [String] = []
    public var allowlistPaths: [String] = []
    public var allowlistRegexes: [String] = []
    /// Per-rule allowlist regexes on the secret: rule id → regexes.
    public var ruleAllowlists: [String: [String]] = [:]
    public var severityOverrides: [String: Severity] = [:]
    /// Findings below this severity do not fail `leakward ci` / the exit code.
    public var failOn: Severity = .low

    public init() {}

    static let schema: [String: Set<String>] = [
        "rules": ["extra", "disabled"],
        "allowlist": ["paths", "regexes", "rules"],
        "severity": [],
        "ci": ["fail_on"],
    ]

    public static func parse(_ text: String, path: String) throws -> ProjectConfig {
        let document = try TOMLReader.parse(text, path: path)
        var config = ProjectConfig()
        for (section, value) in document {
            guard let allowed = schema[section], let table = value.table else {
                throw unknown(section, in: text, path: path)
            }
            if section == "severity" {
                for (rule, level) in table {
                    guard let name = level.string, let severity = Severity(name: name) else {
                        throw RuleError.badValue(path: path, rule: "[severity]", key: rule, message: "expected info, low, medium, high or critical")
                    }
                    config.severityOverrides[rule] = severity
                }
                continue
            }
            for key in table.keys where !allowed.contains(key) { throw unknown("\(section).\(key)", in: text, path: path) }
            switch section {
            case "rules":
                config.extraRulePaths = table["extra"]?.strings ?? []
                config.disabledRules = table["disabled"]?.strings ?? []
            case "allowlist":
                config.allowlistPaths = table["paths"]?.strings ?? []
                config.allowlistRegexes = table["regexes"]?.strings ?? []
                for (rule, value) in table["rules"]?.table ?? [:] { config.ruleAllowlists[rule] = value.strings ?? [] }
            case "ci":
                if let name = table["fail_on"]?.string {
                    guard let severity = Severity(name: name) else {
                        throw RuleError.badValue(path: path, rule: "[ci]", key: "fail_on", message: "expected info, low, medium, high or critical")
                    }
                    config.failOn = severity
                }
            default: break
            }
        }
        return config
    }

    private static func unknown(_ key: String, in text: String, path: String) -> RuleError {
        let last = key.split(separator: ".").last.map(String.init) ?? key
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
            $0.trimmingPrefix(" ").hasPrefix(last) || $0.contains("[\(last)]")
        }.map { $0 + 1 } ?? 0
        return .syntax(path: path, line: line, message: "unknown key '\(key)'")
    }

    /// Applies disabled rules, per-rule allowlists and severity overrides to `ruleSet`.
    public func apply(to ruleSet: RuleSet) throws -> RuleSet {
        var rules = ruleSet.removing(ids: Set(disabledRules)).rules
        for i in rules.indices {
            rules[i].allowlist += ruleAllowlists[rules[i].id] ?? []
            if let severity = severityOverrides[rules[i].id] { rules[i].severity = severity }
        }
        return try RuleSet(rules: rules)
    }
}
