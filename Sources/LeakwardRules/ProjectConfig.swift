import LeakwardModel
import LeakwardSupport

/// A project's `.leakward.toml`: extra rules, disabled rules, allowlists, severity overrides
/// and the CI threshold. Unknown keys, values of the wrong type and rule ids that do not exist
/// are errors that name the key and its line: a typo must never silently allow a secret.
public struct ProjectConfig: Sendable, Equatable {
    public var extraRulePaths: [String] = []
    public var disabledRules: [String] = []
    public var allowlistPaths: [String] = []
    public var allowlistRegexes: [String] = []
    /// `[allowlist] unreachable = true`: sightings only in objects no ref reaches (a force-pushed
    /// branch, a dropped pull request, a stash) are allowed. They have no path to name.
    public var allowsUnreachable = false
    /// `[allowlist] objects`: commit or blob ids (40 hex digits, or a prefix of at least 7)
    /// whose sightings are allowed: a blob's, a commit's message, or the commit provenance names.
    public var allowlistObjects: [String] = []
    /// Per-rule allowlist regexes on the secret: rule id → regexes.
    public var ruleAllowlists: [String: [String]] = [:]
    public var severityOverrides: [String: Severity] = [:]
    /// Findings below this severity do not fail `leakward ci` / the exit code.
    public var failOn: Severity = .low
    /// Every rule id the config names, with where, so `apply` can refuse ids that do not exist.
    var ruleReferences: [RuleReference] = []
    public var path = ""

    struct RuleReference: Sendable, Equatable {
        var section: String
        var id: String
        var line: Int
    }

    public init() {}

    /// Why a config file was refused: `path:line: message`.
    public struct ConfigError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var message: String
        public var description: String { line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)" }
    }

    public static let schema: [String: Set<String>] = [
        "rules": ["extra", "disabled"],
        "allowlist": ["paths", "regexes", "rules", "unreachable", "objects"],
        "severity": [],
        "ci": ["fail_on"],
    ]

    public static func parse(_ text: String, path: String) throws -> ProjectConfig {
        let parsed = try TOMLReader.parseDocument(text, path: path)
        let document = parsed.table, lines = parsed
        var config = ProjectConfig()
        config.path = path
        func fail(_ key: [String], _ message: String) -> ConfigError {
            ConfigError(path: path, line: lines.line(of: key), message: message)
        }
        func strings(_ table: [String: TOMLValue], _ section: String, _ key: String) throws -> [String] {
            guard let value = table[key] else { return [] }
            guard let array = value.array, let strings = value.strings, strings.count == array.count else {
                throw fail(section.split(separator: ".").map(String.init) + [key], "'\(section).\(key)' must be an array of strings")
            }
            return strings
        }
        func severity(_ value: TOMLValue, _ key: [String]) throws -> Severity {
            guard let name = value.string, let severity = Severity(name: name) else {
                throw fail(key, "'\(key.joined(separator: "."))' must be one of info, low, medium, high, critical")
            }
            return severity
        }
        // A regex that does not compile is refused here, where its file, line and key are known.
        func checkRegexes(_ patterns: [String], key: [String]) throws {
            for pattern in patterns {
                do {
                    _ = try Regex(pattern)
                } catch {
                    throw fail(key, "'\(key.joined(separator: "."))': invalid regex '\(pattern)': \(error)")
                }
            }
        }
        for section in document.keys.sorted() {
            guard let allowed = schema[section] else {
                throw fail([section], "unknown key '\(section)'; known sections are [\(schema.keys.sorted().joined(separator: "], ["))]")
            }
            guard let table = document[section]?.table else { throw fail([section], "'\(section)' must be a table") }
            if section == "severity" {
                for (rule, level) in table {
                    config.severityOverrides[rule] = try severity(level, ["severity", rule])
                    config.ruleReferences.append(RuleReference(section: "[severity]", id: rule, line: lines.line(of: ["severity", rule])))
                }
                continue
            }
            for key in table.keys.sorted() where !allowed.contains(key) {
                throw fail([section, key], "unknown key '\(section).\(key)'; [\(section)] takes \(allowed.sorted().joined(separator: ", "))")
            }
            switch section {
            case "rules":
                config.extraRulePaths = try strings(table, section, "extra")
                config.disabledRules = try strings(table, section, "disabled")
                for rule in config.disabledRules {
                    config.ruleReferences.append(RuleReference(section: "rules.disabled", id: rule, line: lines.line(of: ["rules", "disabled"])))
                }
            case "allowlist":
                config.allowlistPaths = try strings(table, section, "paths")
                config.allowlistRegexes = try strings(table, section, "regexes")
                try checkRegexes(config.allowlistRegexes, key: ["allowlist", "regexes"])
                if let value = table["unreachable"] {
                    guard let flag = value.bool else { throw fail(["allowlist", "unreachable"], "'allowlist.unreachable' must be true or false") }
                    config.allowsUnreachable = flag
                }
                config.allowlistObjects = try strings(table, section, "objects").map { $0.lowercased() }
                for id in config.allowlistObjects where !(7...40).contains(id.count) || !id.allSatisfy(\.isHexDigit) {
                    throw fail(["allowlist", "objects"], "'allowlist.objects': '\(id)' is not a commit or blob id (7 to 40 hex digits)")
                }
                if let rules = table["rules"] {
                    guard let perRule = rules.table else { throw fail(["allowlist", "rules"], "'allowlist.rules' must be a table of rule id = [regexes]") }
                    for rule in perRule.keys.sorted() {
                        config.ruleAllowlists[rule] = try strings(perRule, "allowlist.rules", rule)
                        try checkRegexes(config.ruleAllowlists[rule]!, key: ["allowlist", "rules", rule])
                        config.ruleReferences.append(RuleReference(section: "allowlist.rules", id: rule,
                                                                   line: lines.line(of: ["allowlist", "rules", rule])))
                    }
                }
            case "ci":
                if let value = table["fail_on"] { config.failOn = try severity(value, ["ci", "fail_on"]) }
            default: break
            }
        }
        return config
    }

    /// Applies disabled rules, per-rule allowlists and severity overrides to `ruleSet`. A rule id
    /// the set does not have is an error (a misspelt id would otherwise change nothing).
    /// Config check ids (`checks`) are known ids too: `apply(to:)` on the checks handles them.
    public func apply(to ruleSet: RuleSet, checks: ConfigCheckSet = .empty) throws -> RuleSet {
        let known = Set(ruleSet.rules.map(\.id) + checks.checks.map(\.id))
        for reference in ruleReferences.sorted(by: { $0.line < $1.line }) where !known.contains(reference.id) {
            throw ConfigError(path: path, line: reference.line,
                              message: "unknown rule id '\(reference.id)' in \(reference.section); `leakward rules list` shows the ids")
        }
        var rules = ruleSet.removing(ids: Set(disabledRules)).rules
        for i in rules.indices {
            rules[i].allowlist += ruleAllowlists[rules[i].id] ?? []
            if let severity = severityOverrides[rules[i].id] { rules[i].severity = severity }
        }
        return try RuleSet(rules: rules)
    }

    /// Disabled checks left out, severity overrides applied (`[rules] disabled`, `[severity]`
    /// name check ids as they name rule ids).
    public func apply(to checks: ConfigCheckSet) throws -> ConfigCheckSet {
        let disabled = Set(disabledRules)
        return try ConfigCheckSet(checks: checks.checks.filter { !disabled.contains($0.id) }.map { check in
            var check = check
            if let severity = severityOverrides[check.id] { check.severity = severity }
            return check
        })
    }
}
