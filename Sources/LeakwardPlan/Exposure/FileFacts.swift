import LeakwardInputs
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// What the content of one file with findings says about where its values end up. Read after
/// the scan, only for the few files that had findings.
public struct FileFacts: Sendable, Hashable, Codable {
    /// The file starts with a `'use client'` directive (React Server Components): it is bundled for browsers.
    public var hasClientDirective = false
    /// Public-config blocks (`rules/frameworks/public-config.toml`) that apply to this file by name.
    public var publicBlocks: [PublicConfigRules.Block] = []
    /// The file's bytes, kept only when a public-config block applies (config files are small)
    /// and only until `resolve(offsets:)`: they hold the secret, so they are never saved.
    var configBytes: [UInt8] = []
    /// `publicConfig(at:)` worked out for the offsets of the file's findings: what a saved
    /// report carries instead of the bytes, so `plan --from` reads nothing from disk.
    var resolvedConfigs: [Int: ResolvedConfig] = [:]

    /// A public-config block (by its index in `publicBlocks`) and the key path at one offset.
    struct ResolvedConfig: Sendable, Hashable, Codable {
        var block: Int
        var keyPath: String

        enum CodingKeys: String, CodingKey { case block, keyPath = "key_path" }
    }

    enum CodingKeys: String, CodingKey {
        case hasClientDirective = "client_directive", publicBlocks = "public_blocks", resolvedConfigs = "public_configs"
        case hasInlineClientPayload = "inline_client_payload", isKubernetesManifest = "kubernetes_manifest"
        case dockerPublicFeeds = "docker_public_feeds"
    }
    /// An HTML or script payload that hydrates pages (`__NEXT_DATA__`, `window.__ENV`).
    public var hasInlineClientPayload = false
    /// A Kubernetes manifest (`apiVersion:` and `kind:`).
    public var isKubernetesManifest = false
    /// In a Dockerfile: build arguments that feed a public-prefixed variable
    /// (`ARG GROQ_KEY` … `ENV NEXT_PUBLIC_GROQ_KEY=$GROQ_KEY`), by argument name.
    public var dockerPublicFeeds: [String: DockerFeed] = [:]

    /// A build argument copied into a public-prefixed variable at `line`.
    public struct DockerFeed: Sendable, Hashable, Codable {
        public var target: String
        public var line: Int
    }

    public init() {}

    /// Facts from the file's bytes; `path` picks which facts apply.
    public init(bytes: [UInt8], path: String) {
        let text = String(decoding: bytes, as: UTF8.self)
        if ShippedPath.isScript(path) { hasClientDirective = FileFacts.startsWithClientDirective(text) }
        let name = FileKind.basename(path)
        publicBlocks = PublicConfigRules.builtIn.blocks.filter { $0.applies(toFileNamed: name) }
        if !publicBlocks.isEmpty { configBytes = bytes }
        // Byte searches: `String.contains` goes through Foundation, and this runs per file with findings.
        hasInlineClientPayload = ByteSearch.first(Array("__NEXT_DATA__".utf8), in: bytes) != nil
            || ByteSearch.first(Array("window.__ENV".utf8), in: bytes) != nil
        let ext = ShippedPath.assetExtension(path)
        if ext == "yaml" || ext == "yml" {
            isKubernetesManifest = ByteSearch.first(Array("apiVersion:".utf8), in: bytes) != nil && ByteSearch.first(Array("kind:".utf8), in: bytes) != nil
        }
        if ShippedPath.isContainerFile(path) { dockerPublicFeeds = FileFacts.dockerFeeds(in: text) }
    }

    /// Reads the facts of the file at `diskPath` (judged by its name `path`), or nil when it
    /// cannot be read (a deleted file).
    public static func read(diskPath: String, path: String) -> FileFacts? {
        guard let bytes = try? FileReader.read(path: diskPath, limit: 4 << 20) else { return nil }
        return FileFacts(bytes: bytes, path: path)
    }

    /// Works out the public-config answer for `offsets` (the file's findings) and drops the
    /// file's bytes: from then on only those offsets are answered, and the facts can be saved.
    public mutating func resolve(offsets: [Int]) {
        guard !configBytes.isEmpty else { return }
        for offset in Set(offsets) {
            guard let found = publicConfig(at: offset), let index = publicBlocks.firstIndex(of: found.block) else { continue }
            resolvedConfigs[offset] = ResolvedConfig(block: index, keyPath: found.keyPath)
        }
        configBytes = []
    }

    /// Whether `offset` (a byte offset in the file) falls inside a `next.config` `env` block.
    public func isInEnvBlock(_ offset: Int) -> Bool { publicConfig(at: offset)?.block.path == ["env"] }

    /// The public-config block the value at `offset` sits in, and its key path from the block
    /// down (`build.production.env.EXPO_PUBLIC_GROQ_API_KEY`). A prefixed-only block counts
    /// only for a key with a public prefix.
    public func publicConfig(at offset: Int) -> (block: PublicConfigRules.Block, keyPath: String)? {
        guard !publicBlocks.isEmpty else { return nil }
        if configBytes.isEmpty {
            return resolvedConfigs[offset].flatMap { $0.block < publicBlocks.count ? (publicBlocks[$0.block], $0.keyPath) : nil }
        }
        let (open, key) = ConfigKeyPath.at(offset, in: configBytes)
        for block in publicBlocks {
            guard let start = ConfigKeyPath.firstMatch(of: block.path, in: open) else { continue }
            let path = Array(open[start...].filter { !$0.isEmpty }) + (key.map { [$0] } ?? [])
            if block.isPrefixedOnly, PublicEnvPrefix.matching(path.last ?? "") == nil || key == nil { continue }
            return (block, path.joined(separator: "."))
        }
        return nil
    }

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

    /// `ENV`/`ARG` lines assigning `$NAME` or `${NAME}` to a public-prefixed variable: the
    /// value of build argument NAME is inlined into the client build that runs in the image.
    static func dockerFeeds(in text: String) -> [String: DockerFeed] {
        var feeds: [String: DockerFeed] = [:]
        for (index, raw) in TextLines.split(text).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            let keyword = line.prefix(4).uppercased()
            guard keyword == "ENV " || keyword == "ARG " else { continue }
            for pair in line.dropFirst(4).split(separator: " ") {
                guard let eq = pair.firstIndex(of: "=") else { continue }
                let target = String(pair[..<eq])
                guard PublicEnvPrefix.matching(target) != nil else { continue }
                let value = pair[pair.index(after: eq)...].filter { $0 != "\"" && $0 != "{" && $0 != "}" }
                guard value.hasPrefix("$") else { continue }
                let source = String(value.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                if !source.isEmpty, feeds[source] == nil { feeds[source] = DockerFeed(target: target, line: index + 1) }
            }
        }
        return feeds
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte == 36
    }
}

/// The key path at a byte offset of a JSON or JavaScript config file, by a small scan that
/// tracks strings, comments and braces: the keys of the objects open at that point and the key
/// whose value is being read (`defineConfig({ define: { K: '…' } })` → `[defineConfig, define]`, `K`).
enum ConfigKeyPath {
    static func at(_ offset: Int, in bytes: [UInt8]) -> (open: [String], key: String?) {
        var open: [String] = []
        var key: String?
        var last: String?
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let byte = bytes[i]
            switch byte {
            case 34, 39, 96:
                var j = i + 1
                while j < bytes.count, bytes[j] != byte { j += bytes[j] == 92 ? 2 : 1 }
                if j >= end { return (open, key) }
                last = String(decoding: bytes[(i + 1)..<min(j, bytes.count)], as: UTF8.self)
                i = j + 1
                continue
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "/"):
                while i < end, bytes[i] != 10 { i += 1 }
                continue
            case UInt8(ascii: "/") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "*"):
                i += 2
                while i + 1 < end, !(bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i += 2
                continue
            case UInt8(ascii: ":"):
                key = last
            case UInt8(ascii: "="):
                let next = i + 1 < bytes.count ? bytes[i + 1] : 0
                if next != UInt8(ascii: ">") && next != UInt8(ascii: "=") && (i == 0 || bytes[i - 1] != UInt8(ascii: "=")) { key = last }
                if next == UInt8(ascii: ">") || next == UInt8(ascii: "=") { i += 1 }
            case UInt8(ascii: "("):
                // A call's object argument is named by the call (`DefinePlugin({…})`, `defineConfig({…})`).
                if key == nil { key = last }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                open.append(key ?? "")
                key = nil
                last = nil
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = open.popLast()
                key = nil
            case UInt8(ascii: ","), UInt8(ascii: ";"):
                key = nil
                last = nil
            default:
                if FileFacts.isIdentifierByte(byte) {
                    var j = i
                    while j < bytes.count, FileFacts.isIdentifierByte(bytes[j]) { j += 1 }
                    last = String(decoding: bytes[i..<j], as: UTF8.self)
                    i = j
                    continue
                }
            }
            i += 1
        }
        return (open, key)
    }

    /// Where `pattern` (`*` for any key) first matches a run of `path`'s non-empty keys, as an index into `path`.
    static func firstMatch(of pattern: [String], in path: [String]) -> Int? {
        guard !pattern.isEmpty, pattern.count <= path.count else { return nil }
        for start in 0...(path.count - pattern.count) {
            if zip(pattern, path[start...]).allSatisfy({ $0 == "*" || $0 == $1 }) { return start }
        }
        return nil
    }
}
