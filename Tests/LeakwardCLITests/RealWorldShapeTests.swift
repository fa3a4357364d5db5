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

    /// `${VAR:-default}` in a developer's compose file is what the local stack runs with while
    /// nobody sets the variable: info. The same default in a production compose file, and a
    /// literal fallback in program code, fail CI. A value masked by asterisks is no value.
    @Test func aComposeDefaultIsTheLocalStacksValue() throws {
        let dir = try Scratch()
        let literal = "Hm4Tq8Wz" + "x2Vm8Kw4"
        let compose = "services:\n  pgadmin:\n    environment:\n      PGADMIN_DEFAULT_PASSWORD: \"${PGADMIN_DEFAULT_PASSWORD:-\(literal)}\"\n"
            + "  app:\n    environment:\n      SESSION_SECRET: ${SESSION_SECRET:-Hk4Tq9Wz2Lm7Xv!}\n"
        try dir.write("docker-compose.yaml", compose)
        try dir.write("docker-compose.prod.yml", compose)
        try dir.write("server/auth.js", "const JWT_SECRET = process.env.JWT_SECRET || \"\(literal)\";\n")
        try dir.write("billing/.env", "STRIPE_WEBHOOK_SECRET=whsec_***\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let bySeverity = severities(found, in: dir)
        #expect(bySeverity["docker-compose.yaml"] == "info", "\(bySeverity)")
        #expect(bySeverity["docker-compose.prod.yml"] == "high", "\(bySeverity)")
        #expect(bySeverity["server/auth.js"] == "high", "\(bySeverity)")
        #expect(bySeverity["billing/.env"] == nil, "\(bySeverity)")
        let notes = found.first { Self.path($0, in: dir) == "docker-compose.yaml" }?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("compose file's local default") }, "\(notes)")
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

    /// `options.webhook_secret as string` with a provider's number in the object's name
    /// (`ai302Options`): a member access cast to a type, code, however its first name is spelled.
    @Test func aMemberChainWithANumberedNameIsCode() throws {
        let dir = try Scratch()
        try dir.write("src/models/flux.ts", """
            export function submit(ai302Options: Record<string, unknown>) {
              const webhookSecret = ai302Options.webhook_secret as string | undefined;
              return webhookSecret;
            }

            """)
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(found.isEmpty, "\(found.map { "\($0["rule_id"]!) \(Self.path($0, in: dir))" })")
        #expect(status == 0)
    }

    /// `password_encryption = scram-sha-256` in a shipped postgresql.conf: the setting names the
    /// hashing algorithm, not a password. A password in the same file still fails.
    @Test func anAlgorithmNameUnderAPasswordSettingIsNoSecret() throws {
        let dir = try Scratch()
        try dir.write("docker/postgres/config/postgresql.conf", "listen_addresses = '*'\npassword_encryption = scram-sha-256\nssl = on\n")
        var (status, found) = try findings(dir, ["--no-git"])
        #expect(found.isEmpty, "\(found.map { "\($0["rule_id"]!) \(Self.path($0, in: dir))" })")
        #expect(status == 0)
        try dir.write("docker/postgres/config/app.conf", "db_password = " + "Qm7vT2xLp9sW4" + "zR8nK3bY\n")
        (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
    }

    /// dotenvx commits `.env` files whose values are ECIES ciphertext (`KEY=encrypted:B…`); the
    /// private key that opens them stays in `.env.keys` or a CI secret. Reported at info as an
    /// encrypted value; a plain value beside them still fails.
    @Test func dotenvxCiphertextIsInfo() throws {
        let dir = try Scratch()
        // Made-up ciphertext of dotenvx's shape: `B` (an uncompressed public key's 0x04) and base64.
        let body = Data((0..<120).map { UInt8(($0 * 37 + 11) % 256) }).base64EncodedString()
        let cipher = "encrypted:B" + body
        try dir.write(".env.production", """
            DOTENV_PUBLIC_KEY_PRODUCTION="02b1c4d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1"
            CLERK_SECRET_KEY=\(cipher)
            GH_WEBHOOK_SECRET=\(cipher.dropLast(4))AAAA

            """)
        var (status, found) = try findings(dir, ["--no-git"])
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0["severity"] as? String == "info" }, "\(found.map { "\($0["rule_id"]!) \($0["severity"]!)" })")
        let notes = found.first?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("encrypted value") }, "\(notes)")
        #expect(status == 0)
        try dir.write("config/app.env", "SESSION_SECRET=" + "Qm7vT2xLp9sW4" + "zR8nK3bY6cF1\n")
        (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
    }

    private func severities(_ found: [[String: Any]], in dir: Scratch) -> [String: String] {
        Dictionary(found.map { (Self.path($0, in: dir), $0["severity"] as! String) }, uniquingKeysWith: max)
    }

    /// A Windows-saved config file is read key by key like any other (its second key was once
    /// invisible: the decoder split at "\n" Characters and "\r\n" is one); a value in its tool's
    /// encryption envelope is ciphertext, reported at info.
    @Test func crlfConfigIsReadAndEncryptedValuesAreInfo() throws {
        let dir = try Scratch()
        let password = "Qm7vT2x" + "Lp9sW4"
        try dir.write("deploy/settings.yml", "name: shop\r\ndatabase:\r\n  host: db.internal\r\n  password: \(password)\r\n")
        try dir.write("sonar-project.properties", "sonar.login=admin\nsonar.password={aes}" + "p1Xr8Kd0Lq2Vz7Nw3Ys5Tb==\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let bySeverity = severities(found, in: dir)
        #expect(bySeverity["deploy/settings.yml"] == "medium")
        #expect(bySeverity["sonar-project.properties"] == "info")
        let notes = found.first { Self.path($0, in: dir) == "sonar-project.properties" }?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("encrypted value") }, "\(notes)")
    }

    @Test func djangoDevelopmentKeyIsInfoUnlessProduction() throws {
        let dir = try Scratch()
        let insecure = "django-insecure-" + "wz=lazac12szp%asf(4861lt)o3m0e$yj#1)e"
        let real = "n7$x!k2q@w9#e4r5" + "t6y7u8i9o0p1a2s3d4f5g6h7j8k9"
        try dir.write("django_app/settings.py", "SECRET_KEY = '\(insecure)'\n")
        try dir.write(".env", "SECRET_KEY='\(insecure)'\n")
        try dir.write(".env.production", "SECRET_KEY='\(insecure)'\n")
        try dir.write("shop/settings.py", "SECRET_KEY = '\(real)'\n")
        // Before the prefix, `startproject` marked the same generated key by the comment above it.
        let startproject = """
            # Quick-start development settings - unsuitable for production
            # See https://docs.djangoproject.com/en/2.2/howto/deployment/checklist/

            # SECURITY WARNING: keep the secret key used in production secret!
            SECRET_KEY = '\(real)'

            """
        try dir.write("old_project/settings.py", startproject)
        try dir.write("old_project/settings_prod.py", startproject)
        let (status, found) = try findings(dir, ["--no-git"])
        let bySeverity = severities(found, in: dir)
        #expect(bySeverity["old_project/settings.py"] == "info")
        #expect(bySeverity["old_project/settings_prod.py"] == "critical")
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

    @Test func typedSampleValuesAndPagesThatShipTheirValueAreInfo() throws {
        let dir = try Scratch()
        // What people type into a sample stack: digits, a keyboard walk or mash, a password word
        // with a counting run, sample words run together, a readable phrase; a compose service's
        // userinfo; a saved Werkzeug debugger page; a Chatwoot widget token; a service-role JWT
        // naming no project in an env template.
        func segment(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        let localKey = segment("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + segment("{\"role\":\"service_role\",\"iat\":1638288268}")
            + ".zYLTMPGhBrik_CN9" + "iowa8ltmvq-y4wsTYQn1LSS6z5s"
        try dir.write(".env", """
            SECRET_KEY=kjadhflkafaskjdfhakjfsd
            NEXTAUTH_SECRET=123
            FIRST_SUPERUSER_PASSWORD=SecureAdminPass123!
            POSTGRES_PASSWORD=mongopassword
            BLOB_READ_WRITE_TOKEN=minioadmin:minioadmin@minio:9000/bucket

            """)
        try dir.write("app.properties", "spring.datasource.password=q1w2e3r4t5\n")
        try dir.write(".github/workflows/ci.yml", "env:\n  API_KEY: \"123456_set_at_workflow_level\"\n")
        try dir.write("server/output.json", """
            <script>
              var CONSOLE_MODE = false,
                  EVALEX = true,
                  EVALEX_TRUSTED = false,
                  SECRET = "dQ6guvB8JitYtb1fKc6F";
            </script>

            """)
        try dir.write("src/Footer.tsx", "const websiteToken = 'D6zXewaMkYtWBpKL1fSjpCtb';\n")
        try dir.write(".env.local.example", "SUPABASE_SERVICE_ROLE_KEY=\(localKey)\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(found.count >= 9, "\(found.map { "\($0["rule_id"]!) \(Self.path($0, in: dir))" })")
        #expect(found.allSatisfy { $0["severity"] as? String == "info" }, "\(found.map { "\($0["rule_id"]!) \($0["severity"]!)" })")
        #expect(status == 0)

        // Passwords people really set stay findings, and so do the same shapes in production configuration.
        let loud = try Scratch()
        try loud.write("src/main/resources/application.properties", "spring.datasource.password=Tech@123\n")
        try loud.write("docker-compose.yml", "services:\n  db:\n    environment:\n      - MYSQL_PASSWORD=qwerty1235456\n")
        try loud.write(".env.production", "FIRST_SUPERUSER_PASSWORD=SecureAdminPass123!\n")
        try loud.write("src/db.ts", "const password = process.env.DB_PASSWORD || \"password@123\";\n")
        let (loudStatus, loudFound) = try findings(loud, ["--no-git"])
        #expect(loudStatus == 1)
        #expect(Set(loudFound.filter { $0["severity"] as? String != "info" }.map { Self.path($0, in: loud) })
                == ["src/main/resources/application.properties", "docker-compose.yml", ".env.production", "src/db.ts"])
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

    @Test func appKeysSeedHashesAndToolStateOutsideProductionAreInfo() throws {
        let dir = try Scratch()
        let appKey = "base64:" + "az8Omhxdey6PSmwNnjt6" + "FcL41OagucP34dWossbw5Nk="
        let bcrypt = "$2a$10$" + "Nq7Vd3LrXw9Tb2Kp5Hm8Ze" + "Oy4Fc1Ja6Sg0Ru3Wi7Px5Bn2Mk9Lt4C"
        let pemBody = (0..<6).map { "MIIEowIBAAKCAQEA\($0)qX7w2LmK9pR4tVz8Nc3Bf6Hj1Yd5Ge0Sa7Ku2Wo4Ti9Qe3R" }.joined(separator: "\n")
        let mapsKey = "AIza" + "Rk3dT9vQx7LmP2sWc8Nf" + "Yh4JbZ6uGe1oKqA"
        // Production: the app's env and server code.
        let geminiKey = "AIza" + "Wp5cN2xLq8RvT3mZk7Hd" + "Ys9BfJ4uGe6oKqA"
        try dir.write(".env", "APP_KEY=\(appKey)\nGEMINI_API_KEY=\(geminiKey)\n")
        // A test run's env, a README, seed data, a test app, Vagrant's machine key and a Maps
        // browser key in an HTML template are samples, tool state or public by design.
        try dir.write(".env.dusk.local", "APP_KEY=\(appKey)\n")
        try dir.write("README.md", "Set `APP_KEY=\(appKey)` in your .env\n")
        try dir.write("src/main/resources/db/h2/data.sql", "INSERT INTO users VALUES (1, 'admin', '\(bcrypt)');\n")
        try dir.write("integration-test-app/config/secrets.yml",
                      "production:\n  secret_key_base: 9f3c1b7e5a2d8c4f6b0e9a7d3c5f1b8e2a4d6c9f0b3e7a1d5c8f2b6e9a3d7c1f\n")
        try dir.write(".vagrant/machines/default/virtualbox/private_key",
                      "-----BEGIN RSA PRIVATE KEY-----\n\(pemBody)\n-----END RSA PRIVATE KEY-----\n")
        try dir.write("src/main/resources/templates/map.html",
                      "<script async defer src=\"https://maps.googleapis.com/maps/api/js?key=\(mapsKey)&callback=initMap\"></script>\n")
        // An empty value in a compose list is not followed by its value on the next line.
        try dir.write("deployment/deploy-compose.yml", "services:\n  app:\n    environment:\n      - NEXTAUTH_SECRET=\n      - GITHUB_ID=\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let byPath = Dictionary(grouping: found, by: { Self.path($0, in: dir) })
            .mapValues { $0.map { "\($0["rule_id"]!) \($0["severity"]!)" }.sorted() }
        #expect(byPath[".env"] == ["google.api-key high", "session.laravel-app-key critical"], "\(byPath[".env"] ?? [])")
        for path in [".env.dusk.local", "README.md", "src/main/resources/db/h2/data.sql", "integration-test-app/config/secrets.yml",
                     ".vagrant/machines/default/virtualbox/private_key", "src/main/resources/templates/map.html"] {
            #expect(byPath[path]?.isEmpty == false && byPath[path]!.allSatisfy { $0.hasSuffix(" info") }, "\(path): \(byPath[path] ?? [])")
        }
        #expect(byPath["src/main/resources/templates/map.html"] == ["google.maps-javascript-key info"])
        #expect(byPath["deployment/deploy-compose.yml"] == nil, "\(byPath["deployment/deploy-compose.yml"] ?? [])")
    }

    @Test func aJWTUnderATokenNameAndAnUnmarkedOpenAIKeyAreFound() throws {
        let dir = try Scratch()
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "eyJzdWIiOiI4YzNhZjA4NyIsInJvbGUiOiJhdXRoZW50aWNhdGVkIiwiaWF0IjoxNzM4NjE3NTcwfQ"
            + ".Xh86nHstTo8GobPF1-nyBBisNr5df5AxwuSmuNDyE0c"
        let key = "sk-" + "Vq3HtZ8mLp2Wx7RcNa5YbK0d" + "Jf9GsE4uTq1oPi6rMw3nXz8L"
        try dir.write("firmware/src/Config.cpp", "String authTokenGlobal = \"\(jwt)\";\n")
        try dir.write("test/fixtures/session.json", "{\"access_token\": \"\(jwt)\"}\n")
        try dir.write(".env.example", "OPENAI_API_KEY=\(key)\n")
        try dir.write("Dockerfile", "RUN curl -X PUT -u ops.bot@acme-shop.com:MNB8Q8oSd4Piha ./app.jar \"https://acme.jfrog.io/artifactory/libs/app.jar\"\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let byPath = Dictionary(grouping: found, by: { Self.path($0, in: dir) })
            .mapValues { $0.map { "\($0["rule_id"]!) \($0["severity"]!)" }.sorted() }
        #expect(byPath["firmware/src/Config.cpp"] == ["generic.jwt-assignment medium"], "\(byPath)")
        #expect(byPath["test/fixtures/session.json"] == ["generic.jwt-assignment info"], "\(byPath)")
        #expect(byPath[".env.example"] == ["openai.named-key high"], "\(byPath)")
        #expect(byPath["Dockerfile"] == ["generic.curl-basic-auth medium"], "\(byPath)")
    }

    @Test func aCredentialCommentedOutInProductionCodeIsStillLeaked() throws {
        let dir = try Scratch()
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "eyJzdWIiOiI4YzNhZjA4NyIsInJvbGUiOiJhdXRoZW50aWNhdGVkIiwiaWF0IjoxNzM4NjE3NTcwfQ"
            + ".Xh86nHstTo8GobPF1-nyBBisNr5df5AxwuSmuNDyE0c"
        let consumerKey = "q8Vd3LrXw9" + "Tb2Kp5Hm7ZeOy4F"
        let consumerSecret = "z1Az8z64r0SbQF5vVanURLJ8a" + "Zin9mnHAqY1ds5vzH5KUbyT5k"
        // Firmware that swapped its token for another: the old one is a comment, still in the repository.
        try dir.write("esp32/src/Config.cpp", "// const char *auth_token = \"\(jwt)\";\n")
        // A name-and-entropy value in a comment is still an illustration.
        try dir.write("src/app.js", "// const apiSecret = \"Xk4mP9vQ2rT7wZ3nB8cL\";\n")
        // Spring OAuth registrations switched off with `#`: the keys are the Twitter app's.
        try dir.write("src/main/resources/oauth2.properties", """
            #spring.security.oauth2.client.registration.twitter.client-id=\(consumerKey)
            #spring.security.oauth2.client.registration.twitter.client-secret=\(consumerSecret)

            """)
        try dir.write("pom.xml", "<properties>\n  <sonar.login>a20ecee7809cce177af9e74d1ab39cc16484a92d</sonar.login>\n</properties>\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let byPath = Dictionary(grouping: found, by: { Self.path($0, in: dir) })
            .mapValues { $0.map { "\($0["rule_id"]!) \($0["severity"]!)" }.sorted() }
        #expect(byPath["esp32/src/Config.cpp"] == ["generic.jwt-assignment medium"], "\(byPath)")
        #expect(byPath["src/app.js"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(byPath)")
        #expect(byPath["src/main/resources/oauth2.properties"] == ["twitter.api-key medium", "twitter.api-secret high"], "\(byPath)")
        #expect(byPath["pom.xml"] == ["sonar.legacy-token high"], "\(byPath)")
    }

    @Test func aProviderKeyPastedIntoATemplateFailsWhileGenericSamplesStayInfo() throws {
        let dir = try Scratch()
        let together = "0c3c5577365ddda8dc55fedb5117055f" + "aa8e88a6eafea101f8a22d865e2d6705"
        // A short random-looking value (under 20 characters) is still read as a typed sample.
        try dir.write(".example.env", "TOGETHER_API_KEY=\(together)\nVercel API Key=hNvgQHJTVKM" + "wqic3H9toSOSR\nAPI_SECRET=Xk4mP9vQ2rT7wZ3n\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let rules = found.map { "\($0["rule_id"]!) \($0["severity"]!)" }.sorted()
        #expect(rules.contains("together.legacy-key high"), "\(rules)")
        #expect(rules.contains("vercel.legacy-token critical"), "\(rules)")
        #expect(found.filter { ($0["rule_id"] as! String).hasPrefix("generic.") }.allSatisfy { $0["severity"] as! String == "info" }, "\(rules)")
    }

    /// `DISCORD_CLIENT_SECRET=<32 random>` in a pull request's `.env.example`: a third party's
    /// credential someone pasted. Samples (a stand-in phrase, a weak value, a short one) and an
    /// app's own signing key stay at info; a placeholder is no finding.
    @Test func aRandomValueUnderACredentialNamePastedIntoATemplateFails() throws {
        let dir = try Scratch()
        let discord = "1kmCDLq8Vd3LrXw9" + "Tb2Kp5Hm7ZeOy4Fa"
        try dir.write(".env.example", """
            DISCORD_CLIENT_SECRET="\(discord)"
            AUTH_SECRET=\("9f2c4e7a1b8d3f60" + "5e9a2c7b4d1f8e3a")
            API_SECRET=dev-secret-key-change-in-production
            DB_PASSWORD=p@ssw0rd
            OPENAI_API_KEY=your-api-key-here
            LEMONSQUEEZY_WEBHOOK_SECRET=my-webhook-secret
            SMTP_PASSWORD=email-server-password

            """)
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let rules = found.map { "\($0["rule_id"]!) \($0["severity"]!)" }.sorted()
        // A mail password written as a readable phrase is the template's sample, not a pasted one.
        #expect(rules.contains("smtp.password info"), "\(rules)")
        let failing = found.filter { $0["severity"] as! String != "info" }.map { "\($0["rule_id"]!) \($0["severity"]!)" }
        #expect(failing == ["generic.assignment medium"], "\(rules)")
        // A provider's user-chosen secret written as a stand-in phrase is the template's sample.
        #expect(rules.contains("lemonsqueezy.webhook-secret info"), "\(rules)")
        #expect(rules.contains { $0.hasPrefix("session.") && $0.hasSuffix(" info") }, "\(rules)")
    }

    /// A Kubernetes Secret's `data:` values are base64: one that encodes a stand-in phrase
    /// (`…-dev-jwt-secret-change-me`) is that sample, at info; a random one stays a finding.
    @Test func aStandInPhraseEncodedInAKubernetesSecretIsASample() throws {
        let dir = try Scratch()
        let random = "Qm9wN2tYcjVMd" + "zJ2Wjl0UThtSDRuUjZmVzF5Q2s="
        try dir.write("deploy/k8s/app-secrets.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: app-secrets
            type: Opaque
            data:
              JWT_SECRET_KEY: YWNtZS1kZXYtand0LXNlY3JldC1jaGFuZ2UtbWU=
              SESSION_SECRET: \(random)

            """)
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let failing = found.filter { $0["severity"] as! String != "info" }.map { $0["variable"] as? String ?? "?" }
        #expect(failing.contains("SESSION_SECRET"), "\(found.map { "\($0["rule_id"]!) \($0["severity"]!) \($0["variable"] ?? "-")" })")
        #expect(!failing.contains("JWT_SECRET_KEY"), "\(found.map { "\($0["rule_id"]!) \($0["severity"]!) \($0["variable"] ?? "-")" })")
    }

    @Test func aManagedDatabaseURLPastedIntoATemplateFails() throws {
        let dir = try Scratch()
        let password = "npg_" + "Xk4mP9vQ2rT7"
        // A password of letters alone, mixed case, is still a password inside a URL (no name there).
        let letters = "Hqlvmd" + "KRTsz"
        try dir.write(".env.example", """
            POSTGRES_URL=postgres://neondb_owner:\(password)@ep-green-darkness-a7grm3pd-pooler.us-east-2.aws.neon.tech/neondb?sslmode=require
            MONGODB_URI=mongodb://shopdev:\(letters)@ds047211.mlab.com:47211/shop

            """)
        try dir.write("config/.env.sample", "DATABASE_URL=postgres://app:\(password)@db.acme-shop.example:5432/app\nLOCAL_URL=postgres://app:\(password)@localhost:5432/app\n"
            // A managed host that is itself a placeholder: the template's own example.
            + "# Example: SUPABASE_DATABASE_URL=\"postgresql://postgres:Hq7vLm3TxR7kWp2N@db.abcdefghijklmnop.us-east-1.supabase.com:6543/postgres\"\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let byPath = Dictionary(grouping: found, by: { Self.path($0, in: dir) })
            .mapValues { $0.map { "\($0["rule_id"]!) \($0["severity"]!)" }.sorted() }
        #expect(byPath[".env.example"] == ["database.url-password critical", "database.url-password critical"], "\(byPath)")
        #expect(byPath["config/.env.sample"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(byPath)")
    }

    /// An API description's sample (OpenAPI `example:`, also inside the `@swagger` comments
    /// swagger-jsdoc reads) is documentation: a sample JWT there is info. The same token set in
    /// code fails CI.
    @Test func aSampleInAnAPIDescriptionIsDocumentation() throws {
        let dir = try Scratch()
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "eyJzdWIiOiI4YzNhZjA4N2QyZTEiLCJpYXQiOjE3MDAwMDAwMDB9."
            + "Xh86nHstTo8GobPF1-nyBBisNr5df5AxwuSmuNDyE0c"
        try dir.write("src/routes/auth.route.js", """
            /**
             * @swagger
             * /auth/logout:
             *   post:
             *     requestBody:
             *       content:
             *         application/json:
             *           schema:
             *             type: object
             *             example:
             *               refreshToken: \(jwt)
             */
            router.post('/logout', logout);

            """)
        try dir.write("openapi.yaml", "components:\n  examples:\n    Tokens:\n      value:\n        access_token: \(jwt)\n")
        try dir.write("src/client.js", "const refreshToken = '\(jwt)';\n")
        let (status, found) = try findings(dir, ["--no-git"])
        #expect(status == 1)
        let bySeverity = severities(found, in: dir)
        #expect(bySeverity["src/routes/auth.route.js"] == "info", "\(bySeverity)")
        #expect(bySeverity["openapi.yaml"] == "info", "\(bySeverity)")
        #expect(bySeverity["src/client.js"] == "medium", "\(bySeverity)")
    }
}
