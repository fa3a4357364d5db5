import Foundation

/// The rules of one scan: the built-in catalogue, plus or minus the user's files and config.
public struct RuleSet: Sendable {
    public private(set) var rules: [Rule]

    public init(rules: [Rule]) throws {
        var seen = Set<String>()
        for rule in rules where !seen.insert(rule.id).inserted { throw RuleError.duplicateID(rule.id) }
        self.rules = rules.sorted { $0.id < $1.id }
    }

    /// The catalogue compiled into the binary from `rules/*.toml`.
    public static func builtIn() throws -> RuleSet {
        try RuleSet(rules: BundledRules.files.filter { !$0.path.hasPrefix("rules/rotation/") && !$0.path.hasPrefix("rules/frameworks/") && !$0.path.hasPrefix("rules/checks/") && !$0.path.hasPrefix("rules/verify/") && !$0.path.hasPrefix("rules/context/") }.flatMap { try RuleFile.rules(fromTOML: $0.text, path: $0.path) })
    }

    /// The built-in rules with the `*.toml` files of `directories` layered on top: a rule with
    /// an id already present replaces it, a new id is added.
    public static func builtIn(addingFilesIn directories: [String]) throws -> RuleSet {
        try builtIn(try builtIn(), addingFilesIn: directories)
    }

    /// The same over built-in rules already parsed (`builtIn()`).
    public static func builtIn(_ base: RuleSet, addingFilesIn directories: [String]) throws -> RuleSet {
        guard !directories.isEmpty else { return base }
        var byID = Dictionary(uniqueKeysWithValues: base.rules.map { ($0.id, $0) })
        for directory in directories {
            for path in try tomlFiles(in: directory) {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                let fileRules = try RuleFile.rules(fromTOML: text, path: path)
                var fileIDs = Set<String>()
                for rule in fileRules {
                    guard fileIDs.insert(rule.id).inserted else { throw RuleError.duplicateID(rule.id) }
                    byID[rule.id] = rule
                }
            }
        }
        return try RuleSet(rules: Array(byID.values))
    }

    /// Drops the rules whose ids are listed.
    public func removing(ids: Set<String>) -> RuleSet {
        var copy = self
        copy.rules.removeAll { ids.contains($0.id) }
        return copy
    }

    /// Adds rules (from a gitleaks config, say); an existing id is replaced.
    public func merging(_ extra: [Rule]) throws -> RuleSet {
        let extraIDs = Set(extra.map(\.id))
        return try RuleSet(rules: rules.filter { !extraIDs.contains($0.id) } + extra)
    }

    public subscript(id: String) -> Rule? { rules.first { $0.id == id } }

    private static func tomlFiles(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw RuleError.badValue(path: directory, rule: "--rules", key: "path", message: "no such file or directory")
        }
        if !isDirectory.boolValue { return [directory] }
        let names = try FileManager.default.subpathsOfDirectory(atPath: directory)
        return names.filter { $0.hasSuffix(".toml") && !$0.hasPrefix("rotation/") && !$0.hasPrefix("frameworks/") && !$0.hasPrefix("checks/") && !$0.hasPrefix("context/") }.sorted().map { directory + "/" + $0 }
    }
}

extension RuleSet {
    /// Keywords of the rules whose matches may span more than `margin` bytes across lines (a
    /// blob holding one is matched whole in history scans), or nil when such a rule has no
    /// keyword, so no blob may be matched only where it changed.
    public func longMatchKeywords(beyond margin: Int) -> [String]? {
        var keywords: [String] = []
        for rule in rules where (rule.maxLength ?? 0) > margin {
            if rule.keywords.isEmpty { return nil }
            keywords += rule.keywords
        }
        return keywords
    }
}
