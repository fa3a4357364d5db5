import Foundation
import Testing

/// Issue 14 end to end: an app repository whose build output is git-ignored but present (a
/// Next.js app and a Vite app, built here from fixtures: bundles, `.gz` twins by gzip, `.br`
/// twins by the brotli CLI, source maps, server bundles, caches and node_modules). The scan
/// reads the shipped output by default and marks its side; caches stay skipped.
@Suite struct ShippedOutputTests {
    static let anthropic = "sk-ant-api03-" + String(repeating: "Vq7Lm2Zp9Xk4", count: 8) + "R4nD0mB0dyAA"
    static let groq = "gsk_" + "T7mQ2wE9rY4uI1oP6aS3dF8gH5jK0lZ2xC7vB4nM9qW1eR6tY3uI"
    /// Planted only in caches and dependencies: it must never be reported by default.
    static let cacheOnly = "sk-ant-api03-" + String(repeating: "Hb3Nc8Rt5Wy1", count: 8) + "Zc4chEdK3yAA"

    /// Writes and "builds" the app: sources committed, build output made after the commit.
    static func builtApp() throws -> GitFixture {
        let repo = try GitFixture()
        try repo.commit("app", files: [
            ".gitignore": "node_modules/\n.next/\ndist/\n*.map\n.turbo/\n",
            "web/package.json": #"{"name":"web","scripts":{"build":"next build"},"dependencies":{"next":"14.2.3","react":"18.3.1"}}"#,
            "web/next.config.js": "module.exports = {\n  productionBrowserSourceMaps: true,\n}\n",
            "web/app/page.tsx": "export default function Page() { return null }\n",
            "spa/package.json": #"{"name":"spa","scripts":{"build":"vite build"},"devDependencies":{"vite":"5.2.0"}}"#,
            "spa/vite.config.ts": "import { defineConfig } from 'vite'\nexport default defineConfig({ build: { sourcemap: 'hidden' } })\n",
            "spa/src/main.ts": "console.log('hello')\n",
        ])
        let d = repo.dir
        // Next.js build output: a client chunk with its twins and map, a stale chunk left only
        // as a `.br`, a server bundle, and the build cache.
        try d.write("web/.next/BUILD_ID", "b1\n")
        try d.write("web/.next/static/chunks/app/page-3f2a.js",
                    "(self.webpackChunk=self.webpackChunk||[]).push([[931],{7:function(e,t,n){var r=\"\(Fakes.openAI)\";fetch(\"/v1\",{headers:{Authorization:\"Bearer \"+r}})}}]);\n")
        try d.write("web/.next/static/chunks/app/page-3f2a.js.map",
                    #"{"version":3,"sources":["webpack://_N_E/app/page.tsx"],"sourcesContent":["const key = \"\#(Fakes.openAI)\"\nexport default key\n"],"mappings":"AAAA"}"#)
        try d.write("web/.next/static/chunks/old-91ab.js", "var a=\"\(anthropic)\";\n")
        try d.write("web/.next/server/app/page.js", "const token=\"\(Fakes.github)\";module.exports={token};\n")
        try d.write("web/.next/cache/webpack/client-production/0.pack", "var c=\"\(cacheOnly)\";\n")
        try d.write("web/node_modules/leftpad/index.js", "module.exports=\"\(cacheOnly)\";\n")
        try d.write(".turbo/cache/run.log", "key \(cacheOnly)\n")
        // Vite build output: a client chunk with twins and a hidden map, an SSR bundle, the dep cache.
        try d.write("spa/dist/index.html", "<!doctype html><script type=module src=/assets/index-9c1d.js></script>\n")
        // Enough ordinary code around the key that brotli compresses rather than stores it.
        let filler = (0..<40).map { "function f\($0)(a){return a.map(function(b){return b*\($0)})}" }.joined(separator: ";")
        try d.write("spa/dist/assets/index-9c1d.js", "\(filler);const o=\"\(groq)\";export{o as k};\n")
        try d.write("spa/dist/assets/index-9c1d.js.map",
                    #"{"version":3,"sources":["../../src/groq.ts"],"sourcesContent":["export const k = \"\#(groq)\"\n"],"mappings":"AAAA"}"#)
        try d.write("spa/dist/server/entry-server.js", "export const db=\"\(Fakes.postgresURL)\";\n")
        try d.write("spa/node_modules/.vite/deps/chunk-x.js", "export const z=\"\(cacheOnly)\";\n")
        let compress = [
            "gzip -k -9 web/.next/static/chunks/app/page-3f2a.js spa/dist/assets/index-9c1d.js",
            "brotli -k web/.next/static/chunks/app/page-3f2a.js spa/dist/assets/index-9c1d.js web/.next/static/chunks/old-91ab.js",
            "rm web/.next/static/chunks/old-91ab.js",
        ]
        for command in compress { try shell(command, in: repo.path) }
        return repo
    }

    static func shell(_ command: String, in directory: String) throws {
        let process = Process()
        process.standardInput = FileHandle.nullDevice
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw GitFixture.FixtureError("\(command) failed") }
    }

    /// `path|chain|side` of each finding, path relative to the app.
    static func sightings(_ stdout: String, root: String) throws -> [String] {
        // Secret sightings only: config problems (the build config publishing maps) are not sightings.
        let findings = try #require(try CLI.json(stdout)["findings"] as? [[String: Any]])
            .filter { $0["category"] as? String != "config" }
        return findings.map { finding in
            let location = finding["location"] as! [String: Any]
            let chain = (location["decoders"] as? [[String: Any]] ?? []).map { "\($0["decoder"]!)" }.joined(separator: ">")
            let side = (location["build_output"] as? [String: Any])?["side"] as? String ?? "-"
            let path = (location["path"] as! String).replacingOccurrences(of: root + "/", with: "")
            return "\(path)|\(chain)|\(side)"
        }
    }

    @Test func ignoredBuildOutputIsReadWithItsChainAndSideAndCachesAreNot() throws {
        let repo = try Self.builtApp()
        let result = try CLI.run(["scan", repo.path, "--no-git", "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let seen = Set(try Self.sightings(result.stdout, root: repo.path))
        let expected: Set<String> = [
            "web/.next/static/chunks/app/page-3f2a.js||client",
            "web/.next/static/chunks/app/page-3f2a.js.gz|gzip|client",
            "web/.next/static/chunks/app/page-3f2a.js.br|brotli|client",
            "web/.next/static/chunks/app/page-3f2a.js.map!_N_E/app/page.tsx|sourcesContent|client",
            "web/.next/static/chunks/old-91ab.js.br|brotli|client",
            "web/.next/server/app/page.js||server",
            "spa/dist/assets/index-9c1d.js||client",
            "spa/dist/assets/index-9c1d.js.gz|gzip|client",
            "spa/dist/assets/index-9c1d.js.br|brotli|client",
            "spa/dist/assets/index-9c1d.js.map!../../src/groq.ts|sourcesContent|client",
            "spa/dist/server/entry-server.js||server",
        ]
        let missing = expected.subtracting(seen)
        #expect(missing.isEmpty, "missing \(missing.sorted()) in \(seen.sorted())")
        let cached = seen.filter { $0.contains("node_modules") || $0.contains(".next/cache") || $0.contains(".turbo") }
        #expect(cached.isEmpty, "\(cached)")
        #expect(!seen.isEmpty && seen.allSatisfy { !$0.hasSuffix("|-") }, "every sighting here is build output: \(seen.sorted())")
    }

    @Test func planProvesClientExposureAndKeepsServerBundlesOffTheBrowser() throws {
        let repo = try Self.builtApp()
        let result = try CLI.run(["plan", repo.path, "--no-git", "--format", "json"])
        let plan = try CLI.json(result.stdout)
        let items = try #require(plan["items"] as? [[String: Any]], "\(result.stderr)")
        func item(_ provider: String) -> [String: Any]? { items.first { ($0["provider"] as? String) == provider } }
        let openAI = try #require(item("OpenAI"))
        #expect(openAI["client_exposed"] as? Bool == true)
        #expect(openAI["worst_channel"] as? String == "client-bundle")
        #expect(openAI["client_proof"] as? String == "bundle", "a built bundle proves the verdict")
        #expect((openAI["client_evidence"] as? String ?? "").contains(".next/static/chunks/app/page-3f2a.js"))
        let exposures = openAI["exposures"] as? [[String: Any]] ?? []
        let map = exposures.first { fileOf($0).hasSuffix(".js.map") }
        let mapEvidence = map?["evidence"] as? String ?? ""
        #expect(mapEvidence.contains("productionBrowserSourceMaps: true"), "\(map ?? [:])")
        let groq = try #require(item("Groq"))
        let hidden = (groq["exposures"] as? [[String: Any]] ?? []).first { fileOf($0).hasSuffix(".js.map") }
        let hiddenEvidence = hidden?["evidence"] as? String ?? ""
        #expect(hiddenEvidence.contains("build.sourcemap: 'hidden'"), "\(hidden ?? [:])")
        // Server bundles: reported with their own channel, never "reached the browser".
        for provider in ["GitHub", "Database"] {
            let server = items.first { ($0["provider"] as? String ?? "").localizedCaseInsensitiveContains(provider) }
            #expect(server?["worst_channel"] as? String == "server-bundle", "\(provider): \(server ?? [:])")
            #expect(server?["client_exposed"] as? Bool == false)
        }
    }

    @Test func respectGitignoreRestoresTheOldWalkAndNoIgnoreReadsEverything() throws {
        let repo = try Self.builtApp()
        let old = try CLI.run(["scan", repo.path, "--no-git", "--format", "json", "--respect-gitignore"])
        #expect(try Self.sightings(old.stdout, root: repo.path).isEmpty, "\(old.stdout)")
        let all = try CLI.run(["scan", repo.path, "--no-git", "--format", "json", "--no-ignore"])
        let seen = try Self.sightings(all.stdout, root: repo.path)
        #expect(seen.contains { $0.hasPrefix("web/node_modules/leftpad/index.js") }, "\(seen)")
        #expect(seen.contains { $0.hasPrefix("web/.next/cache/") })
        let text = try CLI.run(["scan", repo.path, "--no-git", "--no-color"])
        #expect(text.stdout.contains("page-3f2a.js.br:1:") && text.stdout.contains("[Next.js client build output]"), "\(text.stdout)")
        #expect(text.stdout.contains("[Next.js server build output]"))
        let both = try CLI.run(["scan", repo.path, "--no-ignore", "--respect-gitignore"])
        #expect(both.status != 0 && both.stderr.contains("contradict"))
    }

    /// Public configuration beyond dotenv: an `EXPO_PUBLIC_` key in eas.json and a Vite
    /// `define` value are client-exposed with a sentence naming the file and key path; an
    /// unprefixed eas.json variable stays a build-time secret.
    @Test func easJsonAndViteDefineValuesAreClientExposedWithTheirKeyPath() throws {
        let repo = try GitFixture()
        try repo.commit("config", files: [
            "mobile/eas.json": """
            {
              "cli": { "version": ">= 5.0.0" },
              "build": {
                "production": {
                  "env": {
                    "EXPO_PUBLIC_GROQ_API_KEY": "\(Self.groq)",
                    "ANTHROPIC_API_KEY": "\(Self.anthropic)"
                  }
                }
              }
            }
            """,
            "spa/vite.config.ts": """
            import { defineConfig } from 'vite'
            // The key is baked into the bundle at build time.
            export default defineConfig({
              plugins: [],
              define: {
                __OPENAI_KEY__: JSON.stringify("\(Fakes.openAI)"),
              },
            })
            """,
        ])
        let result = try CLI.run(["plan", repo.path, "--format", "json"])
        let items = try #require(try CLI.json(result.stdout)["items"] as? [[String: Any]], "\(result.stderr)")
        func item(_ provider: String) -> [String: Any]? { items.first { ($0["provider"] as? String) == provider } }
        let groq = try #require(item("Groq"))
        #expect(groq["client_exposed"] as? Bool == true)
        let groqEvidence = groq["client_evidence"] as? String ?? ""
        #expect(groqEvidence.contains("`build.production.env.EXPO_PUBLIC_GROQ_API_KEY` in `\(repo.path)/mobile/eas.json`"), "\(groqEvidence)")
        // Nothing is built here: the plan says the verdict is inferred, and why.
        #expect(groq["client_proof"] as? String == "inferred")
        #expect(groqEvidence.contains("Inferred from names and locations, not proven: no client build output was found"), "\(groqEvidence)")
        let openAI = try #require(item("OpenAI"))
        #expect(openAI["client_exposed"] as? Bool == true)
        let openAIEvidence = openAI["client_evidence"] as? String ?? ""
        #expect(openAIEvidence.contains("`define.__OPENAI_KEY__` in `\(repo.path)/spa/vite.config.ts`"), "\(openAIEvidence)")
        let anthropic = try #require(item("Anthropic"))
        #expect(anthropic["client_exposed"] as? Bool == false, "an unprefixed EAS variable is not inlined")
    }

    /// A Docker build argument copied into a public-prefixed variable feeds the client build.
    @Test func dockerBuildArgumentFeedingNextPublicIsClientExposed() throws {
        let dir = try Scratch()
        try dir.write("Dockerfile", "FROM node:20 AS build\nARG GROQ_KEY=\(Self.groq)\nENV NEXT_PUBLIC_GROQ_KEY=$GROQ_KEY\nRUN npm run build\n")
        let result = try CLI.run(["plan", dir.path, "--format", "json"])
        let items = try #require(try CLI.json(result.stdout)["items"] as? [[String: Any]], "\(result.stderr)")
        let groq = try #require(items.first { ($0["provider"] as? String) == "Groq" })
        #expect(groq["client_exposed"] as? Bool == true)
        #expect((groq["client_evidence"] as? String ?? "").contains("feeds `NEXT_PUBLIC_GROQ_KEY` (line 3)"), "\(groq)")
    }

    /// The file an exposure sits in: its origin's path (a source map's sighting is read through
    /// a `sourcesContent` member, so the shown path goes on past the `.map`).
    private func fileOf(_ exposure: [String: Any]) -> String {
        let location = exposure["location"] as? [String: Any] ?? [:]
        let origin = location["origin"] as? [String: Any] ?? [:]
        return origin["path"] as? String ?? location["path"] as? String ?? ""
    }
}

/// Issue 14, point 3: a blob committed under two paths reports both, each with its first commit.
@Suite struct HistoryPathsTests {
    @Test func blobCommittedUnderTwoPathsReportsBothWithTheirCommits() throws {
        let repo = try GitFixture()
        let env = "OPENAI_API_KEY=\(Fakes.openAI)\n"
        let first = try repo.commit("production env", files: [".env.production": env, "README.md": "app\n"])
        let second = try repo.commit("WIP", files: [".env.production.bak": env])
        try repo.commit("drop the env file", removed: [".env.production"])
        let result = try CLI.run(["git", repo.path, "--format", "json"])
        let findings = try #require(try CLI.json(result.stdout)["findings"] as? [[String: Any]], "\(result.stderr)")
        let commit = try #require((findings.first?["location"] as? [String: Any])?["commit"] as? [String: Any], "\(findings)")
        let paths = try #require(commit["paths"] as? [[String: Any]], "\(commit)")
        // Paths are shown as every path is: the root as given, then the path in the repository.
        let byPath = Dictionary(uniqueKeysWithValues: paths.map {
            (($0["path"] as! String).replacingOccurrences(of: repo.path + "/", with: ""), $0)
        })
        #expect(byPath[".env.production"]?["commit"] as? String == first)
        #expect(byPath[".env.production"]?["in_head"] as? Bool == false)
        #expect(byPath[".env.production.bak"]?["commit"] as? String == second)
        #expect(byPath[".env.production.bak"]?["in_head"] as? Bool == true)
        let text = try CLI.run(["git", repo.path, "--no-color"])
        #expect(text.stdout.contains(", also at \(repo.path)/.env.production"), "\(text.stdout)")
        // The plan's "where" and history-purge sections name both paths.
        let plan = try CLI.run(["plan", repo.path])
        #expect(plan.stdout.contains("also committed at `\(repo.path)/.env.production"), "\(plan.stdout)")
        #expect(plan.stdout.contains("The secrets sat in history at: `\(repo.path)/.env.production`, `\(repo.path)/.env.production.bak`"), "\(plan.stdout)")
    }
}
