/// What a path is, judged by its name: decides which decoders and exposure rules apply.
public enum FileKind {
    /// `.env`, `.env.local`, `.env.production`, `prod.env`...
    public static func isEnvFile(path: String) -> Bool {
        // Asked for every file and chunk: most paths hold no `.env` at all, told by their bytes.
        guard hasDotEnv(path) else { return isDotlessEnvTemplate(path) }
        let name = basename(path)
        return name == ".env" || name.hasPrefix(".env.") || name.hasSuffix(".env")
    }

    /// Whether the bytes `.env` occur in `path` (each of the three name shapes needs them).
    static func hasDotEnv(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            guard bytes.count >= 4 else { return false }
            for i in 0...(bytes.count - 4) where bytes[i] == UInt8(ascii: ".") && bytes[i + 1] == UInt8(ascii: "e")
                && bytes[i + 2] == UInt8(ascii: "n") && bytes[i + 3] == UInt8(ascii: "v") { return true }
            return false
        }
    }

    /// Env and config templates meant to be committed with placeholder values.
    public static func isTemplate(path: String) -> Bool {
        // Byte-wise: this runs for every matched chunk.
        let name = Array(basename(path).utf8).map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        guard name.contains(UInt8(ascii: ".")) else { return dotlessEnvTemplateNames.contains(name) }
        return templateSuffixes.contains { name.count >= $0.count && name.suffix($0.count).elementsEqual($0) }
            || templateInfixes.contains { infix in name.count > infix.count && (0...(name.count - infix.count)).contains { name[$0..<$0 + infix.count].elementsEqual(infix) } }
    }

    // `.env-example`, `.env_sample`: an env template's name with a dash or an underscore. (A file
    // merely named as an example, `chat_assistant_example.sh`, `wrangler-example.toml`, is an
    // example by rules/context/locations.toml, not a template that pasted keys are judged in.)
    private static let templateSuffixes = [".example", ".sample", ".template", ".dist", ".tmpl", ".defaults",
                                           "-example", "_example", "-sample", "_sample"].map { Array($0.utf8) }
    private static let templateInfixes = [".example.", ".sample."].map { Array($0.utf8) }

    /// An env template named without a dot (`ENVEXAMPLE`, `env_example`, `env-sample`): some
    /// projects name their `.env.example` so, to keep it visible and out of dotenv loaders. It is
    /// an env file (KEY=value lines) and a template all the same.
    static func isDotlessEnvTemplate(_ path: String) -> Bool {
        // Every such name ends in `e` (`example`, `sample`, `template`): one byte before any work.
        guard let last = path.utf8.last, last | 0x20 == UInt8(ascii: "e") else { return false }
        let name = Array(basename(path).utf8).map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        return dotlessEnvTemplateNames.contains(name)
    }

    private static let dotlessEnvTemplateNames: Set<[UInt8]> = Set(["envexample", "env_example", "env-example", "envsample",
        "env_sample", "env-sample", "envtemplate", "env_template", "env-template"].map { Array($0.utf8) })

    public static func basename(_ path: String) -> String {
        // An ASCII path (nearly all) is cut at its last '/' byte: the same place, without
        // walking Characters (a non-ASCII neighbour could merge a '/' into a larger Character).
        if let cut = asciiNameStart(path) { return String(path[cut...]) }
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Where the name starts in an ASCII path (after its last '/'); nil when the path is not ASCII.
    static func asciiNameStart(_ path: String) -> String.Index? {
        let utf8 = path.utf8
        // Native strings (nearly all) are read as contiguous bytes: no index arithmetic per byte.
        if let offset = utf8.withContiguousStorageIfAvailable({ bytes -> Int? in
            var start = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                if byte >= 0x80 { return nil }
                if byte == UInt8(ascii: "/") { start = i + 1 }
            }
            return start
        }) {
            return offset.map { utf8.index(utf8.startIndex, offsetBy: $0) }
        }
        var slash: String.Index?
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x80 { return nil }
            if byte == UInt8(ascii: "/") { slash = index }
            index = utf8.index(after: index)
        }
        return slash.map { utf8.index(after: $0) } ?? utf8.startIndex
    }

    /// A web page (`.html`, `.htm`, `.xhtml`, any case): in examples and docs, often one saved
    /// from someone else's site, its scripts' configuration the publisher's.
    public static func isWebPage(path: String) -> Bool {
        let lower = basename(path).lowercased()
        return [".html", ".htm", ".xhtml"].contains { lower.hasSuffix($0) }
    }

    /// Dependency lockfiles: full of integrity hashes and never the place a person pastes a secret.
    public static func isLockfile(path: String) -> Bool {
        let name = basename(path)
        return ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "Cargo.lock",
                "Gemfile.lock", "poetry.lock", "Pipfile.lock", "composer.lock", "go.sum", "uv.lock", "Package.resolved",
                "pdm.lock", "mix.lock", "pubspec.lock", "packages.lock.json", "flake.lock"].contains(name)
    }

    /// `.env.production`, `.env.prod`, `production.env`, `.env.production.local`...
    public static func isProductionEnvFile(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.contains("production") || lower.hasSuffix(".prod") || lower.contains(".prod.") || lower.hasPrefix("prod.")
    }
}
