import LeakwardModel

/// What the scanned project's files say beyond the findings: file facts for the files with
/// findings, Vite apps, env files and their git status, shipped source maps and
/// which files read which variables. Gathered once after the scan.
public struct ProjectFacts: Sendable, Codable {
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
    public struct EnvFile: Sendable, Hashable, Codable {
        public var path: String
        /// Path relative to its root.
        public var relativePath: String
        /// nil outside a git repository.
        public var isTracked: Bool?
        /// Whether the root's `.gitignore` ignores it.
        public var isIgnored: Bool

        enum CodingKeys: String, CodingKey {
            case path, relativePath = "relative_path", isTracked = "tracked", isIgnored = "ignored"
        }
    }

    /// One file's facts as a report stores them (an origin is not a JSON object key).
    struct FileEntry: Codable {
        var origin: Origin
        var facts: FileFacts
    }

    enum CodingKeys: String, CodingKey {
        case roots, files, viteAppDirectories = "vite_app_directories", envFiles = "env_files"
        case clientBuildOutput = "client_build_output", shippedSourceMaps = "shipped_source_maps", consumers
        case gitRoots = "git_roots"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        roots = try c.decode([String].self, forKey: .roots)
        files = Dictionary(try c.decode([FileEntry].self, forKey: .files).map { ($0.origin, $0.facts) }, uniquingKeysWith: { a, _ in a })
        viteAppDirectories = try c.decode([String].self, forKey: .viteAppDirectories)
        envFiles = try c.decode([EnvFile].self, forKey: .envFiles)
        clientBuildOutput = try c.decode([String].self, forKey: .clientBuildOutput)
        shippedSourceMaps = try c.decode([String].self, forKey: .shippedSourceMaps)
        consumers = try c.decode([String: [String]].self, forKey: .consumers)
        gitRoots = Set(try c.decode([String].self, forKey: .gitRoots))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(roots, forKey: .roots)
        let entries = files.map { FileEntry(origin: $0.key, facts: $0.value) }
            .sorted { ($0.origin.kind.rawValue, $0.origin.root, $0.origin.path) < ($1.origin.kind.rawValue, $1.origin.root, $1.origin.path) }
        try c.encode(entries, forKey: .files)
        try c.encode(viteAppDirectories, forKey: .viteAppDirectories)
        try c.encode(envFiles, forKey: .envFiles)
        try c.encode(clientBuildOutput, forKey: .clientBuildOutput)
        try c.encode(shippedSourceMaps, forKey: .shippedSourceMaps)
        try c.encode(consumers, forKey: .consumers)
        try c.encode(gitRoots.sorted(), forKey: .gitRoots)
    }

    /// Whether a relative path lies in the `src/` of a Vite app.
    public func isInViteSource(_ relative: String) -> Bool {
        viteAppDirectories.contains { relative.hasPrefix($0 + "src/") }
    }
}
