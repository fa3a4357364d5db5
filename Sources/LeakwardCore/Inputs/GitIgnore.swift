/// `.gitignore` semantics for the working-tree walk: patterns per directory, last match wins,
/// `!` re-includes, a trailing `/` matches directories only, a slash anchors to the file's directory.
public struct GitIgnore: Sendable {
    struct Pattern: Sendable {
        var glob: [UInt8]
        var isNegated: Bool
        var isDirectoryOnly: Bool
        var isAnchored: Bool
        /// Directory (relative to the scan root, no trailing slash) whose `.gitignore` holds it.
        var base: String
    }

    private var patterns: [Pattern] = []

    public init() {}

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
            patterns.append(Pattern(glob: Array(line.utf8), isNegated: isNegated, isDirectoryOnly: isDirectoryOnly,
                                    isAnchored: isAnchored, base: base))
        }
    }

    /// Whether `path` (relative to the root) is ignored.
    public func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        var ignored = false
        let name = Array(FileKind.basename(path).utf8)
        for pattern in patterns {
            if pattern.isDirectoryOnly && !isDirectory { continue }
            let relative: Substring
            if pattern.base.isEmpty {
                relative = Substring(path)
            } else if path.hasPrefix(pattern.base + "/") {
                relative = path.dropFirst(pattern.base.count + 1)
            } else {
                continue
            }
            let subject = pattern.isAnchored ? Array(relative.utf8) : name
            if GitIgnore.glob(pattern.glob[...], matches: subject[...]) { ignored = !pattern.isNegated }
        }
        return ignored
    }

    /// Glob match where `*` and `?` stop at `/`, `**` crosses directories, `[...]` is a class.
    static func glob(_ pattern: ArraySlice<UInt8>, matches text: ArraySlice<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
        guard let p = pattern.first else { return text.isEmpty }
        switch p {
        case star:
            if pattern.dropFirst().first == star {
                var rest = pattern.dropFirst(2)
                if rest.first == slash { rest = rest.dropFirst() }
                if rest.isEmpty { return true }
                var t = text
                while true {
                    if glob(rest, matches: t) { return true }
                    guard let next = t.firstIndex(of: slash) else { return false }
                    t = t[(next + 1)...]
                }
            }
            var t = text
            while true {
                if glob(pattern.dropFirst(), matches: t) { return true }
                guard let c = t.first, c != slash else { return false }
                t = t.dropFirst()
            }
        case UInt8(ascii: "?"):
            guard let c = text.first, c != slash else { return false }
            return glob(pattern.dropFirst(), matches: text.dropFirst())
        case UInt8(ascii: "["):
            guard let c = text.first, c != slash,
                  let close = pattern.dropFirst(2).firstIndex(of: UInt8(ascii: "]")) else { break }
            var set = pattern[(pattern.startIndex + 1)..<close]
            let negate = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
            if negate { set = set.dropFirst() }
            var hit = false
            var i = set.startIndex
            while i < set.endIndex {
                if i + 2 < set.endIndex, set[i + 1] == UInt8(ascii: "-") {
                    if set[i] <= c && c <= set[i + 2] { hit = true }
                    i += 3
                } else {
                    if set[i] == c { hit = true }
                    i += 1
                }
            }
            return hit != negate && glob(pattern[(close + 1)...], matches: text.dropFirst())
        case UInt8(ascii: "\\"):
            guard pattern.count > 1, text.first == pattern[pattern.startIndex + 1] else { return false }
            return glob(pattern.dropFirst(2), matches: text.dropFirst())
        default:
            break
        }
        guard text.first == p else { return false }
        return glob(pattern.dropFirst(), matches: text.dropFirst())
    }
}
