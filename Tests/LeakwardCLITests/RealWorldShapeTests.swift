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
}
