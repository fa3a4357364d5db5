import LeakwardModel

/// One config check from `rules/checks/*.toml`: a mistake that is not itself a credential but
/// lets one leak at run time (a key in a prompt, a logged header, TLS verification off).
public struct ConfigCheck: Sendable, Hashable {
    public var id: String
    /// The stable kind reported (`secret-in-prompt`, `logs-secret`...): one of the config kinds of `FindingKind`.
    public var kind: FindingKind
    /// Severity in production code and config; tests, examples and docs get `info`.
    public var severity: Severity
    public var title: String
    /// Globs over the path relative to the scan root; a glob without `/` matches the file name.
    public var files: [String]
    /// Only in production env files and deploy configs (`.env.production`, manifests).
    public var isProductionOnly: Bool
    /// PCRE2 pattern; the problem is reported where the match starts (after any `\K`).
    public var pattern: String?
    /// A built-in structural test instead of a pattern (see `ConfigCheck.structuralTests`).
    public var test: String?
    /// Case-insensitive prefilter: the pattern runs only on files holding one of them.
    public var keywords: [String]
    /// The match is only a problem when a secret finding, or a `secret_reference` match, lies
    /// inside it; the problem is reported at the first one.
    public var requiresSecret: Bool
    /// Pattern for a reference to a server-only env variable (`process.env.OPENAI_API_KEY`);
    /// group 1, when present, is the variable's name.
    public var secretReference: String?
    /// Words every `secret_reference` match holds (`process.env`): a file with no secret finding
    /// and none of them is passed over without running the pattern.
    public var referenceKeywords: [String] = []
    /// One line: why it matters.
    public var why: String
    /// One line: how to fix it.
    public var fix: String
    public var examples: [String]
    public var negativeExamples: [String]
    public var origin: String

    /// Tests written in Swift because they need more than one file's text: whether git tracks
    /// it, whether it is served. Their metadata, scope and examples are still data.
    public static let structuralTests: Set<String> = ["tracked-env-file", "shipped-source-map", "weak-secret"]
}

/// The config checks of one scan, read from `rules/checks/*.toml`.
public struct ConfigCheckSet: Sendable {
    public private(set) var checks: [ConfigCheck]

    public init(checks: [ConfigCheck]) throws {
        var seen = Set<String>()
        for check in checks where !seen.insert(check.id).inserted { throw RuleError.duplicateID(check.id) }
        self.checks = checks.sorted { $0.id < $1.id }
    }

    public static let empty = try! ConfigCheckSet(checks: [])

    /// The checks compiled into the binary from `rules/checks/*.toml`.
    public static func builtIn() throws -> ConfigCheckSet {
        try ConfigCheckSet(checks: BundledRules.files.filter { $0.path.hasPrefix("rules/checks/") }
            .flatMap { try ConfigCheckFile.checks(fromTOML: $0.text, path: $0.path) })
    }

    public subscript(id: String) -> ConfigCheck? { checks.first { $0.id == id } }

    /// The check that reports `kind` through a structural test (`tracked-env-file`...).
    public func structural(_ test: String) -> ConfigCheck? { checks.first { $0.test == test } }
}

/// Turns one `rules/checks/*.toml` file into checks. Unknown keys are errors, as for rules.
public enum ConfigCheckFile {
    public static let keys: Set<String> = [
        "id", "kind", "severity", "title", "files", "production_only", "pattern", "test", "keywords",
        "requires_secret", "secret_reference", "reference_keywords", "why", "fix", "examples", "negative_examples",
    ]

    public static func checks(fromTOML text: String, path: String) throws -> [ConfigCheck] {
        try DataTable.tables(named: "check", knownKeys: keys, fromTOML: text, path: path).map(check)
    }

    private static func check(from entry: DataTable) throws -> ConfigCheck {
        let table = entry.values, label = entry.label, path = entry.path
        let kindName = try entry.required("kind")
        guard let kind = FindingKind(rawValue: kindName), kind.isConfigProblem || kind == .weakSecret else {
            throw RuleError.badValue(path: path, rule: label, key: "kind", message: "unknown config kind '\(kindName)'")
        }
        let severityName = try entry.required("severity")
        guard let severity = Severity(name: severityName) else {
            throw RuleError.badValue(path: path, rule: label, key: "severity", message: "unknown severity '\(severityName)'")
        }
        let pattern = table["pattern"]?.string
        let test = table["test"]?.string
        if (pattern == nil) == (test == nil) {
            throw RuleError.badValue(path: path, rule: label, key: "pattern", message: "give exactly one of 'pattern' and 'test'")
        }
        if let test, !ConfigCheck.structuralTests.contains(test) {
            throw RuleError.badValue(path: path, rule: label, key: "test", message: "unknown structural test '\(test)'")
        }
        var check = ConfigCheck(
            id: try entry.required("id"), kind: kind, severity: severity, title: try entry.required("title"),
            files: table["files"]?.strings ?? [], isProductionOnly: table["production_only"]?.bool ?? false,
            pattern: pattern, test: test, keywords: table["keywords"]?.strings ?? [],
            requiresSecret: table["requires_secret"]?.bool ?? false, secretReference: table["secret_reference"]?.string,
            why: try entry.required("why"), fix: try entry.required("fix"),
            examples: table["examples"]?.strings ?? [], negativeExamples: table["negative_examples"]?.strings ?? [],
            origin: path)
        check.referenceKeywords = table["reference_keywords"]?.strings ?? []
        if check.secretReference != nil, check.referenceKeywords.isEmpty {
            throw RuleError.missingKey(path: path, rule: label, key: "reference_keywords")
        }
        return check
    }
}
