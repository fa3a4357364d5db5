
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

    /// Whether `fileName` ends with one of `suffixes` (case-insensitive).
    public func nameHasSuffix(_ suffixes: [String]) -> Bool {
        return suffixes.contains { lowercasedName.hasSuffix($0) }
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
