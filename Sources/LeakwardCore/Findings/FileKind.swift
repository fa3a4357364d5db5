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

    /// Dependency lockfiles: full of integrity hashes and never the place a person pastes a secret.
    public static func isLockfile(path: String) -> Bool {
        let name = basename(path)
        return ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "Cargo.lock",
                "Gemfile.lock", "poetry.lock", "Pipfile.lock", "composer.lock", "go.sum", "uv.lock", "Package.resolved",
                "pdm.lock", "mix.lock", "pubspec.lock", "packages.lock.json", "flake.lock"].contains(name)
    }
}
