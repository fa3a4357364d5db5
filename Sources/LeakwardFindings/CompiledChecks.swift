import LeakwardMatching
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// The config checks of a scan, compiled once: each pattern PCRE2+JIT, one keyword automaton
/// over every check's keywords. Read-only, shared by every worker.
public struct CompiledChecks: Sendable {
    public let catalog: ConfigCheckSet
    /// Per check (same order as `catalog.checks`); nil for structural tests.
    public let patterns: [Regex?]
    public let references: [Regex?]
    /// One automaton over every keyword; `owners[k]` are the checks keyword `k` belongs to.
    public let keywords: KeywordFilter
    let owners: [[Int]]
    /// Per check, its file globs split once into a literal folder and a name glob.
    let globs: [[FileGlob]]

    public static let none = try! CompiledChecks(.empty)

    public init(_ set: ConfigCheckSet) throws {
        self.catalog = set
        var patterns: [Regex?] = [], references: [Regex?] = []
        var words: [String] = [], owners: [[Int]] = []
        var index: [String: Int] = [:]
        for (n, check) in catalog.checks.enumerated() {
            do {
                patterns.append(try check.pattern.map { try Regex($0) })
                references.append(try check.secretReference.map { try Regex($0) })
            } catch {
                throw RuleError.pattern(rule: check.id, message: "\(error)")
            }
            for word in check.keywords {
                let key = word.lowercased()
                if let k = index[key] { owners[k].append(n) } else {
                    index[key] = words.count
                    words.append(key)
                    owners.append([n])
                }
            }
        }
        self.patterns = patterns
        globs = set.checks.map { $0.files.map(FileGlob.init) }
        self.references = references
        keywords = KeywordFilter(keywords: words)
        self.owners = owners
    }

    public var isEmpty: Bool { catalog.checks.isEmpty }

    /// Which pattern checks apply to a file, by its path relative to the root (or, for a
    /// folder glob, its shown path: a scan of `.github/` itself still finds the workflows).
    /// Runs for every blob, so it is string tests only, no glob automaton per folder.
    func applicable(to relative: String, path: String) -> [Int] {
        let name = Array(FileKind.basename(relative).utf8)[...]
        let folders = [FileGlob.folder(of: relative), FileGlob.folder(of: path)]
        return catalog.checks.indices.filter { n in
            patterns[n] != nil && globs[n].contains { $0.matches(name: name, folders: folders) }
        }
    }

    /// The config problems in one file's text. `secrets` are the secret findings already made
    /// in the same text (offsets in it): a `requires_secret` check fires only around one.
    public func problems(in buffer: UnsafeBufferPointer<UInt8>, origin: Origin, isUntracked: Bool?,
                         secrets: [Finding], scratch: MatchScratch) throws -> [Finding] {
        guard !isEmpty else { return [] }
        let relative = origin.path
        var candidates = applicable(to: relative, path: origin.displayPath)
        guard !candidates.isEmpty else { return [] }
        var hit = Set<Int>()
        keywords.scan(buffer) { k, _ in for n in owners[k] { hit.insert(n) } }
        candidates = candidates.filter { catalog.checks[$0].keywords.isEmpty || hit.contains($0) }
        guard !candidates.isEmpty else { return [] }
        let context = CheckContext.context(of: origin)
        var isProductionConfig: Bool?
        var lines: LineIndex?
        var found: [Finding] = []
        for n in candidates {
            if catalog.checks[n].isProductionOnly {
                if isProductionConfig == nil { isProductionConfig = CheckContext.isProductionConfig(relative, text: buffer) }
                guard isProductionConfig! else { continue }
            }
            found += try problems(check: n, in: buffer, origin: origin, context: context, isUntracked: isUntracked,
                                  secrets: secrets, lines: &lines, scratch: scratch)
        }
        return found
    }

    /// Every match of check `n` in `buffer`, whatever the file (the rule self-test calls this directly).
    public func problems(check n: Int, in buffer: UnsafeBufferPointer<UInt8>, origin: Origin, context: CheckContext, isUntracked: Bool?,
                  secrets: [Finding], lines: inout LineIndex?, scratch: MatchScratch) throws -> [Finding] {
        let check = catalog.checks[n]
        guard let pattern = patterns[n] else { return [] }
        var found: [Finding] = []
        var start = 0
        while start < buffer.count, let match = try pattern.firstMatch(in: buffer, from: start, scratch: scratch),
              let whole = match[0] {
            start = max(whole.upperBound, whole.lowerBound + 1)
            var at = whole.lowerBound
            var variable: String?
            var shown: String?
            if check.requiresSecret {
                guard let place = secretPlace(in: whole, buffer: buffer, check: n, secrets: secrets, scratch: scratch) else { continue }
                (at, variable, shown) = place
            }
            if lines == nil { lines = LineIndex(buffer) }
            let (line, column) = lines!.position(of: at)
            var problem = finding(check, text: buffer, match: whole, at: at, line: line, column: column,
                                  origin: origin, context: context, variable: variable, isUntracked: isUntracked,
                                  showsText: !check.requiresSecret && !secrets.contains { whole.contains($0.location.offset) })
            if let shown { problem.preview = shown }
            found.append(problem)
        }
        return found
    }

    /// The structural problems of a file, judged by its path and whether git tracks it: a
    /// committed env file, a source map in build output. Reported at line 1.
    public func fileProblems(origin: Origin, isTracked: Bool, isUntracked: Bool?) -> [Finding] {
        guard !isEmpty else { return [] }
        let relative = origin.path
        var found: [Finding] = []
        if isTracked, FileKind.isEnvFile(path: relative), !FileKind.isTemplate(path: relative),
           let check = catalog.structural("tracked-env-file") {
            found.append(fileFinding(check, origin: origin, context: CheckContext.context(of: origin), isUntracked: isUntracked))
        }
        if ShippedPath.assetExtension(relative) == "map", ShippedPath.isBuildOutput(relative),
           let check = catalog.structural("shipped-source-map") {
            // Served whatever folder it sits in: the context does not lower it.
            found.append(fileFinding(check, origin: origin, context: .production, isUntracked: isUntracked))
        }
        return found
    }

    func fileFinding(_ check: ConfigCheck, origin: Origin, context: CheckContext, isUntracked: Bool?) -> Finding {
        var finding = Finding(
            ruleID: check.id, ruleName: check.title, category: .config, provider: "Config",
            severity: context.isProduction ? check.severity : .info, kind: check.kind, validation: .unchecked,
            // Named by the file's name, not its path: one blob seen in several repositories or
            // at a working-tree path is one problem per place, as a secret is.
            secret: SecretValue(Array(check.id.utf8) + [0] + Array(FileKind.basename(origin.path).utf8)),
            location: Finding.Location(origin: origin, line: 1, column: 1, offset: 0, isUntracked: isUntracked),
            notes: [check.why, "fix: " + check.fix])
        if !context.isProduction { finding.notes.append("in a \(context.rawValue) file: reported at info") }
        finding.preview = FileKind.basename(origin.path)
        return finding
    }

    /// Where the secret inside a `requires_secret` match is: the first secret finding in it,
    /// else the first reference to a server-only env variable (with its name).
    /// Also returns what to show: the secret's redacted preview, or the reference itself (a name, not a value).
    func secretPlace(in range: Range<Int>, buffer: UnsafeBufferPointer<UInt8>, check n: Int, secrets: [Finding],
                     scratch: MatchScratch) -> (Int, String?, String)? {
        let inside = secrets.filter { range.contains($0.location.offset) && $0.kind != .publicByDesign && !$0.kind.isConfigProblem }
        if let first = inside.min(by: { $0.location.offset < $1.location.offset }) {
            return (first.location.offset, first.variable, "\(first.ruleName) \(first.preview)")
        }
        guard let reference = references[n], let match = try? reference.firstMatch(in: buffer, from: range.lowerBound, latestStart: range.upperBound, scratch: scratch),
              let whole = match[0], whole.upperBound <= range.upperBound else { return nil }
        let name = match.count > 1 ? match[1].map { String(decoding: UnsafeBufferPointer(rebasing: buffer[$0]), as: UTF8.self) } : nil
        return (whole.lowerBound, name, "server-only variable \(name ?? String(decoding: UnsafeBufferPointer(rebasing: buffer[whole]), as: UTF8.self))")
    }

    public func finding(_ check: ConfigCheck, text: UnsafeBufferPointer<UInt8>, match: Range<Int>, at: Int, line: Int, column: Int,
                 origin: Origin, context: CheckContext, variable: String?, isUntracked: Bool?, showsText: Bool) -> Finding {
        // The fingerprint is the check and the matched text, so it survives lines moving.
        let matched = Array(text[match])
        var finding = Finding(
            ruleID: check.id, ruleName: check.title, category: .config, provider: "Config",
            severity: context.isProduction ? check.severity : .info, kind: check.kind, validation: .unchecked,
            secret: SecretValue(Array(check.id.utf8) + [0] + matched),
            location: Finding.Location(origin: origin, line: line, column: column, offset: at, isUntracked: isUntracked),
            variable: variable, notes: [check.why, "fix: " + check.fix])
        if !context.isProduction { finding.notes.append("in a \(context.rawValue) file: reported at info") }
        // The matched line is shown when it holds no secret; otherwise only the redacted form.
        if showsText {
            let firstLine = matched.prefix { $0 != 10 && $0 != 13 }
            let snippet = String(String(decoding: firstLine, as: UTF8.self).drop { $0 == " " || $0 == "\t" })
            finding.preview = snippet.count > 80 ? String(snippet.prefix(79)) + "…" : snippet
        }
        return finding
    }
}

/// A check's file glob: `*.ts` (any folder) or `.github/workflows/*.yml` (that folder, at the
/// root or below it; a leading `**/` says the same). Folders are literal in check globs.
struct FileGlob: Sendable {
    let folder: String?
    let name: ArraySlice<UInt8>

    init(_ glob: String) {
        let body = glob.hasPrefix("**/") ? String(glob.dropFirst(3)) : glob
        if let slash = body.lastIndex(of: "/") {
            folder = String(body[...slash])
            name = Array(body[body.index(after: slash)...].utf8)[...]
        } else {
            folder = nil
            name = Array(body.utf8)[...]
        }
    }

    /// The folder part of a path with its trailing `/` (`""` for a file at the top).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    func matches(name fileName: ArraySlice<UInt8>, folders: [String]) -> Bool {
        guard GitIgnore.glob(name, matches: fileName) else { return false }
        guard let folder else { return true }
        return folders.contains { $0 == folder || $0.hasSuffix("/" + folder) }
    }
}
