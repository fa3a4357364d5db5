import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardSupport

/// The walk's build-output decisions, from `rules/frameworks/build-output.toml`.
@Suite struct ShippedOutputUnitTests {
    @Test func bundledRulesParseAndNameEveryFrameworkOfTheIssue() throws {
        let file = try #require(BundledRules.files.first { $0.path == BuildOutputRules.path })
        let rules = try BuildOutputRules.parse(file.text, path: file.path)
        let names = Set(rules.frameworks.map(\.name))
        for name in ["Next.js", "Vite", "Create React App", "Nuxt", "SvelteKit", "Astro", "Remix", "Gatsby", "Angular", "Expo web", "Storybook"] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(rules.cacheDirectories.isSuperset(of: ["node_modules", ".turbo", ".parcel-cache", ".vite"]))
        #expect(throws: RuleError.self) { try BuildOutputRules.parse("[[framework]]\nid = 'x'\nname = 'X'\nclint = []\n", path: "x.toml") }
    }

    @Test func mostSpecificOutputWinsAndIgnoredAncestorsArePassedThrough() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-shipped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(#"{"devDependencies":{"vite":"5"},"dependencies":{"next":"14"}}"#.utf8).write(to: dir.appendingPathComponent("package.json"))
        var shipped = ShippedOutput()
        shipped.learn(directory: "", names: ["package.json"], root: dir.path)
        #expect(shipped.mark(directory: "dist/assets")?.side == .client)
        #expect(shipped.mark(directory: "dist/server")?.side == .server)
        #expect(shipped.mark(directory: ".next/server/app")?.side == .server)
        #expect(shipped.mark(directory: "src") == nil)
        #expect(shipped.admit(directory: ".next", isIgnored: true, in: nil) == .enter(.passThrough))
        #expect(shipped.admit(directory: ".next/cache", isIgnored: false, in: .passThrough) == .skip)
        #expect(shipped.admit(directory: ".next/types", isIgnored: false, in: .passThrough) == .skip)
        #expect(shipped.admit(directory: "coverage", isIgnored: true, in: nil) == .skip)
        let client = try #require(shipped.mark(directory: "dist"))
        #expect(shipped.admit(directory: "dist/node_modules", isIgnored: false, in: .output(client)) == .skip)
        #expect(!shipped.reads(file: ".next/trace", isIgnored: true, in: .passThrough))
        #expect(shipped.reads(file: "dist/a.js.map", isIgnored: true, in: .output(client)))
        let old = ShippedOutput(policy: .respectGitignore)
        #expect(old.admit(directory: "dist", isIgnored: true, in: nil) == .skip)
    }

    @Test func configKeyPathFollowsObjectsCallsAndWrappers() throws {
        func path(_ text: String, at needle: String, file: String) -> String? {
            let bytes = Array(text.utf8)
            let offset = bytes.indices.first { bytes[$0...].starts(with: Array(needle.utf8)) }!
            return FileFacts(bytes: bytes, path: "app/" + file).publicConfig(at: offset)?.keyPath
        }
        #expect(path(#"{"build":{"preview":{"env":{"EXPO_PUBLIC_X":"v1"}}}}"#, at: "v1", file: "eas.json") == "build.preview.env.EXPO_PUBLIC_X")
        #expect(path(#"{"build":{"preview":{"env":{"SERVER_X":"v1"}}}}"#, at: "v1", file: "eas.json") == nil)
        #expect(path("export default defineConfig({ define: { 'process.env.K': JSON.stringify('v2') } })", at: "v2", file: "vite.config.ts") == "define.process.env.K")
        #expect(path("plugins: [new webpack.DefinePlugin({ API: '\"v3\"' })]", at: "v3", file: "webpack.config.js") == "DefinePlugin.API")
        #expect(path("export default defineNuxtConfig({ runtimeConfig: { secret: 's', public: { apiKey: 'v4' } } })", at: "v4", file: "nuxt.config.ts") == "runtimeConfig.public.apiKey")
        #expect(path("export default defineNuxtConfig({ runtimeConfig: { secret: 'v5', public: {} } })", at: "v5", file: "nuxt.config.ts") == nil)
        #expect(path("module.exports = () => ({ expo: { extra: { // note: {\n key: `v6` } } })", at: "v6", file: "app.config.js") == "extra.key")
        let rules = try PublicConfigRules.parse(try #require(BundledRules.files.first { $0.path == PublicConfigRules.path }).text, path: "p")
        #expect(rules.prefixes.first?.prefix.count ?? 0 >= rules.prefixes.last?.prefix.count ?? 0)
        #expect(PublicEnvPrefix.matching("NEXT_PUBLIC_X")?.framework == "Next.js")
    }

    @Test func dockerBuildArgumentFeedingAPublicVariableIsFound() {
        let text = "FROM node:20\nARG GROQ_KEY\nARG SENTRY_DSN=x\nENV NEXT_PUBLIC_GROQ_KEY=${GROQ_KEY} OTHER=$SENTRY_DSN\nENV VITE_X=\"$VITE_SRC\"\n"
        let feeds = FileFacts(bytes: Array(text.utf8), path: "web/Dockerfile").dockerPublicFeeds
        #expect(feeds["GROQ_KEY"] == FileFacts.DockerFeed(target: "NEXT_PUBLIC_GROQ_KEY", line: 4))
        #expect(feeds["VITE_SRC"]?.target == "VITE_X")
        #expect(feeds["SENTRY_DSN"] == nil, "OTHER has no public prefix")
        #expect(FileFacts(bytes: Array(text.utf8), path: "web/deploy.sh").dockerPublicFeeds.isEmpty)
    }
}
