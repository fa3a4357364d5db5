/// A file that is a framework's build output: which side it ships to and, for client source
/// maps, what the build config says about serving them. Set by the working-tree walk.
public struct BuildOutputMark: Sendable, Codable, Hashable {
    public enum Side: String, Sendable, Codable, Hashable {
        /// Served to browsers (`.next/static`, `dist/assets`, `.output/public`...).
        case client
        /// Runs on the server (`.next/server`, `.output/server`...): deployed, never sent to browsers.
        case server
    }

    public var side: Side
    /// The framework whose build wrote it (`Next.js`, `Vite`...).
    public var framework: String
    /// For client output: the build-config setting about source maps, when one was found
    /// (`build.sourcemap: 'hidden'` in `vite.config.ts`), and what it says (`served`, `hidden`, `off`).
    public var sourceMapSetting: String?
    public var sourceMapPolicy: String?

    public init(side: Side, framework: String, sourceMapSetting: String? = nil, sourceMapPolicy: String? = nil) {
        self.side = side
        self.framework = framework
        self.sourceMapSetting = sourceMapSetting
        self.sourceMapPolicy = sourceMapPolicy
    }

    public enum CodingKeys: String, CodingKey {
        case side, framework, sourceMapSetting = "source_map_setting", sourceMapPolicy = "source_map_policy"
    }
}
