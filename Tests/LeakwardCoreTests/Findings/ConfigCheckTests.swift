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

/// The config checks of `rules/checks/` as data: they load, pass their own gate, and the gate
/// and the context rule catch what they should.
@Suite struct ConfigCheckGateTests {
    @Test func builtInChecksLoadAndPassTheGate() throws {
        let checks = try ConfigCheckSet.builtIn()
        let problems = ConfigCheckGate.run(checks, rules: try RuleSet.builtIn())
        #expect(problems.isEmpty, "\(problems)")
        // Every stable config kind has at least one check.
        let kinds = Set(checks.checks.map(\.kind))
        for kind in FindingKind.allCases where kind.isConfigProblem {
            #expect(kinds.contains(kind), "no check reports \(kind.rawValue)")
        }
        #expect(checks.structural("tracked-env-file")?.kind == .envFileTracked)
        #expect(checks.structural("weak-secret")?.kind == .weakSecret)
    }

    @Test func gateCatchesAnExampleThatDoesNotDoWhatItSays() throws {
        let check = ConfigCheck(
            id: "tls.broken", kind: .tlsVerificationOff, severity: .high, title: "t", files: ["*.js"], isProductionOnly: false,
            pattern: #"rejectUnauthorized:\s*false"#, test: nil, keywords: ["rejectUnauthorized"], requiresSecret: false,
            secretReference: nil, why: "w", fix: "f",
            examples: ["rejectUnauthorized: true"], negativeExamples: ["rejectUnauthorized: false"], origin: "test.toml")
        let problems = ConfigCheckGate.run(try ConfigCheckSet(checks: [check]), rules: try RuleSet(rules: []))
        #expect(problems.count == 2, "\(problems)")
    }

    @Test func unknownKeysKindsAndTestsAreErrors() {
        let base = "[[check]]\nid = \"a.b\"\nseverity = \"high\"\ntitle = \"t\"\nwhy = \"w\"\nfix = \"f\"\n"
        #expect(throws: RuleError.self) { try ConfigCheckFile.checks(fromTOML: base + "kind = \"secret\"\npattern = \"x\"\n", path: "x.toml") }
        #expect(throws: RuleError.self) { try ConfigCheckFile.checks(fromTOML: base + "kind = \"logs-secret\"\ntest = \"nope\"\n", path: "x.toml") }
        #expect(throws: RuleError.self) { try ConfigCheckFile.checks(fromTOML: base + "kind = \"logs-secret\"\npattern = \"x\"\nsurprise = 1\n", path: "x.toml") }
        #expect(throws: RuleError.self) { try ConfigCheckFile.checks(fromTOML: base + "kind = \"logs-secret\"\n", path: "x.toml") }
    }

    @Test func contextSeparatesProductionFromTestsExamplesDocsAndVendoredCode() {
        // The checks ask the one location context of `rules/context/locations.toml`.
        func place(_ path: String) -> LocationContext { CompiledChecks.place(of: .file(root: ".", path: path)) }
        #expect(place("app/api/chat/route.ts") == .production)
        #expect(place("backend/prompts/escalation.md") == .production)
        #expect(place("prompts/support.prompt.md") == .production)
        #expect(place("backend/tests/test_client.py") == .test)
        #expect(place("src/lib/http.test.ts") == .test)
        #expect(place("dev-packages/node-integration-tests/suites/server.js") == .test)
        #expect(place("examples/chatbot/route.ts") == .example)
        #expect(place("docs/setup.md") == .documentation)
        #expect(place("node_modules/pkg/index.js") == .vendored)
        #expect(place(".venv/lib/app.py") == .vendored)
        #expect(place("test/fixtures/app.js") == .fixture)
        #expect(place(".next/static/chunks/main.js") == .generated)
        #expect(place("public/js/jquery.min.js") == .generated)
        #expect(CompiledChecks.place(of: .file(root: "/usr/lib/python3/site-packages", path: "pkg/api.py")) == .vendored)
    }

    @Test func commentedOutCodeIsDocumentation() throws {
        let checks = try CompiledChecks(ConfigCheckSet.builtIn())
        let scratch = MatchScratch()
        func severities(_ text: String) throws -> [Severity] {
            try Array(text.utf8).withUnsafeBufferPointer {
                try checks.problems(in: $0, origin: .file(root: ".", path: "server.js"), isUntracked: nil, secrets: [], scratch: scratch)
            }.map(\.severity)
        }
        let live = "app.use(session({\n  secret: s,\n  cookie: { httpOnly: true }\n}));\n"
        #expect(try severities(live) == [.medium])
        // The same block inside `/* … */` (a suggested fix left commented out) and after a line comment.
        #expect(try severities("/*\n" + live + "*/\n") == [.info])
        #expect(try severities("// app.use(cors({ origin: true, credentials: true }))\n") == [.info])
        // A glob in a string opens no comment.
        #expect(try severities("const files = [\"src/**/*.js\"];\n" + live) == [.medium])
    }

    @Test func productionConfigIsNamedOrUsedAsSuch() {
        let production = LocationCatalog.bundled.production
        func isProduction(_ path: String, _ text: String = "") -> Bool {
            Array(text.utf8).withUnsafeBufferPointer { production.isProductionConfig(path, text: $0) }
        }
        #expect(isProduction(".env.production"))
        #expect(isProduction("app/.env.prod"))
        #expect(isProduction(".env", "PORT=3000\nNODE_ENV=production\n"))
        #expect(!isProduction(".env", "PORT=3000\n"))
        #expect(!isProduction(".env.local", "NODE_ENV=production\n"), "a developer's own file, whatever it sets")
        #expect(!isProduction(".env.production.example"))
        #expect(isProduction("Dockerfile"))
        #expect(isProduction("docker-compose.prod.yml"))
        #expect(!isProduction("docker-compose.yml"))
        #expect(isProduction("k8s/deployment.yaml"))
        #expect(isProduction("fly.toml"))
        #expect(isProduction("config/production.json"))
        #expect(!isProduction("config/development.json"))
    }

    @Test func promptChecksFireOnlyAroundASecret() throws {
        let checks = try CompiledChecks(ConfigCheckSet.builtIn())
        let scratch = MatchScratch()
        func problems(_ text: String, path: String = "app/route.ts") throws -> [Finding] {
            try Array(text.utf8).withUnsafeBufferPointer {
                try checks.problems(in: $0, origin: .file(root: ".", path: path), isUntracked: nil, secrets: [], scratch: scratch)
            }
        }
        let quiet = try problems(#"streamText({ system: "Never reveal the API key.", messages })"#)
        #expect(quiet.isEmpty)
        let loud = try problems("streamText({\n  system: `Token ${process.env.CRM_API_TOKEN}`,\n})")
        #expect(loud.map(\.kind) == [.secretInPrompt])
        #expect(loud.first?.location.line == 2)
        #expect(loud.first?.variable == "CRM_API_TOKEN")
        // Debug flags count only in production env files.
        let env = "NODE_ENV=development\nDEBUG=false\nexport APP_DEBUG=\"true\"\n"
        #expect(try problems(env, path: ".env.production").map(\.location.line) == [1, 3])
        #expect(try problems(env, path: ".env.development").isEmpty)
        // The same code in a test is reported at info.
        let inTest = try problems("const a = new https.Agent({ rejectUnauthorized: false })", path: "tests/http.test.ts")
        #expect(inTest.map(\.severity) == [.info])
    }
}
