/// What the content of one file with findings says about where its values end up. Read after
/// the scan, only for the few files that had findings.
public struct FileFacts: Sendable, Hashable {
    /// The file starts with a `'use client'` directive (React Server Components): it is bundled for browsers.
    public var hasClientDirective = false
    /// Byte ranges of `env: { ... }` blocks in a `next.config.*`: values there are inlined into the bundle.
    public var envBlockRanges: [Range<Int>] = []
    /// An HTML or script payload that hydrates pages (`__NEXT_DATA__`, `window.__ENV`).
    public var hasInlineClientPayload = false
    /// A Kubernetes manifest (`apiVersion:` and `kind:`).
    public var isKubernetesManifest = false

    public init() {}

    /// Facts from the file's bytes; `path` picks which facts apply.
    public init(bytes: [UInt8], path: String) {
        let text = String(decoding: bytes, as: UTF8.self)
        if ShippedPath.isScript(path) { hasClientDirective = FileFacts.startsWithClientDirective(text) }
        if ShippedPath.isNextConfig(path) { envBlockRanges = FileFacts.envBlocks(in: bytes) }
        hasInlineClientPayload = text.contains("__NEXT_DATA__") || text.contains("window.__ENV")
        let ext = ShippedPath.assetExtension(path)
        if ext == "yaml" || ext == "yml" { isKubernetesManifest = text.contains("apiVersion:") && text.contains("kind:") }
    }

    /// Reads the facts of the file at `diskPath` (judged by its name `path`), or nil when it
    /// cannot be read (a deleted file).
    public static func read(diskPath: String, path: String) -> FileFacts? {
        guard let bytes = try? FileReader.read(path: diskPath, limit: 4 << 20) else { return nil }
        return FileFacts(bytes: bytes, path: path)
    }

    /// Whether `offset` (a byte offset in the file) falls inside a `next.config` `env` block.
    public func isInEnvBlock(_ offset: Int) -> Bool { envBlockRanges.contains { $0.contains(offset) } }

    /// The directive must be the first statement: only comments and blank lines may come before it.
    static func startsWithClientDirective(_ text: String) -> Bool {
        var rest = Substring(text.prefix(4096))
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
            if rest.hasPrefix("//") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*"), let end = rest.range(of: "*/") {
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        return rest.hasPrefix("'use client'") || rest.hasPrefix("\"use client\"")
    }

    /// Finds `env: {` (or `env = {`) and its matching brace, skipping string contents.
    static func envBlocks(in bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        let key = Array("env".utf8)
        var i = 0
        while i + key.count < bytes.count {
            defer { i += 1 }
            guard bytes[i..<i + key.count].elementsEqual(key) else { continue }
            if i > 0, isIdentifierByte(bytes[i - 1]) { continue }
            var j = i + key.count
            if j < bytes.count, isIdentifierByte(bytes[j]) { continue }
            while j < bytes.count, bytes[j] == 32 || bytes[j] == 9 || bytes[j] == 34 || bytes[j] == 39 { j += 1 }
            guard j < bytes.count, bytes[j] == UInt8(ascii: ":") || bytes[j] == UInt8(ascii: "=") else { continue }
            j += 1
            while j < bytes.count, bytes[j] == 32 || bytes[j] == 9 || bytes[j] == 10 || bytes[j] == 13 { j += 1 }
            guard j < bytes.count, bytes[j] == UInt8(ascii: "{") else { continue }
            var depth = 0
            var quote: UInt8?
            var k = j
            while k < bytes.count {
                let byte = bytes[k]
                if let open = quote {
                    if byte == 92 { k += 1 } else if byte == open { quote = nil }
                } else if byte == 34 || byte == 39 || byte == 96 {
                    quote = byte
                } else if byte == UInt8(ascii: "{") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { break }
                }
                k += 1
            }
            ranges.append(j..<min(k + 1, bytes.count))
            i = k
        }
        return ranges
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte == 36
    }
}
