/// `.gitignore` semantics for the working-tree walk: patterns per directory, last match wins,
/// `!` re-includes, a trailing `/` matches directories only, a slash anchors to the file's directory.
///
/// Each line is compiled once into its shape (a literal name, `*.ext`, or a general glob) and
/// paths are matched as bytes: a walk of a monorepo with hundreds of nested `.gitignore` files
/// spent most of its time building and hashing Strings per path per pattern. The walk drops a
/// directory's patterns when it leaves the directory (`truncate`), so a path is tested only
/// against the ignore files of the directories that enclose it.
public struct GitIgnore: Sendable {
    struct Pattern: Sendable {
        var glob: [UInt8]
        var isNegated: Bool
        var isDirectoryOnly: Bool
        var isAnchored: Bool
        /// Directory (relative to the scan root, no trailing slash) whose `.gitignore` holds it.
        var base: [UInt8]
        var shape: Shape

        func matches(_ subject: ArraySlice<UInt8>) -> Bool { shape.matches(glob[...], subject) }
    }

    /// How a line is matched, decided when it is read.
    public enum Shape: Sendable {
        /// No wildcard: the bytes themselves.
        case literal
        /// `*` then a literal without `/` (`*.log`): a suffix of one path component.
        case suffix([UInt8])
        case general

        /// Whether `glob` (of this shape) matches `subject`.
        public func matches(_ glob: ArraySlice<UInt8>, _ subject: ArraySlice<UInt8>) -> Bool {
            switch self {
            case .literal: return glob.elementsEqual(subject)
            case .suffix(let rest):
                return subject.count >= rest.count && !subject.contains(GitIgnore.slash) && subject.suffix(rest.count).elementsEqual(rest)
            case .general: return GitIgnore.glob(glob, matches: subject)
            }
        }
    }

    public static let slash = UInt8(ascii: "/")
    /// A byte that makes a glob more than a literal (a test, not a Set: it runs per byte of every pattern tried).
    static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\\")
    }

    private var patterns: [Pattern] = []

    public init() {}

    /// How many patterns are held; a walk leaving a directory truncates back to the count it
    /// had before reading that directory's `.gitignore`.
    public var count: Int { patterns.count }

    public mutating func truncate(to count: Int) {
        if count < patterns.count { patterns.removeSubrange(count...) }
    }

    public static func shape(of glob: [UInt8]) -> Shape {
        if !glob.contains(where: isSpecial) { return .literal }
        let rest = glob.dropFirst()
        if glob.first == UInt8(ascii: "*"), !rest.contains(where: isSpecial), !rest.contains(slash) { return .suffix(Array(rest)) }
        return .general
    }

    /// Adds the patterns of the `.gitignore` in `base` (relative to the root; "" for the root).
    public mutating func add(fileText: String, base: String) {
        for rawLine in fileText.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            while line.last == " " && !line.hasSuffix("\\ ") { line = line.dropLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var isNegated = false
            if line.hasPrefix("!") { isNegated = true; line = line.dropFirst() }
            if line.hasPrefix("\\") { line = line.dropFirst() }
            var isDirectoryOnly = false
            if line.hasSuffix("/") { isDirectoryOnly = true; line = line.dropLast() }
            let isAnchored = line.dropLast().contains("/")
            if line.hasPrefix("/") { line = line.dropFirst() }
            guard !line.isEmpty else { continue }
            let glob = Array(line.utf8)
            patterns.append(Pattern(glob: glob, isNegated: isNegated, isDirectoryOnly: isDirectoryOnly,
                                    isAnchored: isAnchored, base: Array(base.utf8), shape: GitIgnore.shape(of: glob)))
        }
    }

    /// Whether `path` (relative to the root) is ignored.
    public func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        isIgnored(bytes: Array(path.utf8), isDirectory: isDirectory)
    }

    /// Whether `path` (relative to the root, as bytes) is ignored: the last pattern that
    /// matches decides, so patterns are tried from the last and the first match answers.
    public func isIgnored(bytes path: [UInt8], isDirectory: Bool) -> Bool {
        let name = path[(path.lastIndex(of: GitIgnore.slash).map { $0 + 1 } ?? 0)...]
        for pattern in patterns.reversed() {
            if pattern.isDirectoryOnly && !isDirectory { continue }
            var relative = path[...]
            if !pattern.base.isEmpty {
                let length = pattern.base.count
                guard path.count > length, path[length] == GitIgnore.slash, path.prefix(length).elementsEqual(pattern.base) else { continue }
                relative = path[(length + 1)...]
            }
            if pattern.matches(pattern.isAnchored ? relative : name) { return !pattern.isNegated }
        }
        return false
    }

    /// Glob match where `*` and `?` stop at `/`, `**` crosses directories, `[...]` is a class.
    ///
    /// Memoised over (pattern position, text position), so a hostile `.gitignore` line full of
    /// stars costs at most pattern × path steps instead of exponential backtracking.
    public static func glob(_ pattern: ArraySlice<UInt8>, matches text: ArraySlice<UInt8>) -> Bool {
        // Most lines are literal names (`node_modules`) or `*.ext`: no automaton needed.
        // A comparison, not a `Set`: this runs per path and pattern, and a set literal hashes per call.
        @inline(__always) func special(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\\")
        }
        let rest = pattern.dropFirst()
        if !pattern.contains(where: special) { return pattern.elementsEqual(text) }
        if pattern.first == UInt8(ascii: "*"), !rest.contains(where: special), !rest.contains(UInt8(ascii: "/")) {
            return !text.contains(UInt8(ascii: "/")) && text.count >= rest.count && text.suffix(rest.count).elementsEqual(rest)
        }
        var matcher = GlobMatcher(pattern: Array(pattern), text: Array(text))
        return matcher.matches(0, 0)
    }
}

/// The memoised matcher behind `GitIgnore.glob`.
struct GlobMatcher {
    let pattern: [UInt8]
    let text: [UInt8]
    /// 0 unknown, 1 no, 2 yes, for each (pattern index, text index).
    private var memo: [UInt8]

    init(pattern: [UInt8], text: [UInt8]) {
        self.pattern = pattern
        self.text = text
        memo = [UInt8](repeating: 0, count: (pattern.count + 1) * (text.count + 1))
    }

    mutating func matches(_ p: Int, _ t: Int) -> Bool {
        let key = p * (text.count + 1) + t
        if memo[key] != 0 { return memo[key] == 2 }
        let result = compute(p, t)
        memo[key] = result ? 2 : 1
        return result
    }

    private mutating func compute(_ p: Int, _ t: Int) -> Bool {
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
        guard p < pattern.count else { return t == text.count }
        let c = pattern[p]
        if c == star {
            if p + 1 < pattern.count, pattern[p + 1] == star {
                // `**`: any number of whole directories (`a/**/b`), or anything at the end.
                var rest = p + 2
                if rest < pattern.count, pattern[rest] == slash { rest += 1 }
                if rest == pattern.count { return true }
                var i = t
                while true {
                    if matches(rest, i) { return true }
                    guard let next = text[i...].firstIndex(of: slash) else { return false }
                    i = next + 1
                }
            }
            // `*`: zero characters, or one more non-slash character.
            if matches(p + 1, t) { return true }
            return t < text.count && text[t] != slash && matches(p, t + 1)
        }
        guard t < text.count else { return false }
        let ch = text[t]
        switch c {
        case UInt8(ascii: "?"):
            return ch != slash && matches(p + 1, t + 1)
        case UInt8(ascii: "["):
            guard ch != slash, let close = classEnd(from: p) else { break }
            var i = p + 1
            let negate = pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^")
            if negate { i += 1 }
            var hit = false
            while i < close {
                if i + 2 < close, pattern[i + 1] == UInt8(ascii: "-") {
                    if pattern[i] <= ch && ch <= pattern[i + 2] { hit = true }
                    i += 3
                } else {
                    if pattern[i] == ch { hit = true }
                    i += 1
                }
            }
            return hit != negate && matches(close + 1, t + 1)
        case UInt8(ascii: "\\"):
            guard p + 1 < pattern.count else { return false }
            return ch == pattern[p + 1] && matches(p + 2, t + 1)
        default:
            break
        }
        return ch == c && matches(p + 1, t + 1)
    }

    /// Index of the `]` closing the class that opens at `p` (a `]` right after `[` or `[!` is literal).
    private func classEnd(from p: Int) -> Int? {
        var i = p + 1
        if i < pattern.count, pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^") { i += 1 }
        i += 1
        while i < pattern.count {
            if pattern[i] == UInt8(ascii: "]") { return i }
            i += 1
        }
        return nil
    }
}
