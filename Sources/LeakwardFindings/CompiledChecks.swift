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
    /// `referenceOwners[k]`: the `requires_secret` checks whose `reference_keywords` hold keyword `k`.
    let referenceOwners: [[Int]]
    /// Which checks a file name selects, by lookups instead of a glob per check.
    let scope: CheckScope

    public static let none = try! CompiledChecks(.empty)

    public init(_ set: ConfigCheckSet) throws {
        self.catalog = set
        var patterns: [Regex?] = [], references: [Regex?] = []
        var words: [String] = [], owners: [[Int]] = [], referenceOwners: [[Int]] = []
        var index: [String: Int] = [:]
        for (n, check) in catalog.checks.enumerated() {
            do {
                patterns.append(try check.pattern.map { try Regex($0) })
                references.append(try check.secretReference.map { try Regex($0) })
            } catch {
                throw RuleError.pattern(rule: check.id, message: "\(error)")
            }
            func slot(_ word: String) -> Int {
                let key = word.lowercased()
                if let k = index[key] { return k }
                index[key] = words.count
                words.append(key)
                owners.append([])
                referenceOwners.append([])
                return words.count - 1
            }
            for word in check.keywords { owners[slot(word)].append(n) }
            for word in check.referenceKeywords { referenceOwners[slot(word)].append(n) }
        }
        self.referenceOwners = referenceOwners
        self.patterns = patterns
        scope = CheckScope(globs: set.checks.enumerated().filter { patterns[$0.offset] != nil }
            .flatMap { n, check in check.files.map { (n, FileGlob($0)) } })
        self.references = references
        keywords = KeywordFilter(keywords: words)
        self.owners = owners
    }

    public var isEmpty: Bool { catalog.checks.isEmpty }

    /// Every check keyword, lower-cased, in the order `keywordHits` flags are given in.
    public var keywordList: [String] { keywords.keywords }

    /// Which pattern checks apply to a file, by its path relative to the root (or, for a
    /// folder glob, its shown path: a scan of `.github/` itself still finds the workflows).
    /// Runs for every blob, so it is a dictionary lookup by extension and name plus the few
    /// globs that fit neither, never a glob automaton per check.
    func applicable(to relative: String, path: String) -> [Int] {
        scope.checks(for: relative, shownPath: path)
    }

    /// The config problems in one file's text. `secrets` are the secret findings already made
    /// in the same text (offsets in it): a `requires_secret` check fires only around one.
    /// `keywordHits`, one flag per `keywordList` entry, is what the rules' shared keyword pass
    /// found in this same text; without it the checks' own automaton is run.
    public func problems(in buffer: UnsafeBufferPointer<UInt8>, origin: Origin, isUntracked: Bool?,
                         secrets: [Finding], keywordHits: [Bool]? = nil, scratch: MatchScratch) throws -> [Finding] {
        guard !isEmpty else { return [] }
        let relative = origin.path
        // One flag per check, set by its keywords' hits (a set would hash on every hit).
        var hit = [Bool](repeating: false, count: catalog.checks.count)
        var referenced = hit
        if let keywordHits, keywordHits.count == owners.count {
            for (k, found) in keywordHits.enumerated() where found {
                for n in owners[k] { hit[n] = true }
                for n in referenceOwners[k] { referenced[n] = true }
            }
        } else {
            keywords.scan(buffer) { k, _ in
                for n in owners[k] { hit[n] = true }
                for n in referenceOwners[k] { referenced[n] = true }
            }
        }
        // A `requires_secret` check needs a secret in the file, or a word its references start with.
        let holdsSecret = secrets.contains { CompiledChecks.isCarriedSecret($0) }
        let possible = catalog.checks.indices.map { n in
            let check = catalog.checks[n]
            guard check.keywords.isEmpty || hit[n] else { return false }
            return !check.requiresSecret || holdsSecret || referenced[n]
        }
        // Most files give no check its keywords: then which globs the path matches is never asked.
        guard possible.contains(true) else { return [] }
        let candidates = applicable(to: relative, path: origin.displayPath).filter { possible[$0] }
        guard !candidates.isEmpty else { return [] }
        // Where the file sits matters only for what is found: judged once, on the first problem.
        var place: LocationContext?
        func context() -> LocationContext {
            if let place { return place }
            let judged = CompiledChecks.place(of: origin)
            place = judged
            return judged
        }
        var isProductionConfig: Bool?
        var lines: LineIndex?
        var found: [Finding] = []
        for n in candidates {
            if catalog.checks[n].isProductionOnly {
                if isProductionConfig == nil { isProductionConfig = LocationCatalog.bundled.production.isProductionConfig(relative, text: buffer) }
                guard isProductionConfig! else { continue }
            }
            found += try problems(check: n, in: buffer, origin: origin, context: context, isUntracked: isUntracked,
                                  secrets: secrets, lines: &lines, scratch: scratch)
        }
        return found
    }

    /// Every match of check `n` in `buffer`, whatever the file (the rule self-test calls this directly).
    public func problems(check n: Int, in buffer: UnsafeBufferPointer<UInt8>, origin: Origin, context: () -> LocationContext, isUntracked: Bool?,
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
            // Commented-out code is documentation, as for secrets: it configures nothing.
            var place = context()
            if !place.isQuiet, CompiledChecks.isCommentedOut(at, in: buffer, path: origin.path) { place = .documentation }
            var problem = finding(check, text: buffer, match: whole, at: at, line: line, column: column,
                                  origin: origin, context: place, variable: variable, isUntracked: isUntracked,
                                  showsText: !check.requiresSecret && !secrets.contains { whole.contains($0.location.offset) })
            if let shown { problem.preview = shown }
            found.append(problem)
        }
        return found
    }

    /// The structural problems of a file, judged by its path and whether git tracks it: a
    /// committed env file, a source map in build output. Reported at line 1.
    public func fileProblems(origin: Origin, isTracked: Bool, isUntracked: Bool?) -> [Finding] {
        guard !isEmpty, CompiledChecks.mayBeEnvFileOrMap(origin.path) else { return [] }
        let relative = origin.path
        var found: [Finding] = []
        if isTracked, FileKind.isEnvFile(path: relative), !FileKind.isTemplate(path: relative),
           let check = catalog.structural("tracked-env-file") {
            found.append(fileFinding(check, origin: origin, context: CompiledChecks.place(of: origin), isUntracked: isUntracked))
        }
        if ShippedPath.assetExtension(relative) == "map", ShippedPath.isBuildOutput(relative),
           let check = catalog.structural("shipped-source-map") {
            // Served whatever folder it sits in: the context does not lower it.
            found.append(fileFinding(check, origin: origin, context: .production, isUntracked: isUntracked))
        }
        return found
    }

    /// Whether a file's name holds `env` or `map` (any case): the only names the file tests
    /// judge, told by bytes before any string is made (this runs for every blob).
    static func mayBeEnvFileOrMap(_ path: String) -> Bool {
        // Walks the name backwards from its end to the last `/`: `env` is seen as `v`, `n`, `e`.
        var a: UInt8 = 0, b: UInt8 = 0
        for byte in path.utf8.reversed() {
            if byte == UInt8(ascii: "/") { return false }
            let c = byte | 0x20
            if (a == UInt8(ascii: "v") && b == UInt8(ascii: "n") && c == UInt8(ascii: "e"))
                || (a == UInt8(ascii: "p") && b == UInt8(ascii: "a") && c == UInt8(ascii: "m")) { return true }
            a = b
            b = c
        }
        return false
    }

    /// Whether `offset` lies in a comment: a line comment (`LiteralValue.isInComment`), or for
    /// C-like languages a `/* … */` block opened before it and not yet closed (a `/*` or `*/`
    /// inside a string, such as a glob `"src/**/*.js"`, does not count). Asked only where a
    /// check fired, so the walk back (at most 64 KB) costs nothing on files without problems.
    static func isCommentedOut(_ offset: Int, in buffer: UnsafeBufferPointer<UInt8>, path: String) -> Bool {
        if LiteralValue.isInComment(offset, in: buffer, path: path) { return true }
        let lower = path.lowercased()
        let cLike = [".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".go", ".java", ".kt", ".php", ".cs", ".swift", ".scala", ".rs"]
        guard cLike.contains(where: { lower.hasSuffix($0) }), offset < buffer.count else { return false }
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
        var i = offset - 1
        let floor = max(0, offset - 65_536)
        while i > floor {
            let pair = (buffer[i - 1], buffer[i])
            if pair == (star, slash) || pair == (slash, star), !LiteralValue.isInStringLiteral(i - 1, in: buffer, path: path) {
                return pair == (slash, star)
            }
            i -= 1
        }
        return false
    }

    /// Where a file sits, for the checks: its `LocationContext` (`rules/context/locations.toml`),
    /// except that output a build made (`.next/`, `dist/` assets, `*.min.js`) counts as generated:
    /// it is not the file a person edits, and its source is scanned too.
    public static func place(of origin: Origin) -> LocationContext {
        let context = LocationContext.of(origin: origin)
        guard context == .production, !origin.path.isEmpty else { return context }
        let path = origin.path
        if ShippedPath.isBuildOutput(path) || path.hasPrefix(".next/") || path.contains("/.next/")
            || FileKind.basename(path).lowercased().contains(".min.") {
            return .generated
        }
        return context
    }

    func fileFinding(_ check: ConfigCheck, origin: Origin, context: LocationContext, isUntracked: Bool?) -> Finding {
        var finding = Finding(
            ruleID: check.id, ruleName: check.title, category: .config, provider: "Config",
            severity: context.isQuiet ? .info : check.severity, kind: check.kind, validation: .unchecked,
            // Named by the file's name, not its path: one blob seen in several repositories or
            // at a working-tree path is one problem per place, as a secret is.
            secret: SecretValue(Array(check.id.utf8) + [0] + Array(FileKind.basename(origin.path).utf8)),
            location: Finding.Location(origin: origin, line: 1, column: 1, offset: 0, isUntracked: isUntracked),
            notes: [check.why, "fix: " + check.fix])
        if context.isQuiet { finding.notes.append("in \(context.phrase): reported at info") }
        finding.preview = FileKind.basename(origin.path)
        return finding
    }

    /// A secret finding a prompt can carry: not a browser key meant to be public, not a config problem.
    static func isCarriedSecret(_ finding: Finding) -> Bool {
        finding.kind != .publicByDesign && !finding.kind.isConfigProblem
    }

    /// Where the secret inside a `requires_secret` match is: the first secret finding in it,
    /// else the first reference to a server-only env variable (with its name).
    /// Also returns what to show: the secret's redacted preview, or the reference itself (a name, not a value).
    func secretPlace(in range: Range<Int>, buffer: UnsafeBufferPointer<UInt8>, check n: Int, secrets: [Finding],
                     scratch: MatchScratch) -> (Int, String?, String)? {
        let inside = secrets.filter { range.contains($0.location.offset) && CompiledChecks.isCarriedSecret($0) }
        if let first = inside.min(by: { $0.location.offset < $1.location.offset }) {
            return (first.location.offset, first.variable, "\(first.ruleName) \(first.preview)")
        }
        guard let reference = references[n], let match = try? reference.firstMatch(in: buffer, from: range.lowerBound, latestStart: range.upperBound, scratch: scratch),
              let whole = match[0], whole.upperBound <= range.upperBound else { return nil }
        let name = match.count > 1 ? match[1].map { String(decoding: UnsafeBufferPointer(rebasing: buffer[$0]), as: UTF8.self) } : nil
        return (whole.lowerBound, name, "server-only variable \(name ?? String(decoding: UnsafeBufferPointer(rebasing: buffer[whole]), as: UTF8.self))")
    }

    public func finding(_ check: ConfigCheck, text: UnsafeBufferPointer<UInt8>, match: Range<Int>, at: Int, line: Int, column: Int,
                 origin: Origin, context: LocationContext, variable: String?, isUntracked: Bool?, showsText: Bool) -> Finding {
        // The fingerprint is the check and the matched text, so it survives lines moving.
        let matched = Array(text[match])
        var finding = Finding(
            ruleID: check.id, ruleName: check.title, category: .config, provider: "Config",
            severity: context.isQuiet ? .info : check.severity, kind: check.kind, validation: .unchecked,
            secret: SecretValue(Array(check.id.utf8) + [0] + matched),
            location: Finding.Location(origin: origin, line: line, column: column, offset: at, isUntracked: isUntracked),
            variable: variable, notes: [check.why, "fix: " + check.fix])
        if context.isQuiet { finding.notes.append("in \(context.phrase): reported at info") }
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
    /// The name glob's shape, so the common ones are a comparison of bytes.
    let shape: Shape

    enum Shape: Sendable, Equatable {
        /// `settings.py`: the whole name.
        case exact
        /// `*.ts`, `*.prompt.md`: the name ends with the bytes after the star.
        case suffix(ArraySlice<UInt8>)
        /// `.env*`, `Dockerfile.*`: the name starts with the bytes before the star.
        case prefix(ArraySlice<UInt8>)
        /// Anything else, through `GitIgnore.glob`.
        case general
    }

    init(_ glob: String) {
        let body = glob.hasPrefix("**/") ? String(glob.dropFirst(3)) : glob
        if let slash = body.lastIndex(of: "/") {
            folder = String(body[...slash])
            name = Array(body[body.index(after: slash)...].utf8)[...]
        } else {
            folder = nil
            name = Array(body.utf8)[...]
        }
        let meta: (UInt8) -> Bool = { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "\\") }
        let star = UInt8(ascii: "*")
        if !name.contains(where: meta) {
            shape = .exact
        } else if name.first == star, !name.dropFirst().contains(where: meta) {
            shape = .suffix(name.dropFirst())
        } else if name.last == star, !name.dropLast().contains(where: meta) {
            shape = .prefix(name.dropLast())
        } else {
            shape = .general
        }
    }

    /// The folder part of a path with its trailing `/` (`""` for a file at the top).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    func matches(name fileName: ArraySlice<UInt8>, relative: String, shownPath: String) -> Bool {
        let nameMatches: Bool
        switch shape {
        case .exact: nameMatches = name.elementsEqual(fileName)
        case .suffix(let tail): nameMatches = fileName.count >= tail.count && fileName.suffix(tail.count).elementsEqual(tail)
        case .prefix(let head): nameMatches = fileName.count >= head.count && fileName.prefix(head.count).elementsEqual(head)
        case .general: nameMatches = GitIgnore.glob(name, matches: fileName)
        }
        guard nameMatches else { return false }
        guard let folder else { return true }
        return [FileGlob.folder(of: relative), FileGlob.folder(of: shownPath)].contains { $0 == folder || $0.hasSuffix("/" + folder) }
    }

    /// The extension a suffix glob needs (`*.prompt.md` → `md`), when it names one.
    var requiredExtension: String? {
        guard case .suffix(let tail) = shape, let dot = tail.lastIndex(of: UInt8(ascii: ".")), dot + 1 < tail.endIndex else { return nil }
        return String(decoding: tail[(dot + 1)...], as: UTF8.self)
    }
}

/// The file globs of every pattern check, indexed once: by the file name for exact globs, by
/// the extension for suffix globs (`*.ts`), and a short list for the rest (`.env*`,
/// `Dockerfile.*`). Choosing a blob's checks is then two dictionary lookups and a few byte
/// comparisons, whatever the number of checks.
struct CheckScope: Sendable {
    typealias Entry = (check: Int, glob: FileGlob)
    /// Exact names (`settings.py`), compared by bytes: a handful, so a list beats hashing a string per blob.
    let exact: [Entry]
    /// Checks selected by the extension alone (`*.ts` with no folder), keyed by the extension
    /// packed into an integer (at most 8 bytes): no test at all per blob.
    let byExtensionAlone: [UInt64: [Int]]
    /// Other suffix globs by the extension they need (`*.prompt.md`, `.github/workflows/*.yml`).
    let byExtension: [UInt64: [Entry]]
    let others: [Entry]
    /// What a file name must be (`exact`) or start or end with (`others`), entry by entry: tested
    /// before an entry is looked at, since copying one out of its list (its strings and byte
    /// slices retained and released) cost more than the test, for every blob.
    let exactNames: [[UInt8]]
    let otherNames: [NameTest]

    enum NameTest: Sendable {
        case prefix([UInt8]), suffix([UInt8]), any

        func admits(_ name: ArraySlice<UInt8>) -> Bool {
            switch self {
            case .prefix(let head): name.count >= head.count && name.prefix(head.count).elementsEqual(head)
            case .suffix(let tail): name.count >= tail.count && name.suffix(tail.count).elementsEqual(tail)
            case .any: true
            }
        }
    }

    init(globs: [Entry]) {
        var exact: [Entry] = [], alone: [UInt64: [Int]] = [:], byExtension: [UInt64: [Entry]] = [:], others: [Entry] = []
        for entry in globs {
            if entry.glob.shape == .exact {
                exact.append(entry)
            } else if let ext = entry.glob.requiredExtension, let key = CheckScope.key(Array(ext.utf8)[...]) {
                if entry.glob.folder == nil, case .suffix(let tail) = entry.glob.shape, tail.count == ext.utf8.count + 1 {
                    alone[key, default: []].append(entry.check)
                } else {
                    byExtension[key, default: []].append(entry)
                }
            } else {
                others.append(entry)
            }
        }
        self.exact = exact
        byExtensionAlone = alone
        self.byExtension = byExtension
        self.others = others
        exactNames = exact.map { Array($0.glob.name) }
        otherNames = others.map { entry in
            switch entry.glob.shape {
            case .prefix(let head): .prefix(Array(head))
            case .suffix(let tail): .suffix(Array(tail))
            case .exact: .prefix(Array(entry.glob.name))
            case .general: .any
            }
        }
    }

    /// An extension of 1 to 8 bytes as one integer.
    static func key(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The checks whose globs match the file, in check order.
    func checks(for relative: String, shownPath: String) -> [Int] {
        let path = Array(relative.utf8)
        let name = path.lastIndex(of: UInt8(ascii: "/")).map { path[($0 + 1)...] } ?? path[...]
        var picked: [Int] = []
        func consider(_ entries: [Entry]) {
            for entry in entries where entry.glob.matches(name: name, relative: relative, shownPath: shownPath) {
                picked.append(entry.check)
            }
        }
        for index in exactNames.indices where exactNames[index].elementsEqual(name)
            && exact[index].glob.matches(name: name, relative: relative, shownPath: shownPath) {
            picked.append(exact[index].check)
        }
        if let dot = name.lastIndex(of: UInt8(ascii: ".")), let key = CheckScope.key(name[(dot + 1)...]) {
            if let checks = byExtensionAlone[key] { picked += checks }
            if let entries = byExtension[key] { consider(entries) }
        }
        for index in otherNames.indices where otherNames[index].admits(name)
            && others[index].glob.matches(name: name, relative: relative, shownPath: shownPath) {
            picked.append(others[index].check)
        }
        guard picked.count > 1 else { return picked }
        picked.sort()
        var unique: [Int] = []
        for check in picked where unique.last != check { unique.append(check) }
        return unique
    }
}
