/// What frameworks make public, as written in `rules/frameworks/public-config.toml`: public
/// variable prefixes and config blocks whose values are inlined into client code.
public struct PublicConfigRules: Sendable {
    public struct Prefix: Sendable, Hashable {
        public var prefix: String
        public var framework: String
    }

    /// A config block that a framework inlines or ships to clients.
    public struct Block: Sendable, Hashable, Codable {
        public var framework: String
        /// File names; a trailing `*` matches any ending.
        public var files: [String]
        /// Key path segments of the block, `*` for any one key.
        public var path: [String]
        /// Only keys with a public prefix inside the block are inlined.
        public var isPrefixedOnly: Bool
        /// The rest of the evidence sentence after "`key` in `file`".
        public var says: String

        public func applies(toFileNamed name: String) -> Bool {
            files.contains { $0.hasSuffix("*") ? name.hasPrefix($0.dropLast()) : name == $0 }
        }
    }

    public var prefixes: [Prefix]
    public var blocks: [Block]

    public static let path = "rules/frameworks/public-config.toml"

    /// The rules compiled into the binary.
    public static let builtIn = BundledRules.catalogue(at: path) { try parse($0, path: $1) }

    public static func parse(_ text: String, path: String) throws -> PublicConfigRules {
        let document = try TOMLReader.parse(text, path: path)
        for key in document.keys where key != "prefix" && key != "config" {
            throw RuleError.unknownKey(path: path, rule: "file", key: key)
        }
        func tables(_ key: String, allowed: Set<String>) throws -> [[String: TOMLValue]] {
            try (document[key]?.array ?? []).enumerated().map { index, value in
                guard let table = value.table else {
                    throw RuleError.badValue(path: path, rule: "\(key) #\(index + 1)", key: key, message: "expected a table")
                }
                for name in table.keys where !allowed.contains(name) {
                    throw RuleError.unknownKey(path: path, rule: "\(key) #\(index + 1)", key: name)
                }
                for name in allowed where table[name] == nil {
                    throw RuleError.missingKey(path: path, rule: "\(key) #\(index + 1)", key: name)
                }
                return table
            }
        }
        let prefixes = try tables("prefix", allowed: ["prefix", "framework"]).map {
            Prefix(prefix: $0["prefix"]?.string ?? "", framework: $0["framework"]?.string ?? "")
        }
        let blocks = try tables("config", allowed: ["framework", "files", "block", "prefixed_only", "says"]).map {
            Block(framework: $0["framework"]?.string ?? "", files: $0["files"]?.strings ?? [],
                  path: ($0["block"]?.string ?? "").split(separator: ".").map(String.init),
                  isPrefixedOnly: $0["prefixed_only"]?.bool ?? false, says: $0["says"]?.string ?? "")
        }
        // Longest first, so `NEXT_PUBLIC_` wins over `PUBLIC_` whatever the file's order.
        return PublicConfigRules(prefixes: prefixes.sorted { $0.prefix.count > $1.prefix.count }, blocks: blocks)
    }
}
