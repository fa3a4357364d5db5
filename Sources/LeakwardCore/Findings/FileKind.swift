/// What a path is, judged by its name: decides which decoders and exposure rules apply.
public enum FileKind {
    /// `.env`, `.env.local`, `.env.production`, `prod.env`...
    public static func isEnvFile(path: String) -> Bool {
        let name = basename(path)
        return name == ".env" || name.hasPrefix(".env.") || name.hasSuffix(".env")
    }

    /// Env and config templates meant to be committed with placeholder values.
    public static func isTemplate(path: String) -> Bool {
        let name = basename(path).lowercased()
        return [".example", ".sample", ".template", ".dist", ".tmpl", ".defaults"].contains { name.hasSuffix($0) }
            || name.contains(".example.") || name.contains(".sample.")
    }

    public static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
