/// What a path says about where its file ends up, judged by name alone (relative to the scan root).
public enum ShippedPath {
    /// Directories whose contents a web server or CDN serves as they are.
    static let buildOutputDirectories: Set<String> = ["dist", "build", "out", "public", "www", "static", "assets"]
    /// Framework output folders that are always browser-facing.
    static let buildOutputPrefixes = [".next/static/", ".output/public/", ".svelte-kit/output/client/", ".vercel/output/static/",
                                      ".nuxt/dist/client/", "storybook-static/"]
    /// Folders inside build output that hold server code.
    static let serverOutputDirectories: Set<String> = ["server", "api", "functions", "lambda", "ssr", "node", "backend"]
    static let webAssetExtensions: Set<String> = ["js", "mjs", "cjs", "map", "html", "htm", "css", "json", "txt", "xml", "webmanifest"]
    static let scriptExtensions: Set<String> = ["js", "jsx", "ts", "tsx", "mjs", "cjs", "vue", "svelte"]

    static let buildOutputPrefixBytes = buildOutputPrefixes.map { Array($0.utf8) }
    static let serverBytes = Array("server".utf8)
    static let buildOutputDirectoryBytes = buildOutputDirectories.map { Array($0.utf8) }

    /// Whether a directory of `path` (a component before the last) is one of `names`.
    static func hasDirectory(_ path: String, in names: [[UInt8]]) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            // Plain loops over the bytes: asked for every file of a walk, twice.
            var start = 0
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "/") {
                    let length = i - start
                    for name in names where name.count == length && equalBytes(bytes, from: start, name) { return true }
                    start = i + 1
                }
                i += 1
            }
            return false
        }
    }

    /// Whether `bytes` hold `part` at `offset` (which leaves room for it).
    @inline(__always)
    static func equalBytes(_ bytes: UnsafeBufferPointer<UInt8>, from offset: Int, _ part: [UInt8]) -> Bool {
        var j = 0
        while j < part.count {
            if bytes[offset + j] != part[j] { return false }
            j += 1
        }
        return true
    }

    /// Whether `text` holds `part`, compared as bytes.
    static func hasInfix(_ text: String, _ part: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= part.count else { return false }
            return (0...(bytes.count - part.count)).contains { bytes[$0] == part[0] && bytes[$0..<$0 + part.count].elementsEqual(part) }
        }
    }

    /// Whether one of `prefixes` starts `path` or follows one of its slashes. Compared as bytes:
    /// this runs for every file of a tree, and `String.contains` went through Foundation.
    static func startsAComponent(_ path: String, with prefixes: [[UInt8]]) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            var start = 0
            while true {
                for prefix in prefixes where bytes.count - start >= prefix.count && equalBytes(bytes, from: start, prefix) { return true }
                var slash = start
                while slash < bytes.count && bytes[slash] != UInt8(ascii: "/") { slash += 1 }
                guard slash < bytes.count else { return false }
                start = slash + 1
            }
        }
    }

    /// Path components, with compression twins (`.js.gz`, `.js.br`) reduced to the asset they hold.
    public static func components(_ path: String) -> [Substring] { path.split(separator: "/") }

    /// The extension of the asset, looking through `.gz`/`.br`.
    public static func assetExtension(_ path: String) -> String {
        // Asked for nearly every file and chunk, several times: an ASCII path is read in place
        // as bytes, only the extension itself copied (lowercased) into the result.
        var contiguous = path
        if let found = contiguous.withUTF8({ bytes -> String? in
            var nameStart = 0
            for i in 0..<bytes.count {
                if bytes[i] >= 0x80 { return nil }
                if bytes[i] == UInt8(ascii: "/") { nameStart = i + 1 }
            }
            @inline(__always) func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }
            var end = bytes.count
            // `.gz`, then `.br` (no array of the two per call: this runs for every file, several times).
            if end - nameStart >= 3 && bytes[end - 3] == UInt8(ascii: ".") && lower(bytes[end - 2]) == UInt8(ascii: "g")
                && lower(bytes[end - 1]) == UInt8(ascii: "z") {
                end -= 3
            }
            if end - nameStart >= 3 && bytes[end - 3] == UInt8(ascii: ".") && lower(bytes[end - 2]) == UInt8(ascii: "b")
                && lower(bytes[end - 1]) == UInt8(ascii: "r") {
                end -= 3
            }
            var dot = end - 1
            while dot >= nameStart && bytes[dot] != UInt8(ascii: ".") { dot -= 1 }
            guard dot > nameStart else { return "" }
            let start = dot + 1
            guard start < end else { return "" }
            return String(unsafeUninitializedCapacity: end - start) { buffer in
                for i in start..<end { buffer[i - start] = lower(bytes[i]) }
                return end - start
            }
        }) {
            return found
        }
        if let start = FileKind.asciiNameStart(path) {
            var name = path.utf8[start...].map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
            for twin in [".gz", ".br"] where name.count >= 3 && name[(name.count - 3)...].elementsEqual(twin.utf8) {
                name.removeLast(3)
            }
            guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot != 0 else { return "" }
            return String(decoding: name[(dot + 1)...], as: UTF8.self)
        }
        var name = FileKind.basename(path).lowercased()
        for twin in [".gz", ".br"] where name.hasSuffix(twin) { name.removeLast(twin.count) }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// Build output served to browsers: `.next/static/`, `dist/`, `build/`, `public/`... (not under `src/`).
    public static func isBuildOutput(_ path: String) -> Bool {
        if startsAComponent(path, with: buildOutputPrefixBytes) { return true }
        // Most paths have no output folder at all: found out on the bytes before splitting.
        guard hasDirectory(path, in: buildOutputDirectoryBytes) else { return false }
        let parts = components(path)
        for (index, part) in parts.dropLast().enumerated() where buildOutputDirectories.contains(String(part)) {
            // `src/assets/` and `app/static/` are sources that a build reads, not what it serves.
            if parts[..<index].contains(where: { ["src", "app", "lib", "components", "pages", "node_modules"].contains($0) }) { continue }
            // Server bundles share the output folder (`dist/server/`, `build/server.js`): never sent to browsers.
            let below = parts[(index + 1)...]
            if below.dropLast().contains(where: { serverOutputDirectories.contains(String($0)) }) { continue }
            if hasInfix(FileKind.basename(path).lowercased(), serverBytes) { continue }
            return webAssetExtensions.contains(assetExtension(path))
        }
        return false
    }

    /// A file shipped to browsers, judged by the path and the decoders that read it.
    public static func isClientBundle(_ path: String, decoders: [DecodeStep]) -> Bool {
        if isBuildOutput(path) { return true }
        if decoders.contains(where: { $0.decoder.readsBundles }) { return true }
        let ext = assetExtension(path)
        if ext == "map" { return true }
        // A compressed script twin (`main.js.br`) exists only to be served.
        let lower = path.lowercased()
        if (lower.hasSuffix(".gz") || lower.hasSuffix(".br")), ["js", "mjs", "css", "html", "map"].contains(ext) { return true }
        return false
    }

    /// Source that runs in the browser by its location: `components/`, `pages/` outside `pages/api/`,
    /// `*.vue`, `*.svelte` (server-only variants such as `+page.server.ts` excluded).
    public static func isClientSourceByPath(_ path: String) -> Bool {
        let ext = assetExtension(path)
        guard scriptExtensions.contains(ext) else { return false }
        let name = FileKind.basename(path).lowercased()
        if name.contains(".server.") || name.hasPrefix("+server.") || name.hasPrefix("route.") || name.hasPrefix("middleware.") { return false }
        let parts = components(path).dropLast().map(String.init)
        if parts.contains(where: { ["server", "api", "functions", "scripts", "node_modules"].contains($0) }) { return false }
        if ext == "vue" || ext == "svelte" { return true }
        return parts.contains("components") || parts.contains("pages")
    }

    /// A JS/TS file that could carry a `'use client'` directive.
    public static func isScript(_ path: String) -> Bool { scriptExtensions.contains(assetExtension(path)) }

    /// `next.config.js`, `.mjs`, `.ts`.
    public static func isNextConfig(_ path: String) -> Bool { FileKind.basename(path).hasPrefix("next.config.") }

    /// A CI log: a `ci-log` decoder, a `logs/` folder or a `.log` file. `path` is the file's
    /// (an archive's, for its members).
    public static func isCILog(_ path: String, decoders: [DecodeStep]) -> Bool {
        if decoders.contains(where: { $0.decoder == .ciLog }) { return true }
        // `logs/`, `ci-logs/`, `build.log`, `deploy.log.gz`, GitHub's `logs_8812.zip`.
        let parts = components(path.lowercased())
        if parts.dropLast().contains(where: { $0 == "logs" || $0 == "log" || $0.hasSuffix("-logs") || $0.hasSuffix("_logs") }) { return true }
        let name = parts.last.map(String.init) ?? ""
        return name.hasSuffix(".log") || name.contains(".log.") || name.hasPrefix("logs_")
    }

    /// Dockerfiles and compose files by name.
    public static func isContainerFile(_ path: String) -> Bool {
        let name = FileKind.basename(path).lowercased()
        return name == "dockerfile" || name.hasPrefix("dockerfile.") || name.hasSuffix(".dockerfile") || name == "containerfile"
            || name.hasPrefix("docker-compose") || name.hasPrefix("compose.") || name.hasPrefix("compose-")
    }

    /// A YAML file in a folder where deploy manifests live (content is checked separately).
    public static func isDeployFolderYAML(_ path: String) -> Bool {
        let ext = assetExtension(path)
        guard ext == "yaml" || ext == "yml" else { return false }
        let parts = components(path).dropLast().map { $0.lowercased() }
        return parts.contains { ["k8s", "kubernetes", "manifests", "helm", "charts", "deploy", "deployment", "kustomize", "overlays"].contains($0) }
    }

    /// CI configuration: a public-prefixed variable here is passed to the build that bundles it.
    public static func isCIConfig(_ path: String) -> Bool {
        let name = FileKind.basename(path).lowercased()
        return path.contains(".github/workflows/") || name == ".gitlab-ci.yml" || path.contains(".circleci/")
            || name == "bitbucket-pipelines.yml" || name == "azure-pipelines.yml" || name == "jenkinsfile"
            || name == "vercel.json" || name == "netlify.toml" || name == "amplify.yml" || name == "cloudbuild.yaml"
    }
}
