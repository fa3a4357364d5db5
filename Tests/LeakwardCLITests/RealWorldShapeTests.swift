import Foundation
import Testing

/// Shapes from real repositories: code that only sits where a value could, literals hidden
/// behind an environment reference, tokens inside URLs, and where a finding sits.
@Suite struct RealWorldShapeTests {
    private func findings(_ dir: Scratch, _ extra: [String] = []) throws -> (status: Int32, findings: [[String: Any]]) {
        let result = try CLI.run(["scan", dir.path, "--format", "json"] + extra)
        let report = try CLI.json(result.stdout)
        return (result.status, report["findings"] as? [[String: Any]] ?? [])
    }

    private static func path(_ finding: [String: Any], in dir: Scratch) -> String {
        ((finding["location"] as! [String: Any])["path"] as! String).replacingOccurrences(of: dir.path + "/", with: "")
    }

    @Test func railsCodeShapesAreNotSecrets() throws {
        let dir = try Scratch()
        try dir.write("lib/rails/application.rb", """
            def secret_key_base
              @secret_key_base = nil
              @secret_key_base = generate_local_secret
              config.secret_key_base = Rails.application.credentials.secret_key_base
            end
            SECRET_KEY_BASE = "action_dispatch.secret_key_base"
            key_generator(secret_key_base: app.credentials.old_secret_key_base)

            """)
        try dir.write("app/views/home.blade.php", "<div>{{ session('status') }}</div>\n<?php session('flash_message_key'); ?>\n")
        try dir.write("app/settings.py", "class Settings(BaseSettings):\n    jwt_secret: str\n    session_secret: Optional[str] = None\n")
        let (status, found) = try findings(dir)
        #expect(found.isEmpty, "\(found.map { "\($0["rule_id"]!) \(Self.path($0, in: dir))" })")
        #expect(status == 0)
    }

    @Test func aLiteralBehindAnEnvironmentReferenceIsAHardcodedFallback() throws {
        let dir = try Scratch()
        let literal = "Yoj2lZ" + "pQ8vRt4Wn7Xk" + "Iln"
        try dir.write("server/auth.js", "const JWT_SECRET = process.env.JWT_SECRET || \"\(literal)\";\n")
        try dir.write("app/config.py", "API_TOKEN = os.getenv(\"API_TOKEN\", \"\(literal)\")\n")
        try dir.write("config/initializers/session.rb", "secret = ENV.fetch(\"SESSION_SECRET\") { \"\(literal)\" }\n")
        try dir.write("docker-compose.yml", "services:\n  db:\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:-\(literal)}\n")
        let (status, found) = try findings(dir)
        #expect(status == 1)
        let kinds = Dictionary(grouping: found, by: { Self.path($0, in: dir) }).mapValues { $0.map { $0["kind"] as! String } }
        for file in ["server/auth.js", "app/config.py", "config/initializers/session.rb", "docker-compose.yml"] {
            #expect(kinds[file] == ["hardcoded-fallback"], "\(file): \(kinds[file] ?? [])")
        }
    }

    @Test func aQuotedKeyNameIsNotTheKey() throws {
        let dir = try Scratch()
        // botocore's credential providers name the variables they read.
        try dir.write("lib/credentials.py", """
            class EnvProvider:
                SECRET_KEY = 'AWS_SECRET_ACCESS_KEY'
            class OriginalEC2Provider:
                SECRET_KEY = 'AWSSecretKey'
            class ConfigProvider:
                SECRET_KEY = 'aws_secret_access_key'

            """)
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(found.isEmpty, "\(found.map { "\($0["rule_id"]!) \(Self.path($0, in: dir))" })")
        #expect(status == 0)
    }

    @Test func aScanRootInsideADependencyFolderIsVendored() throws {
        let dir = try Scratch()
        let token = "ILQMESfEW0p6i" + "6gIJcEWvO65TP5hg6B99hGFZ2lxrIs="
        try dir.write("site-packages/mockpkg/ses/models.py", "RESULT = {\"VerificationToken\": \"\(token)\"}\n")
        try dir.write("site-packages/mockpkg/proxy/settings.py", "API_TOKEN = \"\(token)\"\n")
        try dir.write("app/settings.py", "API_TOKEN = \"\(token)\"\n")
        // Scanned as the project: site-packages is a folder of it, and only app/ fails CI.
        let whole = try CLI.run(["scan", dir.path, "--no-git", "--format", "json"])
        let credentials = try CLI.json(whole.stdout)["credentials"] as? [[String: Any]] ?? []
        #expect(whole.status == 1)
        #expect(credentials.count == 1)
        // Scanned as the root itself: every finding below it is a dependency's, at info.
        let root = dir.url.appendingPathComponent("site-packages").path
        let result = try CLI.run(["scan", root, "--no-git", "--format", "json"])
        let found = try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? []
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0["severity"] as? String == "info" }, "\(found.map { $0["severity"]! })")
        #expect(result.status == 0)
    }

    @Test func aProviderPrefixKeepsItsSeverityInADemoFolder() throws {
        let dir = try Scratch()
        // A demo app's committed .env: the Resend key's `re_` prefix is its format (the rule's
        // keyword is the provider's name), so it is not lowered like a name-and-entropy value.
        let key = "re_" + "9YrPjkJN" + "_Er9uT5wKq2LmZx7VbN3cD8hF"
        try dir.write("demo/.env", "RESEND_API_KEY=\(key)\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        #expect(found.map { "\($0["rule_id"]!) \($0["severity"]!)" } == ["resend.api-key high"])
    }

    @Test func telegramTokenInsideABotURL() throws {
        let dir = try Scratch()
        let token = "1307929187:AA" + "fTg0GMZWb9xAFQ__D6U552jWznCVidA9O"
        try dir.write("bot.js", "fetch(`https://api.telegram.org/bot\(token)/sendMessage`, { method: 'POST' })\n")
        let (status, found) = try findings(dir)
        #expect(status == 1)
        #expect(found.map { $0["rule_id"] as! String } == ["telegram.bot-token"])
    }

    @Test func formatlessFindingsOutsideProductionAreInfo() throws {
        let dir = try Scratch()
        let value = "Qu77yYauihgo" + "CaHAJ38i2SyjFrIvy8yp"
        try dir.write("test/integration/login_test.rb", "MAILER_API_KEY = \"\(value)\"\n")
        try dir.write("guides/source/configuring.md", "    export INTERNAL_SERVICE_TOKEN=\(value)x\n")
        try dir.write("src/__tests__/client.js", "const token = '\(Fakes.github)'\n")
        let (status, found) = try findings(dir)
        let severities = Dictionary(uniqueKeysWithValues: found.map { (Self.path($0, in: dir), $0["severity"] as! String) })
        #expect(severities["test/integration/login_test.rb"] == "info")
        #expect(severities["guides/source/configuring.md"] == "info")
        // A checksum-valid provider token is reported wherever it is pasted.
        #expect(severities["src/__tests__/client.js"] == "high" || severities["src/__tests__/client.js"] == "critical")
        #expect(status == 1)
        let note = found.first { Self.path($0, in: dir) == "test/integration/login_test.rb" }?["notes"] as? [String] ?? []
        #expect(note.contains { $0.contains("a test file") })

        let quiet = try Scratch()
        try quiet.write("test/integration/login_test.rb", "MAILER_API_KEY = \"\(value)\"\n")
        #expect(try findings(quiet).status == 0)
        // The same line in production code fails the scan.
        try quiet.write("app/mailer.rb", "MAILER_API_KEY = \"\(value)\"\n")
        #expect(try findings(quiet).status == 1)
    }

    private func severities(_ found: [[String: Any]], in dir: Scratch) -> [String: String] {
        Dictionary(found.map { (Self.path($0, in: dir), $0["severity"] as! String) }, uniquingKeysWith: max)
    }

    @Test func djangoDevelopmentKeyIsInfoUnlessProduction() throws {
        let dir = try Scratch()
        let insecure = "django-insecure-" + "wz=lazac12szp%asf(4861lt)o3m0e$yj#1)e"
        let real = "n7$x!k2q@w9#e4r5" + "t6y7u8i9o0p1a2s3d4f5g6h7j8k9"
        try dir.write("django_app/settings.py", "SECRET_KEY = '\(insecure)'\n")
        try dir.write(".env", "SECRET_KEY='\(insecure)'\n")
        try dir.write(".env.production", "SECRET_KEY='\(insecure)'\n")
        try dir.write("shop/settings.py", "SECRET_KEY = '\(real)'\n")
        let (status, found) = try findings(dir, ["--no-git"])
        let bySeverity = severities(found, in: dir)
        #expect(bySeverity["django_app/settings.py"] == "info")
        #expect(bySeverity[".env"] == "info")
        // A production env file is what a deploy reads: the marked key is the production key.
        #expect(bySeverity[".env.production"] == "critical")
        #expect(bySeverity["shop/settings.py"] == "critical")
        #expect(status == 1)
        let notes = found.first { Self.path($0, in: dir) == "django_app/settings.py" }?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("development key: Django marks it insecure") }, "\(notes)")

        let quiet = try Scratch()
        try quiet.write("django_app/settings.py", "SECRET_KEY = '\(insecure)'\n")
        #expect(try findings(quiet, ["--no-git"]).status == 0)
    }

    @Test func aValueSayingWhatItIsIsInfo() throws {
        let dir = try Scratch()
        let random = "Qu77yYauihgo" + "CaHAJ38i2SyjFrIvy8yp"
        // Values that call themselves development or stand-in values, and passwords for
        // databases on the developer's machine or in a compose network.
        try dir.write(".env", """
            SECRET_KEY=dev-secret-key-change-in-production
            JWT_SECRET_KEY=nhost-jwt-secret
            DATABASE_URL=postgresql://postgres:\(random)@127.0.0.1:5432/app_dev
            CELERY_BROKER=amqp://worker:\(random)@rabbitmq:5672//

            """)
        try dir.write(".github/workflows/lint.yml", "env:\n  SECRET_KEY: just-for-linting\n")
        try dir.write("compose.yaml", "services:\n  db:\n    environment:\n      - MYSQL_USER=docker\n      - MYSQL_PASSWORD=docker@123\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0["severity"] as? String == "info" }, "\(found.map { "\($0["rule_id"]!) \($0["severity"]!)" })")
        #expect(status == 0)
        for finding in found {
            let notes = finding["notes"] as? [String] ?? []
            #expect(notes.contains { $0.hasSuffix("reported at info") }, "\(notes)")
        }

        // The same shapes with random values and a remote host fail CI.
        let loud = try Scratch()
        try loud.write(".env", """
            SECRET_KEY=\(random)Zk4
            DATABASE_URL=postgresql://postgres:\(random)@db.prod.example.com:5432/app

            """)
        let (loudStatus, loudFound) = try findings(loud, ["--no-git"])
        #expect(loudStatus == 1)
        #expect(Set(loudFound.map { $0["rule_id"] as! String }).isSuperset(of: ["session.django-secret-key", "database.url-password"]))
        #expect(loudFound.allSatisfy { $0["severity"] as? String == "critical" })
    }

    @Test func samplesInsideDocumentationAreDocumentation() throws {
        let dir = try Scratch()
        // A gh-pages guide shows express-session's sample secret in a code block; a Flask
        // docstring shows a session printing its key.
        try dir.write("guide.html", "<h3>Sessions</h3>\n<pre><code>app.use(express.session({ secret: \"keyboard cat\" }));\n</code></pre>\n")
        try dir.write("flask/config.py", """
            class Config(dict):
                def from_envjson(self, prefix):
                    \"\"\"Loads JSON from the environment.

                        $ python foo.py
                        SECRET_KEY:'ba92ffd4d9582827cb8f93c4b48f60e3'
                    \"\"\"
                    return True

            """)
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(found.allSatisfy { $0["severity"] as? String == "info" }, "\(found.map { "\($0["rule_id"]!) \($0["severity"]!)" })")
        #expect(status == 0)
        // The same secret in the page's script is configuration.
        try dir.write("index.html", "<script>app.use(express.session({ secret: \"keyboard cat\" }));</script>\n")
        #expect(try findings(dir, ["--no-git"]).status == 1)
    }
}
