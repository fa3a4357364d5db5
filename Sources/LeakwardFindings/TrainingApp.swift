import LeakwardModel
import LeakwardRules
import LeakwardSupport
import LeakwardSupport

/// A project that declares itself a deliberately vulnerable training application (DVWA, OWASP
/// NodeGoat, a "vulnerable Flask app" built to test scanners): its planted keys, seeded passwords
/// and self-signed certificates are lessons, so findings in its code and data are reported at
/// `info` with the reason. What it runs on real infrastructure keeps its severity: CI files,
/// env files at its top, tokens a checksum or a provider's structure proves, live-mode keys
/// (`sk_live_`), and places the
/// scan cannot name. Everything is data in `rules/context/training.toml`; where the README is
/// read from is the caller's business (`LeakwardCore`'s `TrainingApps`).
public struct TrainingApp: Sendable {
    /// README names tried at the project's top, in order.
    public private(set) var readmeNames: [String] = []
    var patterns: [Regex] = []
    var titlePatterns: [Regex] = []
    /// `[starter] title_patterns`: README titles of starter, template and demo projects.
    var starterTitlePatterns: [Regex] = []
    var keptDirectoryPaths: [String] = []
    var keptNames: Set<String> = []
    var keptRootNamePrefixes: [String] = []
    var keptValidators: Set<ValidatorKind> = []
    var keptSecretPrefixes: [String] = []

    /// How much of a README is read: the declaration is in its first lines.
    public static let readmeLimit = 64 * 1024
    /// The reason a finding carries when this policy set it to info.
    public static let reason = "deliberately vulnerable training application"

    /// The catalogue in `rules/context/training.toml`, parsed once. Its tests keep it valid.
    public static let bundled = BundledRules.catalogue(at: "rules/context/training.toml") { try TrainingApp(toml: $0, path: $1) }

    init() {}

    static let keys: [String: Set<String>] = [
        "declaration": ["readme_names", "patterns", "title_patterns"],
        "kept": ["directory_paths", "names", "root_name_prefixes", "secret_prefixes", "validators"],
        "starter": ["title_patterns"],
    ]

    public init(toml text: String, path: String) throws {
        let document = try TOMLReader.parse(text, path: path)
        for (section, value) in document {
            guard let known = TrainingApp.keys[section] else { throw RuleError.unknownKey(path: path, rule: "file", key: section) }
            guard let table = value.table else {
                throw RuleError.badValue(path: path, rule: section, key: section, message: "expected a table")
            }
            for key in table.keys where !known.contains(key) { throw RuleError.unknownKey(path: path, rule: section, key: key) }
        }
        func list(_ section: String, _ key: String) -> [String] { document[section]?.table?[key]?.strings ?? [] }
        func regexes(_ key: String, in section: String = "declaration") throws -> [Regex] {
            try list(section, key).map { pattern in
                do { return try Regex(pattern) } catch {
                    throw RuleError.badValue(path: path, rule: section, key: key, message: "\(error)")
                }
            }
        }
        readmeNames = list("declaration", "readme_names")
        patterns = try regexes("patterns")
        titlePatterns = try regexes("title_patterns")
        starterTitlePatterns = try regexes("title_patterns", in: "starter")
        keptDirectoryPaths = list("kept", "directory_paths").map { "/" + $0.lowercased().trimmingCharacters(in: ["/"]) + "/" }
        keptNames = Set(list("kept", "names").map { $0.lowercased() })
        keptRootNamePrefixes = list("kept", "root_name_prefixes").map { $0.lowercased() }
        keptSecretPrefixes = list("kept", "secret_prefixes")
        keptValidators = Set(try list("kept", "validators").map { name in
            guard let kind = ValidatorKind(rawValue: name) else {
                throw RuleError.badValue(path: path, rule: "kept", key: "validators", message: "unknown validator \(name)")
            }
            return kind
        })
    }

    /// What in `readme` declares the project a training application (the matched text, for the
    /// report), or nil. Reads the first `readmeLimit` bytes, lower-cased: a pattern anywhere, or
    /// a title pattern on the title (the first heading, else the first non-empty line, without
    /// its markup).
    public func declaration(inReadme readme: [UInt8]) -> String? {
        let text = readme.prefix(TrainingApp.readmeLimit).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        if let found = TrainingApp.firstMatch(patterns, in: Array(text)) { return found }
        guard let title = TrainingApp.title(of: Array(text)) else { return nil }
        return TrainingApp.firstMatch(titlePatterns, in: Array(title.utf8))
    }

    /// What in `readme`'s title declares the project a starter, template or demo (`[starter]`),
    /// or nil.
    public func starterDeclaration(inReadme readme: [UInt8]) -> String? {
        let text = readme.prefix(TrainingApp.readmeLimit).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        guard let title = TrainingApp.title(of: Array(text)) else { return nil }
        return TrainingApp.firstMatch(starterTitlePatterns, in: Array(title.utf8))
    }

    static func firstMatch(_ regexes: [Regex], in bytes: [UInt8]) -> String? {
        let scratch = MatchScratch()
        return bytes.withUnsafeBufferPointer { buffer in
            for regex in regexes {
                if let found = (try? regex.firstMatch(in: buffer, from: 0, scratch: scratch)) ?? nil, let range = found[0] {
                    return String(decoding: buffer[range], as: UTF8.self)
                }
            }
            return nil
        }
    }

    /// The README's title: its first Markdown or reStructuredText heading, else its first
    /// non-empty line, with `#`, `=`, `*`, `_` and surrounding spaces taken off.
    static func title(of text: [UInt8]) -> String? {
        let lines = TextLines.split(String(decoding: text, as: UTF8.self), omittingEmpty: true)
        let markup: Set<Character> = ["#", "=", "*", "_", " ", "\t", "\r", "`"]
        func stripped(_ line: Substring) -> String {
            var line = line
            while let first = line.first, markup.contains(first) { line.removeFirst() }
            while let last = line.last, markup.contains(last) { line.removeLast() }
            return String(line)
        }
        // Badges and images before the heading (`[![build](…)]`, `<p align=…>`) are not its title.
        // A Setext heading (`Hackathon Starter` over a line of `=` or `-`) counts where it comes
        // before the first `#` one.
        func isUnderline(_ line: Substring) -> Bool {
            let trimmed = line.filter { $0 != " " && $0 != "\t" && $0 != "\r" }
            return trimmed.count >= 3 && (trimmed.allSatisfy { $0 == "=" } || trimmed.allSatisfy { $0 == "-" })
        }
        let atx = lines.firstIndex { $0.hasPrefix("#") && !stripped($0).isEmpty }
        let setext = lines.indices.dropLast().first { i in
            isUnderline(lines[i + 1]) && !stripped(lines[i]).isEmpty && !isUnderline(lines[i])
                && !lines[i].hasPrefix("[!") && !lines[i].hasPrefix("<") && !lines[i].hasPrefix("!")
        }
        let heading = [atx, setext].compactMap { $0 }.min().map { lines[$0] }
        let chosen = heading ?? lines.first { !stripped($0).isEmpty && !$0.hasPrefix("[!") && !$0.hasPrefix("<") && !$0.hasPrefix("!") }
        return chosen.map(stripped)
    }

    /// Whether a finding in a declared training application keeps its severity: CI files, env
    /// files at the project's top, tokens proven by a checksum or a provider's structure, and
    /// places with no path (a commit message, an unreachable blob).
    public func keeps(_ finding: Finding, validator: ValidatorKind?) -> Bool {
        switch finding.location.origin {
        case .commitMessage, .unreachableBlob: return true
        case .file, .history: break
        }
        if let validator, keptValidators.contains(validator),
           finding.validation == .checksumValid || finding.validation == .structureValid { return true }
        // A live-mode key by its provider's own prefix (`sk_live_`).
        if !keptSecretPrefixes.isEmpty {
            let secret = finding.secret.revealed
            if keptSecretPrefixes.contains(where: { secret.hasPrefix($0) }) { return true }
        }
        let path = finding.location.origin.path.lowercased()
        var folders = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let name = folders.popLast() ?? path
        if folders.isEmpty, keptRootNamePrefixes.contains(where: { name.hasPrefix($0) }), !FileKind.isTemplate(path: name) { return true }
        if keptNames.contains(name) { return true }
        let joined = "/" + folders.joined(separator: "/") + "/"
        return keptDirectoryPaths.contains { joined.contains($0) }
    }

    /// `finding` as a declared training application reports it: at info with the reason, unless
    /// it is kept (`keeps`) or already at info. `declared` is what in the README declared it.
    public func judged(_ finding: Finding, validator: ValidatorKind?, declared: String) -> Finding {
        guard finding.severity > .info, !keeps(finding, validator: validator) else { return finding }
        var quiet = finding
        quiet.severity = .info
        quiet.notes.append("in a \(TrainingApp.reason) (its README: \"\(declared)\"): reported at info")
        return quiet
    }

    /// The reason a finding carries when the starter policy set it to info.
    public static let starterReason = "a starter or template project's typed default"

    /// `finding` as a declared starter, template or demo project reports it: a weak signing
    /// secret made of words or digits alone (`MEAN`, `Bob vs Alice`, `1337`), outside the kept
    /// places, at info with the reason; anything else unchanged.
    public func judgedAsStarter(_ finding: Finding, declared: String) -> Finding {
        guard finding.severity > .info, finding.kind == .weakSecret, !keeps(finding, validator: nil),
              ValueSignals.words(of: finding.secret.bytes) != nil else { return finding }
        var quiet = finding
        quiet.severity = .info
        quiet.notes.append("weak-configuration default in a starter or template project (its README's title: \"\(declared)\"): reported at info")
        return quiet
    }
}
