/// Which frameworks Leakward recognises and where their builds put what ships, as written in
/// `rules/frameworks/build-output.toml`. The working-tree walk consults it (`ShippedOutput`)
/// to read git-ignored build output; nothing here is a hard-coded list.
public struct BuildOutputRules: Sendable {
    /// How a framework is recognised and where its output and caches are.
    public struct Framework: Sendable {
        public var id: String
        public var name: String
        public var configFiles: [String]
        public var dependencies: [String]
        public var scripts: [String]
        public var manifests: [String]
        /// Output folders (relative to the project, `*` for one folder) served to browsers.
        public var client: [String]
        /// Output folders that stay on the server.
        public var server: [String]
        public var caches: [String]
        public var sourceMaps: [SourceMapSetting]
    }

    /// A build-config setting that decides whether client source maps are served.
    public struct SourceMapSetting: Sendable, Hashable {
        /// Text the config holds once spaces and quotes are removed (`sourcemap:hidden`).
        public var contains: String
        /// `served`, `hidden` (written without a `sourceMappingURL` comment) or `off`.
        public var says: String
        /// The setting as a person writes it, for the evidence sentence.
        public var setting: String
    }

    public var frameworks: [Framework]
    /// Folder names that hold dependencies or caches, never what ships.
    public var cacheDirectories: Set<String>

    static let frameworkKeys: Set<String> = ["id", "name", "config_files", "dependencies", "scripts", "manifests",
                                             "client", "server", "caches", "source_maps"]

    /// The rules compiled into the binary.
    public static let builtIn = BundledRules.catalogue(at: path) { try parse($0, path: $1) }

    public static let path = "rules/frameworks/build-output.toml"

    public static func parse(_ text: String, path: String) throws -> BuildOutputRules {
        let document = try TOMLReader.parse(text, path: path)
        for key in document.keys where key != "framework" && key != "caches" {
            throw RuleError.unknownKey(path: path, rule: "file", key: key)
        }
        let caches = Set(document["caches"]?.table?["directories"]?.strings ?? [])
        var frameworks: [Framework] = []
        for (index, entry) in (document["framework"]?.array ?? []).enumerated() {
            guard let table = entry.table else {
                throw RuleError.badValue(path: path, rule: "#\(index + 1)", key: "framework", message: "expected a table")
            }
            let label = table["id"]?.string ?? "#\(index + 1)"
            for key in table.keys where !frameworkKeys.contains(key) { throw RuleError.unknownKey(path: path, rule: label, key: key) }
            guard let id = table["id"]?.string, let name = table["name"]?.string else {
                throw RuleError.missingKey(path: path, rule: label, key: table["id"] == nil ? "id" : "name")
            }
            let settings = try (table["source_maps"]?.array ?? []).map { value -> SourceMapSetting in
                guard let setting = value.table, let contains = setting["contains"]?.string, let says = setting["says"]?.string,
                      ["served", "hidden", "off"].contains(says) else {
                    throw RuleError.badValue(path: path, rule: label, key: "source_maps",
                                             message: "each entry needs contains, says (served, hidden or off) and setting")
                }
                return SourceMapSetting(contains: contains, says: says, setting: setting["setting"]?.string ?? contains)
            }
            frameworks.append(Framework(
                id: id, name: name, configFiles: table["config_files"]?.strings ?? [],
                dependencies: table["dependencies"]?.strings ?? [], scripts: table["scripts"]?.strings ?? [],
                manifests: table["manifests"]?.strings ?? [], client: table["client"]?.strings ?? [],
                server: table["server"]?.strings ?? [], caches: table["caches"]?.strings ?? [], sourceMaps: settings))
        }
        return BuildOutputRules(frameworks: frameworks, cacheDirectories: caches)
    }
}
