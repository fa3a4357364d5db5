
extension Chunk {
    /// The name decoders judge this chunk by: the last path component of the innermost member
    /// (or of the file), minus a compression suffix a decoder already removed (`app.js.gz` after gzip is
    /// `app.js`), so a `.br` name is never decoded twice and `app.js.map.gz` is still a map.
    public static func fileName(path: String, steps: [DecodeStep]) -> String {
        let utf8 = path.utf8
        let cut = utf8.lastIndex { $0 == UInt8(ascii: "/") }
        let name = cut.map { Substring(path[path.utf8.index(after: $0)...]) } ?? Substring(path)
        if steps.isEmpty { return String(name) }
        // Strip only when a decompressor ran since the path last changed (`x.js.gz` → gzip →
        // ci-log is still `x.js`; `x.zip!a.gz` before its own gzip step is `a.gz`).
        guard let last = steps.last(where: { $0.decoder.isDecompressor || $0.decoder.opensMember }),
              last.decoder.isDecompressor else { return String(name) }
        if name.hasSuffix(".tgz") { return name.dropLast(4) + ".tar" }
        for suffix in [".gz", ".br", ".zz"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return String(name)
    }

    /// Whether `fileName` ends with one of `suffixes` (case-insensitive; the suffixes are
    /// lower-case ASCII). Compared as bytes: several decoders ask this of every chunk, and
    /// String's `hasSuffix` compares by Characters. For an ASCII suffix the two agree (a
    /// combining mark joins the character before it, never a following `.` or letter).
    public func nameHasSuffix(_ suffixes: [String]) -> Bool {
        let found = lowercasedName.utf8.withContiguousStorageIfAvailable { name in
            suffixes.contains { suffix in
                suffix.utf8.withContiguousStorageIfAvailable { tail in
                    tail.count <= name.count && UnsafeBufferPointer(rebasing: name[(name.count - tail.count)...]).elementsEqual(tail)
                } ?? lowercasedName.hasSuffix(suffix)
            }
        }
        return found ?? suffixes.contains { lowercasedName.hasSuffix($0) }
    }

    /// Whether `test` holds for one of `folders`, asked without building the list: a decoder
    /// asks this of most chunks. ASCII paths are split at `/` bytes, which is what splitting
    /// at `/` Characters gives for them; any other path goes through `folders`.
    public func hasFolder(where test: (Substring) -> Bool) -> Bool {
        let paths = [origin.root, origin.path] + members
        guard paths.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return folders.contains(where: test) }
        for (i, path) in paths.enumerated() {
            // The root's parts and each containing path's are all folders; the innermost path's
            // last part is the chunk's own name.
            let dropsLast = i == paths.count - 1 && i > 0
            var pending: Substring?
            var start = path.utf8.startIndex
            var at = start
            while true {
                let atEnd = at == path.utf8.endIndex
                if atEnd || path.utf8[at] == UInt8(ascii: "/") {
                    if at > start {
                        if let previous = pending, test(previous) { return true }
                        pending = path[start..<at]
                    }
                    if atEnd { break }
                    start = path.utf8.index(after: at)
                }
                at = path.utf8.index(after: at)
            }
            if !dropsLast, let last = pending, test(last) { return true }
        }
        return false
    }

    /// The folders the chunk sits in, outermost first: the root's, the file's, then each
    /// member's (a containing member's own name included, the innermost's not).
    public var folders: [Substring] {
        var result = origin.root.split(separator: "/")
        let paths = [origin.path] + members
        for (i, path) in paths.enumerated() {
            let parts = path.split(separator: "/")
            result += i == paths.count - 1 ? parts.dropLast() : parts[...]
        }
        return result
    }
}
