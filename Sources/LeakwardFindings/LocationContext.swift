import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LeakwardModel
import LeakwardRules
import LeakwardSupport

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
        var directorySuffixes: [String] = []
        /// Infixes of a folder's name after its first character (`oauth2@v0.36.0`: Go's module
        /// cache names each module's folder `path@version`); a folder opening with one
        /// (`@vercel`, an npm scope) is not matched.
        var directoryInfixes: [String] = []
        /// Runs of folders (`web-inf/lib`), each stored as `/web-inf/lib/` to find in `/folders/`.
        var directoryPaths: [String] = []
        var names: Set<String> = []
        var nameExtensions: [String] = []
        var prefixes: [String] = []
        var suffixes: [String] = []
        var infixes: [String] = []
        /// Folders that make a whole scan root this context when the root sits inside one
        /// (`leakward scan …/site-packages`: every file below is a dependency's).
        var rootDirectories: Set<String> = []
        /// File name endings this context never claims, whatever its folders say (a notebook
        /// under `third_party/` is the project's own document, not a dependency's file).
        var excludedSuffixes: [String] = []
    }

    let entries: [Signals]
    /// Endings of compressed copies, judged by the name beneath (`[compression]`): `changelog.gz`
    /// is a changelog, `README.md.br` a readme.
    let compressionSuffixes: [String]
    /// Which configuration a production deploy reads (`[production]`).
    public let production: ProductionConfigSignals
    /// Programs named like tests that test nothing (`[scratch_scripts]`).
    public let scratch: ScratchScriptSignals
    /// Tests kept inside the file they test (`[test_modules]`).
    public let testModules: TestModuleSignals

    /// The catalogue in `rules/context/`, parsed once. Its tests keep it valid.
    public static let bundled: LocationCatalog = {
        let files = BundledRules.files.filter { $0.path.hasPrefix("rules/context/") && !LocationCatalog.otherCatalogues.contains($0.path) }
        do {
            let parsed = try files.map { try parse($0.text, path: $0.path) }
            return LocationCatalog(entries: parsed.flatMap(\.entries), production: parsed.compactMap(\.production).last ?? ProductionConfigSignals(),
                                   compressionSuffixes: parsed.flatMap(\.compressionSuffixes),
                                   scratch: parsed.compactMap(\.scratch).last ?? ScratchScriptSignals(),
                                   testModules: parsed.compactMap(\.testModules).last ?? TestModuleSignals())
        } catch {
            preconditionFailure("bundled location catalogue: \(error)")
        }
    }()

    /// The files beside it that say something else: what a value is (`ValueSignals`), whether
    /// a whole project is a training application (`TrainingApp`), not where a file sits.
    static let otherCatalogues: Set<String> = ["rules/context/values.toml", "rules/context/training.toml"]

    public init(toml text: String, path: String) throws {
        let parsed = try LocationCatalog.parse(text, path: path)
        entries = parsed.entries
        production = parsed.production ?? ProductionConfigSignals()
        compressionSuffixes = parsed.compressionSuffixes
        scratch = parsed.scratch ?? ScratchScriptSignals()
        testModules = parsed.testModules ?? TestModuleSignals()
    }

    init(entries: [Signals], production: ProductionConfigSignals = ProductionConfigSignals(), compressionSuffixes: [String] = [],
         scratch: ScratchScriptSignals = ScratchScriptSignals(), testModules: TestModuleSignals = TestModuleSignals()) {
        self.entries = entries
        self.production = production
        self.compressionSuffixes = compressionSuffixes
        self.scratch = scratch
        self.testModules = testModules
    }

    static let keys: Set<String> = ["kind", "directories", "directory_prefixes", "directory_suffixes", "directory_infixes", "directory_paths", "names", "name_extensions", "prefixes", "suffixes", "infixes", "root_directories", "excluded_suffixes"]

    static func parse(_ text: String, path: String) throws -> (entries: [Signals], production: ProductionConfigSignals?, compressionSuffixes: [String],
                                                               scratch: ScratchScriptSignals?, testModules: TestModuleSignals?) {
        let document = try TOMLReader.parse(text, path: path)
        for key in document.keys where !["context", "production", "compression", "scratch_scripts", "test_modules"].contains(key) {
            throw RuleError.unknownKey(path: path, rule: "file", key: key)
        }
        var compressionSuffixes: [String] = []
        if let value = document["compression"] {
            guard let table = value.table else {
                throw RuleError.badValue(path: path, rule: "compression", key: "compression", message: "expected a table")
            }
            for key in table.keys where key != "suffixes" { throw RuleError.unknownKey(path: path, rule: "compression", key: key) }
            compressionSuffixes = (table["suffixes"]?.strings ?? []).map { $0.lowercased() }
        }
        var production: ProductionConfigSignals?
        if let value = document["production"] {
            guard let table = value.table else {
                throw RuleError.badValue(path: path, rule: "production", key: "production", message: "expected a table")
            }
            production = try ProductionConfigSignals(table: table, path: path)
        }
        var scratch: ScratchScriptSignals?
        if let value = document["scratch_scripts"] {
            guard let table = value.table else {
                throw RuleError.badValue(path: path, rule: "scratch_scripts", key: "scratch_scripts", message: "expected a table")
            }
            scratch = try ScratchScriptSignals(table: table, path: path)
        }
        var testModules: TestModuleSignals?
        if let value = document["test_modules"] {
            guard let table = value.table else {
                throw RuleError.badValue(path: path, rule: "test_modules", key: "test_modules", message: "expected a table")
            }
            testModules = try TestModuleSignals(table: table, path: path)
        }
        let entries = try (document["context"]?.array ?? []).enumerated().map { index, value in
            guard let table = value.table else {
                throw RuleError.badValue(path: path, rule: "#\(index + 1)", key: "context", message: "expected a table")
            }
            let label = table["kind"]?.string ?? "#\(index + 1)"
            for key in table.keys where !keys.contains(key) { throw RuleError.unknownKey(path: path, rule: label, key: key) }
            // A production entry claims paths later entries would take (prompt templates named `.md`).
            guard let kind = table["kind"]?.string.flatMap(LocationContext.init(rawValue:)) else {
                throw RuleError.badValue(path: path, rule: label, key: "kind", message: "expected a location context")
            }
            func list(_ key: String) -> [String] { (table[key]?.strings ?? []).map { $0.lowercased() } }
            guard table.keys.contains(where: { $0 != "kind" }) else {
                throw RuleError.badValue(path: path, rule: label, key: "kind", message: "a context with no signals")
            }
            return Signals(context: kind, directories: Set(list("directories")), directoryPrefixes: list("directory_prefixes"),
                           directorySuffixes: list("directory_suffixes"), directoryInfixes: list("directory_infixes"),
                           directoryPaths: list("directory_paths").map { "/" + $0.trimmingCharacters(in: ["/"]) + "/" },
                           names: Set(list("names")),
                           nameExtensions: list("name_extensions"), prefixes: list("prefixes"), suffixes: list("suffixes"),
                           infixes: list("infixes"), rootDirectories: Set(list("root_directories")),
                           excludedSuffixes: list("excluded_suffixes"))
        }
        return (entries, production, compressionSuffixes, scratch, testModules)
    }

    /// Whether `path` is a test by its file name alone: the same name's folders, holding a file
    /// no signal claims, are production (`test_azure.py` at the top, `unfinished/x/test.py`),
    /// where `tests/test_x.py` is a test by its folder too.
    public func isTestByNameOnly(_ path: String) -> Bool {
        guard context(of: path) == .test else { return false }
        let folders = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        return context(of: (folders + ["file"]).joined(separator: "/")) == .production
    }

    /// Whether the file at `path`, with `text`, is a program named like a test that tests nothing
    /// (`[scratch_scripts]`): a test by its name alone, a program's extension, a name starting
    /// with a scratch prefix, none of the markers of a test framework in `text`, and no test
    /// function unless an entry point runs the file as a program.
    ///
    /// In a test folder too (`api/test/test.go`, `tests/test_live.py`), but only a program: one
    /// with an entry point (`func main()`, `if __name__ == "__main__":`) and no test function at
    /// all. Go builds a `test.go` with `package main` as a program, never as a test (tests end in
    /// `_test.go`); a test folder's helpers have no entry point and stay its fixtures.
    public func isScratchScript(_ path: String, text: UnsafeBufferPointer<UInt8>) -> Bool {
        let name = FileKind.basename(path).lowercased()
        guard !scratch.extensions.isEmpty, scratch.extensions.contains(where: { name.hasSuffix($0) }),
              scratch.namePrefixes.contains(where: { name.hasPrefix($0) }), context(of: path) == .test else { return false }
        if scratch.testMarkers.contains(where: { ScratchScriptSignals.containsWord(text, $0) }) { return false }
        let hasTestFunction = scratch.testFunctions.contains(where: { ScratchScriptSignals.containsWord(text, $0) })
        let hasEntryPoint = scratch.entryPoints.contains(where: { ProductionConfigSignals.contains(text, $0) })
        if isTestByNameOnly(path) { return !hasTestFunction || hasEntryPoint }
        return hasEntryPoint && !hasTestFunction
    }

    /// Whether a scratch script talks only to a server on this machine (`[scratch_scripts]
    /// local_only_is_test`): every URL host in `text` is loopback or a compose service
    /// (`[local_hosts]` of values.toml) and at least one local host is named, in a URL or alone
    /// (`host = "127.0.0.1:9380"`). A URL whose host is interpolated (`http://{host}/v1`) names no
    /// host; a `reference_hosts` one (a licence header's apache.org) is no request. Such a script
    /// tries the developer's own instance (`sdk/python/test.py` against `http://localhost:9380`),
    /// so its values are that instance's, judged like a test's.
    public func talksOnlyToLocalServers(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard scratch.localOnlyIsTest else { return false }
        let hosts = urlHosts(in: text)
        return !hosts.remote && (hosts.local || scratch.localNames.contains { ProductionConfigSignals.contains(text, $0) })
    }

    /// Whether `text` names a URL whose host is neither this machine nor a reference host: a
    /// JWT whose issuer is `https://….supabase.co/auth/v1` is a hosted project's session token,
    /// whatever server the script hands it to. JSON's escaped `\/` counts as `/`.
    public func namesRemoteHost(_ text: [UInt8]) -> Bool {
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(text.count)
        for (i, byte) in text.enumerated() where !(byte == 92 && i + 1 < text.count && text[i + 1] == 47) { unescaped.append(byte) }
        return unescaped.withUnsafeBufferPointer { urlHosts(in: $0).remote }
    }

    /// Whether the URLs of `text` name a local host, and whether they name any other (an
    /// interpolated host, `http://{host}/v1`, names none; a `reference_hosts` one is no request).
    func urlHosts(in text: UnsafeBufferPointer<UInt8>) -> (local: Bool, remote: Bool) {
        guard let base = text.baseAddress else { return (false, false) }
        let signals = ValueSignals.bundled
        var sawLocal = false
        var start = 0
        let n = text.count
        while start + 3 <= n, let hit = memchr(base + start, 58, n - start - 2) {
            var at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            start = at + 1
            guard text[at + 1] == 47, text[at + 2] == 47 else { continue }
            at += 3
            start = at
            // Skip `user:pass@`.
            var end = at
            while end < n, !ScratchScriptSignals.endsHost(text[end]) || text[end] == 58 { end += 1 }
            if let atSign = (at..<end).last(where: { text[$0] == 64 }) { at = atSign + 1 }
            var hostEnd = at
            if at < n, text[at] == 91 {
                while hostEnd < n, text[hostEnd] != 93 { hostEnd += 1 }
                hostEnd = min(n, hostEnd + 1)
            } else {
                while hostEnd < n, !ScratchScriptSignals.endsHost(text[hostEnd]) { hostEnd += 1 }
            }
            let host = String(decoding: UnsafeBufferPointer(rebasing: text[at..<hostEnd]), as: UTF8.self).lowercased()
            if host.isEmpty || host.contains(where: { "{}$<>%*+".contains($0) }) { continue }
            if signals.localHostReason(for: host) != nil { sawLocal = true; continue }
            if scratch.referenceHosts.contains(where: { host == $0 || host.hasSuffix("." + $0) }) { continue }
            return (sawLocal, true)
        }
        return (sawLocal, false)
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
        var name = components.popLast() ?? lower
        if let suffix = compressionSuffixes.first(where: { name.hasSuffix($0) && name.count > $0.count }) {
            name.removeLast(suffix.count)
        }
        let folders = "/" + components.joined(separator: "/") + "/"
        for signals in entries {
            if signals.excludedSuffixes.contains(where: { name.hasSuffix($0) }) { continue }
            if signals.directoryPaths.contains(where: { ByteSearch.asciiContains($0, in: folders) ?? folders.contains($0) }) { return signals.context }
            if components.contains(where: { component in
                signals.directories.contains(component) || signals.directoryPrefixes.contains { component.hasPrefix($0) }
                    || signals.directorySuffixes.contains { component.hasSuffix($0) && component.count > $0.count }
                    || signals.directoryInfixes.contains { component.dropFirst().contains($0) }
            }) { return signals.context }
            if signals.names.contains(name)
                || signals.nameExtensions.contains(where: { name.hasSuffix($0) && signals.names.contains(String(name.dropLast($0.count))) }) {
                return signals.context
            }
            if signals.prefixes.contains(where: { name.hasPrefix($0) }) { return signals.context }
            if signals.suffixes.contains(where: { name.hasSuffix($0) && name.count > $0.count }) { return signals.context }
            if signals.infixes.contains(where: { ByteSearch.asciiContains($0, in: name) ?? name.contains($0) }) { return signals.context }
        }
        return .production
    }
}

/// Which configuration a production deploy reads (`[production]` of `rules/context/locations.toml`):
/// production env files (named so, or a plain env file that sets a production marker), container
/// files, host configs, production compose files and deploy manifests. The `production_only`
/// config checks (debug flags, plain-HTTP URLs) look only there.
public struct ProductionConfigSignals: Sendable {
    var envNameInfixes: [String] = []
    var envNameSuffixes: [String] = []
    var envNameExcluded: [String] = []
    var envMarkers: [[UInt8]] = []
    var names: Set<String> = []
    var prefixes: [String] = []
    var suffixes: [String] = []
    var composePrefixes: [String] = []
    var composeInfixes: [String] = []
    var composeProduction: [String] = []
    var manifestDirectories: Set<String> = []
    var manifestSuffixes: [String] = []
    var directories: Set<String> = []
    var stems: Set<String> = []

    static let keys: Set<String> = [
        "env_name_infixes", "env_name_suffixes", "env_name_excluded", "env_markers", "names", "prefixes", "suffixes",
        "compose_prefixes", "compose_infixes", "compose_production", "manifest_directories", "manifest_suffixes", "directories", "stems",
    ]

    init() {}

    init(table: [String: TOMLValue], path: String) throws {
        for key in table.keys where !ProductionConfigSignals.keys.contains(key) {
            throw RuleError.unknownKey(path: path, rule: "production", key: key)
        }
        func list(_ key: String) -> [String] { (table[key]?.strings ?? []).map { $0.lowercased() } }
        envNameInfixes = list("env_name_infixes")
        envNameSuffixes = list("env_name_suffixes")
        envNameExcluded = list("env_name_excluded")
        // Markers are matched as written: `NODE_ENV=production`, not lower-cased.
        envMarkers = (table["env_markers"]?.strings ?? []).map { Array($0.utf8) }
        names = Set(list("names"))
        prefixes = list("prefixes")
        suffixes = list("suffixes")
        composePrefixes = list("compose_prefixes")
        composeInfixes = list("compose_infixes")
        composeProduction = list("compose_production")
        manifestDirectories = Set(list("manifest_directories"))
        manifestSuffixes = list("manifest_suffixes")
        directories = Set(list("directories"))
        stems = Set(list("stems"))
    }

    /// Whether the file at `path` is a compose file (`docker-compose.yml`, `compose.yaml`), of any stack.
    public func isCompose(_ path: String) -> Bool {
        isComposeName(String(path.lowercased().split(separator: "/").last ?? ""))
    }

    /// Whether a lower-cased file name is a compose file's (`docker-compose.yml`, `self-host.docker-compose.yml`).
    func isComposeName(_ name: String) -> Bool {
        composePrefixes.contains { name.hasPrefix($0) } || composeInfixes.contains { name.contains($0) }
    }

    /// Whether the file at `path` (relative to the scan root), holding `text`, is configuration
    /// a production deploy reads.
    public func isProductionConfig(_ path: String, text: UnsafeBufferPointer<UInt8>) -> Bool {
        let lower = path.lowercased()
        var folders = lower.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let name = folders.popLast() ?? lower
        if FileKind.isEnvFile(path: path) {
            if FileKind.isTemplate(path: path) { return false }
            if envNameInfixes.contains(where: { name.contains($0) }) || envNameSuffixes.contains(where: { name.hasSuffix($0) }) {
                return true
            }
            if envNameExcluded.contains(where: { name.contains($0) }) { return false }
            return envMarkers.contains { ProductionConfigSignals.contains(text, $0) }
        }
        if isComposeName(name) { return composeProduction.contains { name.contains($0) } }
        if names.contains(name) || prefixes.contains(where: { name.hasPrefix($0) }) || suffixes.contains(where: { name.hasSuffix($0) }) {
            return true
        }
        if manifestSuffixes.contains(where: { name.hasSuffix($0) }), folders.contains(where: manifestDirectories.contains) { return true }
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        return stems.contains(stem) || folders.contains(where: directories.contains)
    }

    /// memchr for the first byte, then a comparison: env files are small and markers rare.
    static func contains(_ text: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let base = text.baseAddress, let first = needle.first, text.count >= needle.count else { return false }
        var start = 0
        let last = text.count - needle.count
        while start <= last, let hit = memchr(base + start, Int32(first), last - start + 1) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if needle.indices.allSatisfy({ text[at + $0] == needle[$0] }) { return true }
            start = at + 1
        }
        return false
    }
}

/// Programs named like tests that test nothing (`[scratch_scripts]` of `rules/context/locations.toml`):
/// a `test_azure.py` at a project's top that calls a live API with its author's key is a script
/// someone ran, not a test suite's fixture, and is judged as the program it is.
public struct ScratchScriptSignals: Sendable {
    var namePrefixes: [String] = []
    var extensions: [String] = []
    var testMarkers: [[UInt8]] = []
    var testFunctions: [[UInt8]] = []
    var entryPoints: [[UInt8]] = []

    /// `local_only_is_test`: a scratch script that talks only to this machine stays a test.
    var localOnlyIsTest = false
    /// `reference_hosts`: hosts a script names without calling them (licence headers, schemas).
    var referenceHosts: [String] = []
    /// `local_names`: a loopback address written alone (`host = "127.0.0.1:9380"`), without a scheme.
    var localNames: [[UInt8]] = []

    static let keys: Set<String> = ["name_prefixes", "extensions", "test_markers", "test_functions", "entry_points",
                                    "local_only_is_test", "reference_hosts", "local_names"]

    /// Whether `byte` ends a URL's host (`/`, `:`, `?`, `#`, quotes, brackets, space, `,`, `;`, `\\`).
    static func endsHost(_ byte: UInt8) -> Bool {
        byte <= 32 || [47, 58, 63, 35, 34, 39, 96, 41, 93, 44, 59, 92, 62, 60].contains(byte)
    }

    /// The note a finding in a scratch script that talks only to this machine carries.
    public static let localNote = "in a script named like a test that talks only to a server on this machine: a local instance's value, judged as a test"

    /// Whether `needle` occurs in `text` at the start of a word (no letter, digit or `_` before
    /// it): `it(` is Mocha's, not the end of `submit(`.
    static func containsWord(_ text: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let base = text.baseAddress, let first = needle.first, text.count >= needle.count else { return false }
        var start = 0
        let last = text.count - needle.count
        while start <= last, let hit = memchr(base + start, Int32(first), last - start + 1) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            let before = at > 0 ? text[at - 1] : 32
            let isWordByte = LiteralValue.isLetter(before) || LiteralValue.isDigit(before) || before == 95
            if !isWordByte, needle.indices.allSatisfy({ text[at + $0] == needle[$0] }) { return true }
            start = at + 1
        }
        return false
    }

    /// The note a finding in such a script carries.
    public static let note = "in a script named like a test with no test in it: judged as the program it is"

    init() {}

    init(table: [String: TOMLValue], path: String) throws {
        for key in table.keys where !ScratchScriptSignals.keys.contains(key) {
            throw RuleError.unknownKey(path: path, rule: "scratch_scripts", key: key)
        }
        func list(_ key: String) -> [String] { table[key]?.strings ?? [] }
        namePrefixes = list("name_prefixes").map { $0.lowercased() }
        extensions = list("extensions").map { $0.lowercased() }
        // Markers are matched as written: `describe(` and `Describe(` are different code.
        testMarkers = list("test_markers").map { Array($0.utf8) }
        testFunctions = list("test_functions").map { Array($0.utf8) }
        entryPoints = list("entry_points").map { Array($0.utf8) }
        localOnlyIsTest = table["local_only_is_test"]?.bool ?? false
        referenceHosts = list("reference_hosts").map { $0.lowercased() }
        localNames = list("local_names").map { Array($0.lowercased().utf8) }
        guard !namePrefixes.isEmpty, !extensions.isEmpty, !testMarkers.isEmpty else {
            throw RuleError.badValue(path: path, rule: "scratch_scripts", key: "test_markers",
                                     message: "name_prefixes, extensions and test_markers must all be given")
        }
    }
}

/// Tests kept inside the file they test (`[test_modules]` of `rules/context/locations.toml`):
/// Rust puts a source file's unit tests in a `#[cfg(test)] mod tests { … }` block at its end,
/// so a value in that block is a test's fixture, not the program's, though the file is not
/// named or placed like a test.
public struct TestModuleSignals: Sendable {
    var extensions: [String] = []
    /// The attribute that compiles the next item only for tests (`#[cfg(test)]`).
    var attributes: [[UInt8]] = []

    static let keys: Set<String> = ["extensions", "attributes"]

    /// The note a finding in such a block carries.
    public static let note = "in a test module inside a source file (#[cfg(test)]): judged as a test"

    init() {}

    init(table: [String: TOMLValue], path: String) throws {
        for key in table.keys where !TestModuleSignals.keys.contains(key) {
            throw RuleError.unknownKey(path: path, rule: "test_modules", key: key)
        }
        extensions = (table["extensions"]?.strings ?? []).map { $0.lowercased() }
        attributes = (table["attributes"]?.strings ?? []).map { Array($0.utf8) }
        guard !extensions.isEmpty, !attributes.isEmpty else {
            throw RuleError.badValue(path: path, rule: "test_modules", key: "attributes", message: "extensions and attributes must both be given")
        }
    }

    /// Whether `offset` lies inside a module the attribute marks as test-only: the attribute,
    /// then (past further attributes and `pub`) `mod name {`, up to that brace's match. An
    /// attribute on anything else (`#[cfg(test)] use mockall;`) marks no block.
    public func contains(_ offset: Int, in text: UnsafeBufferPointer<UInt8>, path: String) -> Bool {
        let lowered = path.lowercased()
        guard extensions.contains(where: { lowered.hasSuffix($0) }), offset < text.count else { return false }
        for attribute in attributes {
            var start = 0
            while let at = TestModuleSignals.find(attribute, in: text, from: start, before: offset) {
                start = at + attribute.count
                guard let open = TestModuleSignals.moduleBrace(after: start, in: text), open < offset else { continue }
                if TestModuleSignals.matchingBrace(of: open, in: text).map({ offset < $0 }) ?? true { return true }
            }
        }
        return false
    }

    static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from start: Int, before end: Int) -> Int? {
        guard let first = needle.first, end - needle.count >= start else { return nil }
        var at = start
        while at + needle.count <= end {
            if text[at] == first, needle.indices.allSatisfy({ text[at + $0] == needle[$0] }) { return at }
            at += 1
        }
        return nil
    }

    /// The `{` opening `mod name {` right after an attribute, past whitespace, further
    /// attributes (`#[allow(…)]`) and a visibility (`pub`, `pub(crate)`).
    static func moduleBrace(after start: Int, in text: UnsafeBufferPointer<UInt8>) -> Int? {
        var at = start
        func skipSpace() { while at < text.count, text[at] <= 32 { at += 1 } }
        func word() -> String {
            let from = at
            while at < text.count, LiteralValue.isLetter(text[at]) || LiteralValue.isDigit(text[at]) || text[at] == 95 { at += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: text[from..<at]), as: UTF8.self)
        }
        skipSpace()
        while at + 1 < text.count, text[at] == UInt8(ascii: "#"), text[at + 1] == UInt8(ascii: "[") {
            while at < text.count, text[at] != UInt8(ascii: "]") { at += 1 }
            at += 1
            skipSpace()
        }
        var keyword = word()
        if keyword == "pub" {
            if at < text.count, text[at] == UInt8(ascii: "(") {
                while at < text.count, text[at] != UInt8(ascii: ")") { at += 1 }
                at += 1
            }
            skipSpace()
            keyword = word()
        }
        guard keyword == "mod" else { return nil }
        skipSpace()
        guard !word().isEmpty else { return nil }
        skipSpace()
        return at < text.count && text[at] == UInt8(ascii: "{") ? at : nil
    }

    /// The `}` closing the brace at `open`, counting nesting (line comments skipped); nil when
    /// the text ends first (a window of a history blob: the block runs to its end).
    static func matchingBrace(of open: Int, in text: UnsafeBufferPointer<UInt8>) -> Int? {
        var depth = 0
        var at = open
        while at < text.count {
            switch text[at] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return at }
            case UInt8(ascii: "/") where at + 1 < text.count && text[at + 1] == UInt8(ascii: "/"):
                while at < text.count, text[at] != 10 { at += 1 }
            default: break
            }
            at += 1
        }
        return nil
    }
}
