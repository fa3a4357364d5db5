import Foundation
import LeakwardModel
import LeakwardRules

/// What kind of place a location is: production code and config, or a test, fixture, example,
/// documentation, vendored or generated file. Judged from the path by the signals in
/// `rules/context/locations.toml` (data, not code); commit messages count as documentation.
/// Other checks that should keep to production code ask `LocationContext.of(origin:members:)`.
public enum LocationContext: String, Sendable, Codable, CaseIterable, Comparable {
    case production, test, fixture, example, documentation, vendored, generated

    /// Where a file at `path` (relative to the scanned root) sits, by the bundled catalogue.
    public static func of(path: String) -> LocationContext { LocationCatalog.bundled.context(of: path) }

    /// Where a blob sits: a commit message is documentation; a file or history blob is judged
    /// by its path relative to the root and the names of the archive members it is read through;
    /// a blob no commit holds has no path and counts as production.
    public static func of(origin: Origin, members: [String] = []) -> LocationContext {
        switch origin {
        case .commitMessage: return .documentation
        case .unreachableBlob:
            if let context = LocationCatalog.bundled.context(ofRoot: origin.root) { return context }
            return members.isEmpty ? .production : of(path: members.joined(separator: "/"))
        case .file, .history:
            if let context = LocationCatalog.bundled.context(ofRoot: origin.root) { return context }
            return of(path: ([origin.path] + members).joined(separator: "/"))
        }
    }

    /// Everything but production: a name-and-entropy finding here is an illustration, not a
    /// configuration, until a format check says otherwise.
    public var isQuiet: Bool { self != .production }

    /// How the report names the place ("a test file").
    public var phrase: String {
        switch self {
        case .production: "production code"
        case .test: "a test file"
        case .fixture: "a test fixture"
        case .example: "an example or template"
        case .documentation: "documentation"
        case .vendored: "vendored third-party code"
        case .generated: "a generated file"
        }
    }

    public static func < (lhs: LocationContext, rhs: LocationContext) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The path signals of every non-production context, in the order they are tried.
public struct LocationCatalog: Sendable {
    struct Signals: Sendable {
        var context: LocationContext
        var directories: Set<String> = []
        var directoryPrefixes: [String] = []
        var names: Set<String> = []
        var nameExtensions: [String] = []
        var prefixes: [String] = []
        var suffixes: [String] = []
        var infixes: [String] = []
        /// Folders that make a whole scan root this context when the root sits inside one
        /// (`leakward scan …/site-packages`: every file below is a dependency's).
        var rootDirectories: Set<String> = []
    }

    let entries: [Signals]

    /// The catalogue in `rules/context/`, parsed once. Its tests keep it valid.
    public static let bundled: LocationCatalog = {
        let files = BundledRules.files.filter { $0.path.hasPrefix("rules/context/") }
        do {
            return LocationCatalog(entries: try files.flatMap { try parse($0.text, path: $0.path) })
        } catch {
            preconditionFailure("bundled location catalogue: \(error)")
        }
    }()

    public init(toml text: String, path: String) throws {
        entries = try LocationCatalog.parse(text, path: path)
    }

    init(entries: [Signals]) { self.entries = entries }

    static let keys: Set<String> = ["kind", "directories", "directory_prefixes", "names", "name_extensions", "prefixes", "suffixes", "infixes", "root_directories"]

    static func parse(_ text: String, path: String) throws -> [Signals] {
        let document = try TOMLReader.parse(text, path: path)
        for key in document.keys where key != "context" { throw RuleError.unknownKey(path: path, rule: "file", key: key) }
        return try (document["context"]?.array ?? []).enumerated().map { index, value in
            guard let table = value.table else {
                throw RuleError.badValue(path: path, rule: "#\(index + 1)", key: "context", message: "expected a table")
            }
            let label = table["kind"]?.string ?? "#\(index + 1)"
            for key in table.keys where !keys.contains(key) { throw RuleError.unknownKey(path: path, rule: label, key: key) }
            guard let kind = table["kind"]?.string.flatMap(LocationContext.init(rawValue:)), kind != .production else {
                throw RuleError.badValue(path: path, rule: label, key: "kind", message: "expected a non-production location context")
            }
            func list(_ key: String) -> [String] { (table[key]?.strings ?? []).map { $0.lowercased() } }
            return Signals(context: kind, directories: Set(list("directories")), directoryPrefixes: list("directory_prefixes"),
                           names: Set(list("names")),
                           nameExtensions: list("name_extensions"), prefixes: list("prefixes"), suffixes: list("suffixes"),
                           infixes: list("infixes"), rootDirectories: Set(list("root_directories")))
        }
    }

    /// The context a whole scan root has because it sits inside a folder such as
    /// `site-packages` or `node_modules` (made absolute from the current directory when
    /// relative), or nil when its place says nothing. Relative paths below the root are judged
    /// by `context(of:)`.
    public func context(ofRoot root: String) -> LocationContext? {
        guard entries.contains(where: { !$0.rootDirectories.isEmpty }) else { return nil }
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        let components = absolute.lowercased().split(separator: "/").map(String.init)
        return entries.first { signals in components.contains(where: signals.rootDirectories.contains) }?.context
    }

    /// The first context whose signals match `path` (case-insensitive), or production.
    public func context(of path: String) -> LocationContext {
        let lower = path.lowercased()
        var components = lower.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let name = components.popLast() ?? lower
        for signals in entries {
            if components.contains(where: { component in
                signals.directories.contains(component) || signals.directoryPrefixes.contains { component.hasPrefix($0) }
            }) { return signals.context }
            if signals.names.contains(name)
                || signals.nameExtensions.contains(where: { name.hasSuffix($0) && signals.names.contains(String(name.dropLast($0.count))) }) {
                return signals.context
            }
            if signals.prefixes.contains(where: { name.hasPrefix($0) }) { return signals.context }
            if signals.suffixes.contains(where: { name.hasSuffix($0) && name.count > $0.count }) { return signals.context }
            if signals.infixes.contains(where: { name.contains($0) }) { return signals.context }
        }
        return .production
    }
}
