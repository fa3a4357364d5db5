import Testing
@testable import LeakwardModel

/// What a path says about where its file ends up, by name alone.
@Suite struct ShippedPathTests {
    /// The byte paths for ASCII names give what the Character-based cut and lowercasing give.
    @Test func asciiNamesAndExtensionsEqualTheCharacterBasedOnes() {
        func slowBasename(_ path: String) -> String {
            guard let slash = path.lastIndex(of: "/") else { return path }
            return String(path[path.index(after: slash)...])
        }
        func slowExtension(_ path: String) -> String {
            var name = slowBasename(path).lowercased()
            for twin in [".gz", ".br"] where name.hasSuffix(twin) { name.removeLast(twin.count) }
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
            return String(name[name.index(after: dot)...])
        }
        for path in ["a/b/App.TSX", "main.js.GZ", "x.br.gz", ".env", "dir/.gitignore", "noext", "dir/", "", "/", "a/b.c/d",
                     "x/\u{0E}gz", "x.\u{0E}GZ", "caf\u{E9}/R\u{C9}SUM\u{C9}.MD", "\u{0600}/x.js", "a/\u{301}b.Js.Br", "v1.2/tar.TGZ",
                     "a.gz", ".gz", "x/.br", "a.br.gz", "a.gz.br", "a.GZ.BR.gz", "dir/x.", "x..js", "a/b/.c.TS", "gz", "a.b/c",
                     "Dockerfile", "a/.env.Local.GZ", "pkg/Index.D.TS", "x.bR"] {
            #expect(FileKind.basename(path) == slowBasename(path), "\(path)")
            #expect(ShippedPath.assetExtension(path) == slowExtension(path), "\(path)")
        }
    }

    @Test func assetExtensionLooksThroughCompressionTwins() {
        #expect(ShippedPath.assetExtension("dist/main.js.br") == "js")
        #expect(ShippedPath.assetExtension("dist/app.css.gz") == "css")
        #expect(ShippedPath.assetExtension("assets/app.js.map") == "map")
        #expect(ShippedPath.assetExtension(".env") == "")
        #expect(ShippedPath.assetExtension("Makefile") == "")
    }

    @Test func buildOutputIsServedOutputNotSourcesOrServerBundles() {
        for path in [".next/static/chunks/main.js", "dist/app.js", "build/static/js/main.js", "public/config.json",
                     "apps/web/.next/static/x.js", "out/index.html"] {
            #expect(ShippedPath.isBuildOutput(path), "\(path)")
        }
        for path in ["src/assets/logo.js", "app/static/x.js", "dist/server/index.js", "build/server.js", "dist/app.py",
                     "lib/index.js", "dist"] {
            #expect(!ShippedPath.isBuildOutput(path), "\(path)")
        }
    }

    @Test func clientBundlesByPathAndByDecoder() {
        #expect(ShippedPath.isClientBundle("dist/app.js", decoders: []))
        #expect(ShippedPath.isClientBundle("lib/app.js.map", decoders: []))
        #expect(ShippedPath.isClientBundle("lib/main.js.br", decoders: []))
        #expect(!ShippedPath.isClientBundle("lib/main.js", decoders: []))
        #expect(ShippedPath.isClientBundle("lib/main.js", decoders: [DecodeStep(.sourceMap)]))
    }

    @Test func clientSourceByItsFolderOrFramework() {
        #expect(ShippedPath.isClientSourceByPath("components/Button.tsx"))
        #expect(ShippedPath.isClientSourceByPath("src/pages/index.jsx"))
        #expect(ShippedPath.isClientSourceByPath("src/App.vue"))
        #expect(!ShippedPath.isClientSourceByPath("pages/api/login.ts"))
        #expect(!ShippedPath.isClientSourceByPath("src/routes/+page.server.ts"))
        #expect(!ShippedPath.isClientSourceByPath("components/Button.css"))
        #expect(!ShippedPath.isClientSourceByPath("server/db.ts"))
    }

    @Test func logsContainersDeployAndCIFiles() {
        #expect(ShippedPath.isCILog("logs/run.txt", decoders: []))
        #expect(ShippedPath.isCILog("build.log", decoders: []))
        #expect(ShippedPath.isCILog("logs_8812.zip", decoders: []))
        #expect(ShippedPath.isCILog("x.txt", decoders: [DecodeStep(.ciLog)]))
        #expect(!ShippedPath.isCILog("docs/catalog.txt", decoders: []))
        #expect(ShippedPath.isContainerFile("Dockerfile") && ShippedPath.isContainerFile("docker/Dockerfile.prod"))
        #expect(ShippedPath.isContainerFile("compose.yaml") && ShippedPath.isContainerFile("docker-compose.override.yml"))
        #expect(!ShippedPath.isContainerFile("src/docker.ts"))
        #expect(ShippedPath.isDeployFolderYAML("k8s/app.yaml") && ShippedPath.isDeployFolderYAML("charts/web/values.yml"))
        #expect(!ShippedPath.isDeployFolderYAML("src/app.yaml") && !ShippedPath.isDeployFolderYAML("k8s/app.json"))
        #expect(ShippedPath.isCIConfig(".github/workflows/ci.yml") && ShippedPath.isCIConfig(".gitlab-ci.yml"))
        #expect(!ShippedPath.isCIConfig("ci/notes.md"))
        #expect(ShippedPath.isNextConfig("web/next.config.mjs") && !ShippedPath.isNextConfig("config.next.js"))
    }
}
