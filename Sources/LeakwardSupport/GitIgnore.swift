#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `.gitignore` semantics for the working-tree walk: patterns per directory, the innermost
/// ignore file that has a matching line decides and within a file the last matching line wins,
/// `!` re-includes, a trailing `/` matches directories only, a slash anchors to the file's directory.
///
/// Each ignore file is compiled once into an `IgnoreFile`, a glob set the way ripgrep's `ignore`
/// crate builds one: literal names (`node_modules`) are compared by a hash computed once per
/// path, `*.ext` lines by the name's suffix, and only the rest go through the glob matcher; paths
/// are matched as bytes. A walk of a monorepo with hundreds of nested `.gitignore` files used
/// to spend most of its time building and hashing Strings per path per pattern. A walk gives
/// each directory the ignore files of the directories that enclose it (`adding`, a copy of a
/// short array), so a path is tested only against those, and walks of sibling directories on
/// other threads never share a mutable matcher.
public struct GitIgnore: Sendable {
    /// The compiled ignore files, outermost first.
    private var files: [IgnoreFile] = []

    public init() {}

    /// How many ignore files are held; a walk leaving a directory truncates back to the count it
    /// had before reading that directory's `.gitignore`.
    public var count: Int { files.count }

    public mutating func truncate(to count: Int) {
        if count < files.count { files.removeSubrange(count...) }
    }

    /// Adds the patterns of the `.gitignore` in `base` (relative to the root; "" for the root).
    public mutating func add(fileText: String, base: String) {
        add(IgnoreFile(text: Array(fileText.utf8), base: Array(base.utf8)))
    }

    /// Adds an ignore file compiled from its bytes.
    public mutating func add(_ file: IgnoreFile) {
        if !file.isEmpty { files.append(file) }
    }

    /// This matcher with one more (inner) ignore file.
    public func adding(_ file: IgnoreFile) -> GitIgnore {
        var copy = self
        copy.add(file)
        return copy
    }

    public static let slash = UInt8(ascii: "/")

    /// Whether `path` (relative to the root) is ignored.
    public func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        var path = path
        return path.withUTF8 { isIgnored(bytes: $0, isDirectory: isDirectory) }
    }

    /// Whether `path` (relative to the root, as bytes) is ignored.
    public func isIgnored(bytes path: [UInt8], isDirectory: Bool) -> Bool {
        path.withUnsafeBufferPointer { isIgnored(bytes: $0, isDirectory: isDirectory) }
    }

    /// Whether `path` (relative to the root, as bytes) is ignored: the innermost file with a
    /// matching line decides, so files are tried from the last.
    public func isIgnored(bytes path: UnsafeBufferPointer<UInt8>, isDirectory: Bool) -> Bool {
        guard !files.isEmpty else { return false }
        let subject = IgnoreFile.Subject(path: path)
        // By index, not `files.reversed()`: its iterator copied each file's tables out of the
        // array (a retain and a release per table per file per path of the walk).
        // Through the buffer: each file is asked in place, never copied out of the array (a
        // retain and a release of each of its tables, per file per path).
        return files.withUnsafeBufferPointer { files in
            var index = files.count
            while index > 0 {
                index -= 1
                if let verdict = files[index].verdict(subject, isDirectory: isDirectory) { return verdict }
            }
            return false
        }
    }

    /// Glob match where `*` and `?` stop at `/`, `**` crosses directories, `[...]` is a class.
    ///
    /// Memoised over (pattern position, text position), so a hostile `.gitignore` line full of
    /// stars costs at most pattern × path steps instead of exponential backtracking.
    public static func glob(_ pattern: ArraySlice<UInt8>, matches text: ArraySlice<UInt8>) -> Bool {
        // Most lines are literal names (`node_modules`) or `*.ext`: no automaton needed.
        let rest = pattern.dropFirst()
        if !pattern.contains(where: IgnoreFile.isSpecial) { return pattern.elementsEqual(text) }
        if pattern.first == UInt8(ascii: "*"), !rest.contains(where: IgnoreFile.isSpecial), !rest.contains(slash) {
            return !text.contains(slash) && text.count >= rest.count && text.suffix(rest.count).elementsEqual(rest)
        }
        return pattern.withUnsafeBufferPointer { pattern in text.withUnsafeBufferPointer { GlobMatcher.matches(pattern, $0) } }
    }
}

/// One `.gitignore` (or `info/exclude`, or a config's path globs) compiled into a glob set.
public struct IgnoreFile: Sendable {
    /// How a line is matched, decided when it is read.
    enum Shape: Sendable {
        /// No wildcard: the bytes themselves.
        case literal
        /// `*` then a literal without `/` (`*.log`): a suffix of one path component.
        case suffix
        case general
    }

    struct Pattern: Sendable {
        /// The glob (for `.suffix`, what follows the `*`).
        var glob: [UInt8]
        var isNegated: Bool
        var isDirectoryOnly: Bool
        /// Matched against the path relative to the file's directory, not the name alone.
        var isAnchored: Bool
        var shape: Shape
        /// For a general glob, the literal bytes before its first wildcard and after its last:
        /// a subject that lacks them is rejected without running the matcher.
        var head: [UInt8] = []
        var tail: [UInt8] = []
        /// For a general glob, its longest run of literal bytes between wildcards, which every
        /// subject it matches holds somewhere (`eslintcache/` of `**/eslintcache/*`): a glob
        /// that starts and ends with a wildcard has no head or tail to reject a path by.
        var inner: [UInt8] = []
    }

    /// A path taken apart once for all the files it is tested against.
    struct Subject {
        let path: UnsafeBufferPointer<UInt8>
        /// Start of the last component.
        let nameStart: Int
        let nameHash: UInt64

        init(path: UnsafeBufferPointer<UInt8>) {
            self.path = path
            var start = path.count
            while start > 0 && path[start - 1] != GitIgnore.slash { start -= 1 }
            nameStart = start
            nameHash = IgnoreFile.hash(UnsafeBufferPointer(rebasing: path[start...]))
        }
    }

    /// Directory (relative to the scan root, no trailing slash) whose ignore file this is.
    let base: [UInt8]
    private var patterns: [Pattern] = []
    /// Unanchored literal lines by the hash of the name they match, in line order.
    private var names: [(hash: UInt64, index: Int)] = []
    /// Unanchored `*.ext` lines, in line order.
    private var suffixes: [Int] = []
    /// Everything else (anchored lines, classes, `**`), in line order.
    private var others: [Int] = []

    public var isEmpty: Bool { patterns.isEmpty }
    public var patternCount: Int { patterns.count }

    /// Compiles the lines of `text`, an ignore file in the directory `base` ("" for the root).
    public init(text: [UInt8], base: [UInt8]) {
        self.base = base
        var lineStart = 0
        for index in 0...text.count where index == text.count || text[index] == 10 || text[index] == 13 {
            if index > lineStart { addLine(text[lineStart..<index]) }
            lineStart = index + 1
        }
    }

    static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "\\")
    }

    /// FNV-1a: names are short, and the hash is computed once per path.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    private mutating func addLine(_ raw: ArraySlice<UInt8>) {
        let space = UInt8(ascii: " "), backslash = UInt8(ascii: "\\")
        var line = raw
        // Trailing spaces go unless escaped (`a\ `).
        while line.last == space && !(line.count >= 2 && line[line.endIndex - 2] == backslash) { line = line.dropLast() }
        guard !line.isEmpty, line.first != UInt8(ascii: "#") else { return }
        var isNegated = false
        if line.first == UInt8(ascii: "!") { isNegated = true; line = line.dropFirst() }
        if line.first == backslash { line = line.dropFirst() }
        var isDirectoryOnly = false
        if line.last == GitIgnore.slash { isDirectoryOnly = true; line = line.dropLast() }
        let isAnchored = line.dropLast().contains(GitIgnore.slash)
        if line.first == GitIgnore.slash { line = line.dropFirst() }
        guard !line.isEmpty else { return }
        let glob = Array(line)
        let index = patterns.count
        let rest = glob.dropFirst()
        var shape = Shape.general
        if !glob.contains(where: IgnoreFile.isSpecial) {
            shape = .literal
        } else if glob.first == UInt8(ascii: "*"), !rest.contains(where: IgnoreFile.isSpecial), !rest.contains(GitIgnore.slash) {
            shape = .suffix
        }
        var pattern = Pattern(glob: shape == .suffix ? Array(rest) : glob, isNegated: isNegated,
                              isDirectoryOnly: isDirectoryOnly, isAnchored: isAnchored, shape: shape)
        if shape == .general {
            let first = glob.firstIndex(where: IgnoreFile.isSpecial) ?? glob.count
            let last = glob.lastIndex(where: { IgnoreFile.isSpecial($0) || $0 == UInt8(ascii: "]") }) ?? -1
            pattern.head = Array(glob[..<first])
            var tail = last + 1
            // `**/` may match no directory at all, slash included (`**/foo` matches `foo`).
            if last >= 1, glob[last] == UInt8(ascii: "*"), glob[last - 1] == UInt8(ascii: "*"), tail < glob.count,
               glob[tail] == GitIgnore.slash { tail += 1 }
            pattern.tail = tail < glob.count ? Array(glob[tail...]) : []
            pattern.inner = IgnoreFile.longestLiteral(glob)
        }
        patterns.append(pattern)
        switch (shape, isAnchored) {
        case (.literal, false): names.append((glob.withUnsafeBufferPointer(IgnoreFile.hash), index))
        case (.suffix, false): suffixes.append(index)
        default: others.append(index)
        }
    }

    /// The longest run of bytes a text matching `glob` must hold verbatim: a run between
    /// wildcards or classes. A run right after `**` loses its leading `/` (`**/` may match
    /// nothing, slash included). Empty (no test) when the glob escapes a byte with `\`.
    static func longestLiteral(_ glob: [UInt8]) -> [UInt8] {
        guard !glob.contains(UInt8(ascii: "\\")) else { return [] }
        var best: ArraySlice<UInt8> = [], i = 0
        while i < glob.count {
            if glob[i] == UInt8(ascii: "[") {
                // Past the class: its closing `]` (one right after `[` or `[!` is literal).
                var j = i + 1
                if j < glob.count, glob[j] == UInt8(ascii: "!") || glob[j] == UInt8(ascii: "^") { j += 1 }
                j += 1
                while j < glob.count, glob[j] != UInt8(ascii: "]") { j += 1 }
                // An unclosed `[` is a plain byte to the matcher; the runs from it on are left out,
                // which only makes the test weaker, never wrong.
                guard j < glob.count else { return Array(best) }
                i = j + 1
                continue
            }
            if glob[i] == UInt8(ascii: "*") || glob[i] == UInt8(ascii: "?") {
                i += 1
                continue
            }
            var start = i
            while i < glob.count, !isSpecial(glob[i]) { i += 1 }
            if start >= 2, glob[start - 1] == UInt8(ascii: "*"), glob[start - 2] == UInt8(ascii: "*"), glob[start] == GitIgnore.slash {
                start += 1
            }
            if i - start > best.count { best = glob[start..<i] }
        }
        return Array(best)
    }

    /// Whether this file ignores (true) or re-includes (false) the path, or says nothing (nil).
    /// The last matching line wins: each group is searched from its last line, and the latest
    /// line any group matched decides.
    func verdict(_ subject: Subject, isDirectory: Bool) -> Bool? {
        let path = subject.path
        // The path relative to this file's directory; the walk only asks files that enclose it.
        var relativeStart = 0
        if !base.isEmpty {
            guard path.count > base.count, path[base.count] == GitIgnore.slash,
                  base.withUnsafeBufferPointer({ memcmp($0.baseAddress!, path.baseAddress!, base.count) == 0 }) else { return nil }
            relativeStart = base.count + 1
        }
        let relative = UnsafeBufferPointer(rebasing: path[relativeStart...])
        let name = UnsafeBufferPointer(rebasing: path[subject.nameStart...])
        // Patterns and the groups' lists are read in place, through their buffers: neither a
        // pattern (three byte arrays) nor a list is copied (retained and released) per path.
        return patterns.withUnsafeBufferPointer { patterns -> Bool? in
            var best = -1
            names.withUnsafeBufferPointer { names in
                var k = names.count
                while k > 0 {
                    k -= 1
                    let index = names[k].index
                    guard index > best else { break }
                    guard names[k].hash == subject.nameHash else { continue }
                    if patterns[index].isDirectoryOnly && !isDirectory { continue }
                    if IgnoreFile.equal(patterns[index].glob, name) { best = index; break }
                }
            }
            suffixes.withUnsafeBufferPointer { suffixes in
                var k = suffixes.count
                while k > 0 {
                    k -= 1
                    let index = suffixes[k]
                    guard index > best else { break }
                    if patterns[index].isDirectoryOnly && !isDirectory { continue }
                    if IgnoreFile.hasSuffix(name, patterns[index].glob) { best = index; break }
                }
            }
            others.withUnsafeBufferPointer { others in
                var k = others.count
                while k > 0 {
                    k -= 1
                    let index = others[k]
                    guard index > best else { break }
                    if patterns[index].isDirectoryOnly && !isDirectory { continue }
                    let subject = patterns[index].isAnchored ? relative : name
                    let hit: Bool
                    switch patterns[index].shape {
                    case .literal: hit = IgnoreFile.equal(patterns[index].glob, subject)
                    case .suffix: hit = IgnoreFile.hasSuffix(subject, patterns[index].glob) && !subject.contains(GitIgnore.slash)
                    case .general:
                        hit = IgnoreFile.hasPrefix(subject, patterns[index].head) && IgnoreFile.hasSuffix(subject, patterns[index].tail)
                            && IgnoreFile.holds(subject, patterns[index].inner)
                            && patterns[index].glob.withUnsafeBufferPointer { GlobMatcher.matches($0, subject) }
                    }
                    if hit { best = index; break }
                }
            }
            return best < 0 ? nil : !patterns[best].isNegated
        }
    }

    /// Whether `subject` holds `part` anywhere (true for an empty part).
    private static func holds(_ subject: UnsafeBufferPointer<UInt8>, _ part: [UInt8]) -> Bool {
        guard !part.isEmpty else { return true }
        guard subject.count >= part.count else { return false }
        return part.withUnsafeBufferPointer { part in
            let base = subject.baseAddress!, last = subject.count - part.count
            var at = 0
            // memchr for the first byte, memcmp for the rest (Glibc's memmem is not imported).
            while at <= last, let hit = memchr(base + at, Int32(part[0]), last - at + 1) {
                let found = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + found, part.baseAddress!, part.count) == 0 { return true }
                at = found + 1
            }
            return false
        }
    }

    private static func equal(_ bytes: [UInt8], _ subject: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count == subject.count && bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, subject.baseAddress!, bytes.count) == 0 }
    }

    private static func hasPrefix(_ subject: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        guard subject.count >= prefix.count else { return false }
        if prefix.isEmpty { return true }
        return prefix.withUnsafeBufferPointer { memcmp($0.baseAddress!, subject.baseAddress!, prefix.count) == 0 }
    }

    private static func hasSuffix(_ subject: UnsafeBufferPointer<UInt8>, _ suffix: [UInt8]) -> Bool {
        guard subject.count >= suffix.count else { return false }
        if suffix.isEmpty { return true }
        return suffix.withUnsafeBufferPointer { memcmp($0.baseAddress!, subject.baseAddress! + subject.count - suffix.count, suffix.count) == 0 }
    }
}

/// The memoised matcher behind `GitIgnore.glob`, over bytes it does not own.
struct GlobMatcher {
    let pattern: UnsafeBufferPointer<UInt8>
    let text: UnsafeBufferPointer<UInt8>
    /// 0 unknown, 1 no, 2 yes, for each (pattern index, text index).
    private let memo: UnsafeMutableBufferPointer<UInt8>

    /// Whether `pattern` matches the whole of `text`; the memo is a temporary allocation (on
    /// the stack when small), not three arrays per path and pattern.
    static func matches(_ pattern: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: (pattern.count + 1) * (text.count + 1)) { memo in
            memo.initialize(repeating: 0)
            var matcher = GlobMatcher(pattern: pattern, text: text, memo: memo)
            return matcher.matches(0, 0)
        }
    }

    private init(pattern: UnsafeBufferPointer<UInt8>, text: UnsafeBufferPointer<UInt8>, memo: UnsafeMutableBufferPointer<UInt8>) {
        self.pattern = pattern
        self.text = text
        self.memo = memo
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
