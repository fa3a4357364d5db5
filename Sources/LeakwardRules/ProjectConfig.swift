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
        "allowlist": ["paths", "regexes", "rules"],
        "severity": [],
        "ci": ["fail_on"],
    ]

    public static func parse(_ text: String, path: String) throws -> ProjectConfig {
        let document = try TOMLReader.parse(text, path: path)
        let lines = KeyLines(text)
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

/// Finds the line a dotted key (`section`, `section.key`, `allowlist.rules.some.id`) is written
/// on, following `[table]` headers, dotted keys and quoted keys. Good enough for messages; the
/// TOML library has already checked the syntax.
struct KeyLines {
    /// (line number, full dotted path of the key or header defined there).
    private var entries: [(line: Int, path: [String])] = []

    init(_ text: String) {
        var table: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[") {
                let isArray = line.hasPrefix("[[")
                let inner = line.dropFirst(isArray ? 2 : 1).prefix { $0 != "]" }
                table = KeyLines.splitKey(inner)
                entries.append((index + 1, table))
                continue
            }
            guard let equals = KeyLines.assignment(in: line) else { continue }
            let key = table + KeyLines.splitKey(line[..<equals])
            entries.append((index + 1, key))
            // Keys of an inline table (`rules = { "a.b" = [...] }`) are recorded under it.
            let value = line[line.index(after: equals)...].drop { $0 == " " }
            if value.hasPrefix("{") {
                var rest = value.dropFirst()
                while let eq = KeyLines.assignment(in: rest) {
                    entries.append((index + 1, key + KeyLines.splitKey(rest[..<eq])))
                    guard let comma = rest[eq...].firstIndex(where: { $0 == "," }) else { break }
                    rest = rest[rest.index(after: comma)...]
                }
            }
        }
    }

    /// 1-based line of the key path `wanted` (or of its closest written parent), 0 when not found.
    func line(of wanted: [String]) -> Int {
        for length in stride(from: wanted.count, through: 1, by: -1) {
            let prefix = Array(wanted.prefix(length))
            if let entry = entries.first(where: { $0.path == prefix }) { return entry.line }
        }
        // A section written only as dotted keys (`ci.fail_on = ...` at the top level).
        return entries.first { $0.path.first == wanted.first }?.line ?? 0
    }

    /// Splits `a."b.c".d` into ["a", "b.c", "d"].
    static func splitKey(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character? = nil
        for char in text {
            if let q = quote {
                if char == q { quote = nil } else { current.append(char) }
            } else if char == "\"" || char == "'" {
                quote = char
            } else if char == "." {
                parts.append(current.trimmingSpaces())
                current = ""
            } else {
                current.append(char)
            }
        }
        parts.append(current.trimmingSpaces())
        return parts.filter { !$0.isEmpty }
    }

    /// The index of the `=` of `key = value`, outside quotes.
    static func assignment(in line: Substring) -> Substring.Index? {
        var quote: Character? = nil
        for index in line.indices {
            let char = line[index]
            if let q = quote {
                if char == q { quote = nil }
            } else if char == "\"" || char == "'" {
                quote = char
            } else if char == "=" {
                return index
            } else if char == "[" || char == "{" || char == "#" {
                return nil
            }
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
