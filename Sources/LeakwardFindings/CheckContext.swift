import LeakwardModel

/// Where a file sits, as config checks need it: production code and config speak at the
/// check's severity; tests, fixtures, examples, docs, vendored and generated code at `info`.
///
/// `context(of:)` is the one call the checks make, so it can switch to the location-context
/// data of the accuracy work (`rules/`) when that lands, without touching the checks.
public enum CheckContext: String, Sendable {
    case production, test, fixture, example, documentation, vendored, generated

    public var isProduction: Bool { self == .production }

    /// The context of a blob: a scan root inside a dependency folder (`leakward scan
    /// …/site-packages`, by `rules/context/locations.toml`) makes every file below it vendored.
    public static func context(of origin: Origin) -> CheckContext {
        if LocationCatalog.bundled.context(ofRoot: origin.root) == .vendored { return .vendored }
        return context(of: origin.path)
    }

    /// The context of a path relative to the scan root.
    public static func context(of relativePath: String) -> CheckContext {
        let lower = relativePath.lowercased()
        let parts = lower.split(separator: "/")
        let directories = parts.dropLast()
        let name = parts.last.map(String.init) ?? lower
        if directories.contains(where: { vendoredFolders.contains($0) }) { return .vendored }
        if ShippedPath.isBuildOutput(relativePath) || directories.contains(".next") || name.contains(".min.") { return .generated }
        if directories.contains(where: { fixtureFolders.contains($0) }) { return .fixture }
        if directories.contains(where: { testFolders.contains($0) || isTestFolderName($0) }) || isTestFileName(name) { return .test }
        if directories.contains(where: { exampleFolders.contains($0) }) || name.contains(".example") || name.contains(".sample") {
            return .example
        }
        // A prompt template is read into a model's context: production text, whatever its extension.
        if directories.contains("prompts") || name.contains(".prompt.") || name.hasSuffix(".prompt") { return .production }
        if directories.contains(where: { docFolders.contains($0) }) || docExtensions.contains(where: { name.hasSuffix($0) })
            || name.hasPrefix("changelog") || name.hasPrefix("readme") {
            return .documentation
        }
        return .production
    }

    static let vendoredFolders: Set<Substring> = ["node_modules", "vendor", "third_party", "third-party", "bower_components", "site-packages", ".venv", "venv"]
    static let fixtureFolders: Set<Substring> = ["fixtures", "__fixtures__", "testdata", "__mocks__", "mocks"]
    static let testFolders: Set<Substring> = ["test", "tests", "__tests__", "spec", "specs", "e2e", "cypress", "playwright"]
    static let exampleFolders: Set<Substring> = ["example", "examples", "sample", "samples", "demo", "demos"]
    static let docFolders: Set<Substring> = ["docs", "doc", "guides", "documentation"]
    static let docExtensions = [".md", ".mdx", ".rst", ".adoc", ".txt"]

    /// `integration-tests`, `node_tests`, `e2e-test`: folders named for tests.
    static func isTestFolderName(_ name: Substring) -> Bool {
        name.hasSuffix("-tests") || name.hasSuffix("_tests") || name.hasSuffix("-test") || name.hasSuffix("_test")
    }

    static func isTestFileName(_ name: String) -> Bool {
        name.contains(".test.") || name.contains(".spec.") || name.hasPrefix("test_") || name.hasSuffix("_test.py")
            || name.hasSuffix("_test.go") || name.hasSuffix("_spec.rb") || name == "conftest.py"
    }

    /// A production env file or deploy config: `.env.production`, a plain `.env` that sets
    /// `NODE_ENV=production`, Dockerfiles, production compose files (`docker-compose.prod.yml`),
    /// deploy manifests, host configs.
    public static func isProductionConfig(_ relativePath: String, text: UnsafeBufferPointer<UInt8>) -> Bool {
        let name = FileKind.basename(relativePath).lowercased()
        if FileKind.isEnvFile(path: relativePath) {
            if FileKind.isTemplate(path: relativePath) { return false }
            if FileKind.isProductionEnvFile(name) { return true }
            if name.contains("local") || name.contains("dev") || name.contains("test") { return false }
            return contains(text, "NODE_ENV=production") || contains(text, "APP_ENV=production")
        }
        // Compose files mostly run a developer's stack: only one named for production counts.
        let isCompose = name.hasPrefix("docker-compose") || name.hasPrefix("compose")
        if isCompose { return name.contains("prod") }
        if ShippedPath.isContainerFile(relativePath) || ShippedPath.isDeployFolderYAML(relativePath) { return true }
        if ["vercel.json", "netlify.toml", "fly.toml", "render.yaml", "app.yaml", "procfile", "railway.json"].contains(name) { return true }
        let stem = name.split(separator: ".").first.map(String.init) ?? name
        return ["production", "prod", "settings_prod", "settings_production"].contains(stem)
            || relativePath.lowercased().contains("/production/")
    }

    public static func contains(_ text: UnsafeBufferPointer<UInt8>, _ needle: String) -> Bool {
        let bytes = Array(needle.utf8)
        guard text.count >= bytes.count, let first = bytes.first else { return false }
        var i = 0
        while i + bytes.count <= text.count {
            if text[i] == first, bytes.indices.allSatisfy({ text[i + $0] == bytes[$0] }) { return true }
            i += 1
        }
        return false
    }
}
