import LeakwardModel

/// What the scanned project's files say beyond the findings: file facts for the files with
/// findings, Vite apps, env files and their git status, shipped source maps and
/// which files read which variables. Gathered once after the scan.
public struct ProjectFacts: Sendable {
    /// The scan roots as given.
    public var roots: [String]
    /// Facts of the files that had findings, by the findings' origin.
    public var files: [Origin: FileFacts] = [:]
    /// Directories (relative to their root, "" or ending in `/`) that hold a `vite.config.*`.
    public var viteAppDirectories: [String] = []
    /// Env files in the working tree (not templates), by displayed path, with git's view of them.
    public var envFiles: [EnvFile] = []
    /// Frameworks whose client build output is present (`Next.js`, `Vite`...): with none, a
    /// "reached the browser" verdict can only be inferred from names.
    public var clientBuildOutput: [String] = []
    /// Source maps found under build output.
    public var shippedSourceMaps: [String] = []
    /// Files (displayed paths) that mention each variable name, assignments excluded from nothing:
    /// the list of consumers to update after a rotation.
    public var consumers: [String: [String]] = [:]
    /// Roots inside a git repository or with a `.gitignore` (so "not in `.gitignore`" means something).
    public var gitRoots: Set<String> = []

    public init(roots: [String]) { self.roots = roots }

    /// An env file in the tree.
    public struct EnvFile: Sendable, Hashable {
        public var path: String
        /// Path relative to its root.
        public var relativePath: String
        /// nil outside a git repository.
        public var isTracked: Bool?
        /// Whether the root's `.gitignore` ignores it.
        public var isIgnored: Bool
    }

    /// Whether a relative path lies in the `src/` of a Vite app.
    public func isInViteSource(_ relative: String) -> Bool {
        viteAppDirectories.contains { relative.hasPrefix($0 + "src/") }
    }
}
