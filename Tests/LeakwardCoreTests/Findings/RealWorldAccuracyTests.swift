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
@testable import LeakwardVerification

/// Real code is judged for what it is: values, not code; and where it sits.
@Suite struct RealWorldAccuracyTests {
    private func codeReason(_ line: String, secret: String, path: String, formatless: Bool = true) -> String? {
        let bytes = Array(line.utf8)
        let start = line.utf8.count - line.components(separatedBy: secret).last!.utf8.count - secret.utf8.count
        return bytes.withUnsafeBufferPointer {
            LiteralValue.codeReason(secret: start..<(start + secret.utf8.count), in: $0, path: path, formatless: formatless)
        }
    }

    @Test func codeIsNotAValue() {
        #expect(codeReason("secret_key_base: Rails.application.secret_key_base", secret: "Rails.application.secret_key_base", path: "a.rb") != nil)
        #expect(codeReason("  @secret_key_base = nil", secret: "nil", path: "a.rb") != nil)
        #expect(codeReason("  @secret_key_base = generate_local_secret", secret: "generate_local_secret", path: "lib/a.rb") != nil)
        #expect(codeReason("secret_key_base: app.credentials.old_secret_key_base", secret: "app.credentials.old_secret_key_base", path: "x.yml") != nil)
        #expect(codeReason("    jwt_secret: str", secret: "str", path: "app/config.py") != nil)
        #expect(codeReason("const JWT_SECRET: string = load()", secret: "string", path: "src/a.ts") != nil)
        #expect(codeReason("token = makeToken(user)", secret: "makeToken", path: "a.go") != nil)
        #expect(codeReason("    SMTP_PASSWORD: Optional[str] = None", secret: "Optional[str]", path: "docs/shared.md") != nil)
        #expect(codeReason("SMTP_PASSWORD=Opt1onal[x]z", secret: "Opt1onal[x]z", path: ".env") == nil)
        // The code between two literals joined by `+`, read as if it were a quoted value.
        #expect(codeReason("self.payload = \"token=\"+self.getnews_api_token+\"&format=json\"", secret: "+self.getnews_api_token+", path: "plugins/news.py") != nil)
        #expect(codeReason("url = \"key=\"+API_TOKEN_VALUE+\"&x\"", secret: "+API_TOKEN_VALUE+", path: "a.js") != nil)
        // Base64 may start and end with `+`; without `.` or `_` inside it stays a value.
        #expect(codeReason("token = \"+Yoj2lZpQ8vRt4Wn7XkLm+\"", secret: "+Yoj2lZpQ8vRt4Wn7XkLm+", path: "a.py") == nil)
    }

    @Test func literalsAreValues() {
        #expect(codeReason("JWT_SECRET = \"Yoj2lZpQ8vRt4Wn7XkLm\"", secret: "Yoj2lZpQ8vRt4Wn7XkLm", path: "a.py") == nil)
        #expect(codeReason("JWT_SECRET=Yoj2lZpQ8vRt4Wn7XkLm", secret: "Yoj2lZpQ8vRt4Wn7XkLm", path: ".env") == nil)
        #expect(codeReason("  POSTGRES_PASSWORD: s3cr3tpw", secret: "s3cr3tpw", path: "docker-compose.yml") == nil)
        // In a comment or inside a string, an unquoted word is text, not an identifier.
        #expect(codeReason("# password: hunter2hunter", secret: "hunter2hunter", path: "a.py") == nil)
        #expect(codeReason("x = \"token=Abc123Def456Ghi\"", secret: "Abc123Def456Ghi", path: "a.js") == nil)
        // A provider format keeps its digits: a token is never read as an identifier.
        #expect(codeReason("token = ghp_abc123", secret: "ghp_abc123", path: "a.rb", formatless: false) == nil)
    }

    @Test func memberChainsAreWordsJoinedByDots() {
        #expect(LiteralValue.isMemberChain(Array("Rails.application.secret_key_base".utf8)))
        #expect(LiteralValue.isMemberChain(Array("action_dispatch.secret_key_base".utf8)))
        #expect(!LiteralValue.isMemberChain(Array("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.Ab3dE5fG7hI9".utf8)))
        #expect(!LiteralValue.isMemberChain(Array("SG.aB3dEfGhIjKlMnOpQrStUv.wXyZ0123".utf8)))
        // A provider's number inside a camelCase or snake_case word is still a name
        // (`ai302Options.webhook_secret`, `s3Client.config`); digits inside random letters
        // (a Discord token's dotted parts) are not.
        #expect(LiteralValue.isMemberChain(Array("ai302Options.webhook_secret".utf8)))
        #expect(LiteralValue.isMemberChain(Array("this.s3Client.sha256_digest".utf8)))
        #expect(!LiteralValue.isMemberChain(Array("MTEwNDY1NDYyNTI1NDE0NjE0OA.GkgdPs.RnDZoQH8nstU5lbq".utf8)))
        #expect(!LiteralValue.isMemberChain(Array("xk9qLm2.pw7Rt".utf8)))
    }

    @Test func quotedNamesAreNames() {
        for name in ["AWS_SECRET_ACCESS_KEY", "AWSSecretKey", "aws_secret_access_key", "VerificationToken", "awsSecretKey", "DB_PASSWORD"] {
            #expect(LiteralValue.isQuotedName(Array(name.utf8)), "\(name)")
        }
        for value in ["QTKknzFgJygwaXvHAxUl", "xKqPwLmNzRtYvBcD", "Zq8vLm3TxR7kWp2N", "hunter_two_horses", "correcthorsebattery", "ABCDEFGHIJ"] {
            #expect(!LiteralValue.isQuotedName(Array(value.utf8)), "\(value)")
        }
    }

    @Test func headerFieldAndVersionedNamesAreNames() {
        for name in ["x-amz-security-token", "X-Api-Key", "server-side-encryption-header", "google_oauth2_credentials", "AWS_S3_SECRET_KEY"] {
            #expect(LiteralValue.isQuotedName(Array(name.utf8)), "\(name)")
        }
        // A stand-in phrase is judged as one; digits inside a word are random text's.
        for value in ["my-secret-key", "super-secret-token", "g00gle_oauth_credentials", "a8f3_k2x9_secret", "Xk29vLqT-Wm3pR8-header"] {
            #expect(!LiteralValue.isQuotedName(Array(value.utf8)), "\(value)")
        }
    }

    @Test func resourcePathsFormatFieldsAndFlagsAreNoCredentials() {
        func reason(_ value: String) -> String? { Placeholder.genericReason(for: Array(value.utf8), variable: "sasl_password") }
        #expect(reason("projects/123/secrets/my-secret/versions/1") != nil)
        #expect(reason("secret/data/billing/stripe") != nil)
        #expect(reason("`--oidc-service-account-email`,") != nil)
        #expect(reason("aB3dEf/Gh9iJkL/mN0pQr/StUv") == nil)
        #expect(reason("Qu77yYauihgoCaHAJ38iZq") == nil)
        #expect(Placeholder.reason(for: Array("{__relative_name__}".utf8)) != nil)
        #expect(Placeholder.reason(for: Array("{config.api_key}".utf8)) != nil)
        #expect(Placeholder.reason(for: Array("{Qu77yYauihgoCaHAJ38iZq}".utf8)) == nil)
    }

    @Test func aValueSpellingItsOwnNameIsAStandIn() {
        #expect(LiteralValue.spellsName(Array("secret_key_base".utf8), of: "config.secret_key_base"))
        #expect(LiteralValue.spellsName(Array("SessionSecret".utf8), of: "SESSION_SECRET"))
        #expect(!LiteralValue.spellsName(Array("Qu77yYauihgoCaHA".utf8), of: "SESSION_SECRET"))
    }

    @Test func aProviderPrefixIsReadFromThePattern() {
        #expect(FindingFilter.capturedLiteralPrefix("(?<![A-Za-z0-9_-])(re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})") == "re_")
        #expect(FindingFilter.capturedLiteralPrefix("[a-z](sl\\.[A-Za-z0-9]{20})") == "sl.")
        #expect(FindingFilter.capturedLiteralPrefix("(sk-?[a-z]{20})") == "sk")
        #expect(FindingFilter.capturedLiteralPrefix("(?:key)=([A-Za-z0-9]{20})") == "")
        #expect(FindingFilter.capturedLiteralPrefix("[(]x(abc)") == "abc")
    }

    @Test func realWorldStandInsAreNotSecrets() {
        #expect(Placeholder.reason(for: Array("[PASSWORD]".utf8)) != nil)
        #expect(Placeholder.reason(for: Array("op://Environments/SMTP/password".utf8)) != nil)
        #expect(Placeholder.genericReason(for: Array("http://localhost:3000".utf8), variable: "BETTER_AUTH_URL") != nil)
        #expect(Placeholder.genericReason(for: Array("/api/v1/login/access-token".utf8), variable: "tokenUrl") != nil)
        #expect(Placeholder.genericReason(for: Array("~/.wechaty/wx_credentials.json".utf8), variable: "weixin_credentials_path") != nil)
        #expect(Placeholder.genericReason(for: Array("Qu77yYauihgoCaHAJ38i".utf8), variable: "secret_path") == nil)
        // An algorithm's name under a credential's word is the setting's choice, not a secret.
        for algorithm in ["scram-sha-256", "HS256", "aes-256-gcm", "argon2id"] {
            #expect(Placeholder.genericReason(for: Array(algorithm.utf8), variable: "password_encryption") != nil, "\(algorithm)")
        }
        #expect(!Placeholder.isAlgorithmName("aes-Xk9qLm2pW7rT"))
        #expect(!Placeholder.isAlgorithmName("256-1024"))
        #expect(Placeholder.genericReason(for: Array("Qu77yYauihgoCaHAJ38i".utf8), variable: "SESSION_SECRET") == nil)
        #expect(Placeholder.genericReason(for: Array("public_W3xTq8LmZp2Rv7Ns4KdYh9Bc6Jf1".utf8), variable: "apiKey") != nil)
        #expect(Placeholder.genericReason(for: Array("secret_W3xTq8LmZp2Rv7Ns4KdYh9Bc6Jf1".utf8), variable: "apiKey") == nil)
        // A key prefix with a counting run holds a place; a cloud region is where, not what.
        for value in ["SG.1234", "whsec_1234", "sk_test_123456", "us-east1-gcp", "us-east-1", "europe-west4"] {
            #expect(Placeholder.genericReason(for: Array(value.utf8), variable: "API_KEY") != nil, "\(value)")
        }
        for value in ["whsec_1357", "Tech_1234x", "us-east-1-Qw8rT5yU2iO9pL3k", "Uq7Rm2Xz9Lp4"] {
            #expect(Placeholder.genericReason(for: Array(value.utf8), variable: "API_KEY") == nil, "\(value)")
        }
        // Jenkins configuration-as-code keeps secrets encrypted under the controller's key.
        #expect(Placeholder.genericReason(for: Array("{AQAAABAAAAAwQ7mZ3pX9sL2vK8tN5wR1yF4hC6jD0gB}".utf8), variable: "secret") != nil)
        // A PEM body that is base64 of prose is not a DER key: plausible, but not format-checked.
        let prose = "-----BEGIN PRIVATE KEY-----\n" + "V2VyIGRhcyBsaWVzdCBpc3QgZG9vZi4gRGllc2VyIFRleHQgaXN0IGtlaW4gU2NobMO8c3NlbC4=" + "\n-----END PRIVATE KEY-----"
        #expect(OfflineCheck.privateKey(Array(prose.utf8)).validation == .unchecked)
        // Translations are prose, not configuration; a profile suffix is not a language.
        #expect(ConfigValueDecoder.format(of: "Messages_ja.properties") == nil)
        #expect(ConfigValueDecoder.format(of: "config_zh_CN.properties") == nil)
        #expect(ConfigValueDecoder.format(of: "application-mysql.properties") == .properties)
        #expect(ConfigValueDecoder.format(of: "application_db.properties") == .properties)
        #expect(!ConfigValueDecoder.isLiteral("(\"$LATEST_FAIL_TO_PASS\")"))
    }

    @Test func aRootInsideADependencyFolderIsVendored() {
        #expect(LocationContext.of(origin: .file(root: "/usr/lib/python3/dist-packages", path: "pkg/settings.py")) == .vendored)
        #expect(LocationContext.of(origin: .file(root: "/srv/app/node_modules/pkg", path: "lib/index.js")) == .vendored)
        #expect(LocationContext.of(origin: .file(root: "/srv/app", path: "lib/index.js")) == .production)
        #expect(CompiledChecks.place(of: Origin.file(root: "/usr/lib/python3/site-packages", path: "pkg/api.py")) == .vendored)
    }

    @Test func locationsAreClassifiedFromData() {
        let cases: [(String, LocationContext)] = [
            ("app/models/user.rb", .production), ("config/secrets.yml", .production),
            ("actionpack/test/dispatch/cookies_test.rb", .test), ("src/auth.test.ts", .test), ("pkg/x_test.go", .test),
            ("railties/test/dummy/config/secrets.yml", .fixture), ("spec/fixtures/keys.json", .fixture),
            ("guides/source/security.md", .documentation), ("activerecord/CHANGELOG.md", .documentation),
            ("railties/lib/rails/generators/rails/app/USAGE", .documentation), ("flask/testsuite/basic.py", .test), ("examples-by-tas/auth/index.js", .example),
            ("docker/compose.yml", .production), ("testing-library/x.js", .production),
            ("examples/chat/.env", .example), (".env.example", .example), ("config/database.yml.sample", .example),
            ("vendor/bundle/gems/x/lib/y.rb", .vendored), ("web/node_modules/pkg/test/a.js", .vendored),
            ("src/__generated__/schema.ts", .generated), ("api/v1/service.pb.go", .generated), ("public/app.min.js", .production),
            ("cache/redhat/doc_store.json", .generated), ("storage/docstore.json", .generated), ("storage/default__vector_store.json", .generated),
            ("config/store.json", .production),
            // A Chromium profile a browser agent committed: values the browser wrote itself.
            ("browser_sessions/o_1/profiles/bp_2/Default/Preferences", .generated),
            ("data/profiles/default/Default/Secure Preferences", .generated), ("chrome-profile/Local State", .generated),
            ("app/preferences.py", .production), ("src/preferences/store.ts", .production),
            ("lib/install.sh", .production), ("usage.py", .production),
            ("data/ec2/2016-11-15/examples-1.json", .example), (".venv/lib/python3.11/x/y.py", .vendored),
            ("jest.setup.js", .test), ("database/factories/UserFactory.php", .fixture), (".m2/repository/a/b.jar", .vendored),
            ("repomix-output.txt", .generated), ("docs/repomix-output.xml", .generated), ("repomix.config.json", .production),
            // Seed data, test apps and test-run env files; tool state the project does not author.
            ("src/main/resources/db/h2/data.sql", .fixture), ("prisma/seed.ts", .fixture), ("app/seed_data.sql", .fixture),
            ("db/seed-users.sql", .fixture), ("lib/seedling.rb", .production), ("database/seeders/UserSeeder.php", .production),
            ("db/dump.sql", .production), ("integration-test-app/config/secrets.yml", .test), (".env.dusk.local", .test),
            (".env.testing", .test), (".env.local", .production), (".vagrant/machines/default/virtualbox/private_key", .vendored),
            ("jenkins/jenkins_home/plugins/git/WEB-INF/lib/x.jar", .vendored), ("jenkins_home/war/WEB-INF/lib/a.jar", .vendored),
            ("app/build/WEB-INF/lib/spring-core.jar", .vendored), ("jenkins/jenkins_home/secrets/master.key", .production),
            ("jenkins_home/users/admin/config.xml", .production),
            // Static seed data under `data/static`, and code written to show a flaw.
            ("data/static/users.yml", .fixture), ("data/static/codefixes/loginChallenge_1.ts", .fixture),
            ("data/users.yml", .production), ("static/config.json", .production),
            ("vulnerabilities/api/src/Login.php", .example), ("src/vulnerable/sqli.py", .example),
            // A site's docs concatenated for a language model (llms.txt).
            // Go's module cache under another name, and .NET test projects.
            (".tmp-gomodcache/golang.org/x/oauth2@v0.36.0/jwt/jwt_test.go", .vendored),
            (".tmp-gomodcache/cache/download/golang.org/x/oauth2/@v/v0.36.0.zip", .vendored),
            ("web/@vercel/og/index.js", .production), ("src/Databases/IntegrationTests/Setup.cs", .test),
            ("src/LangChain.Core.UnitTests/ChainTests.cs", .test), ("src/Acme.Api.Tests/Fixture.cs", .test),
            ("blog/public/llms-full.txt", .documentation), ("llms.txt", .documentation), ("src/llms.ts", .production),
        ]
        for (path, expected) in cases {
            #expect(LocationContext.of(path: path) == expected, "\(path)")
        }
    }

    @Test func originsAreClassifiedToo() throws {
        let commit = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        #expect(LocationContext.of(origin: .commitMessage(root: ".", commit: commit)) == .documentation)
        #expect(LocationContext.of(origin: .history(root: "repo", path: "spec/models/user_spec.rb")) == .test)
        #expect(LocationContext.of(origin: .file(root: "testdata/corpus", path: "app/config.py")) == .production)
        #expect(LocationContext.of(origin: .file(root: ".", path: "dist/app.zip"), members: ["docs/setup.md"]) == .documentation)
    }

    @Test func catalogueRejectsUnknownKeysAndContexts() {
        #expect(throws: (any Error).self) { try LocationCatalog(toml: "[[context]]\nkind = \"test\"\nfolders = [\"t\"]\n", path: "x.toml") }
        #expect(throws: (any Error).self) { try LocationCatalog(toml: "[[context]]\nkind = \"production\"\n", path: "x.toml") }
        #expect(throws: (any Error).self) { try LocationCatalog(toml: "[[context]]\nkind = \"nowhere\"\ndirectories = [\"x\"]\n", path: "x.toml") }
        #expect(throws: (any Error).self) { try LocationCatalog(toml: "[production]\nenv_names = [\"prod\"]\n", path: "x.toml") }
        // A production entry claims paths later entries would take.
        let catalog = try? LocationCatalog(toml: "[[context]]\nkind = \"production\"\ndirectories = [\"prompts\"]\n[[context]]\nkind = \"documentation\"\nsuffixes = [\".md\"]\n", path: "x.toml")
        #expect(catalog?.context(of: "prompts/a.md") == .production)
        #expect(catalog?.context(of: "notes/a.md") == .documentation)
        #expect(!LocationCatalog.bundled.entries.isEmpty)
    }

    // MARK: What a value says about itself (`rules/context/values.toml`)

    private func standIn(_ value: String) -> String? { ValueSignals.bundled.standInReason(for: Array(value.utf8)) }

    @Test func aPhraseCallingItselfADevelopmentValueIsAStandIn() {
        // Must match: values seen in committed env files and CI workflows.
        for value in ["dev-secret-key-change-in-production", "dev-secret-key-not-secure", "just-for-linting",
                      "just-for-generating-client", "test-secret-key-for-testing", "ci-test-secret-key-not-for-production",
                      "dev-local-jwt-secret-key-minimum-32-characters-long", "vnrunner-secret-key", "nhost-jwt-secret",
                      "super-secret-key", "genius-industries-super-secret-key-2025", "beta-secret-key-from-aws-secrets-manager",
                      "dev_password_123", "superSecretKey", "MyJWTSecret"] {
            #expect(standIn(value) != nil, "\(value)")
        }
        // Must not match: generated values, human passwords, single words, keyboard mash.
        for value in ["S8T75_i6lcsZerDMe59A9tmyx0-AtFAzGY5bez_dsBw", "Ti100600@12131231", "AdminPassword1", "rn5QlpsE6N",
                      "kjadhflkafaskjdfhakjfsd", "eternity", "Z_tywg_2025", "poemproject@2014", "Qu77yYauihgoCaHAJ38i",
                      "password@123", "UXjzVJ3dRZEDKD8RkdUBTBsSPVETMj3R", "correct-horse-battery-staple"] {
            #expect(standIn(value) == nil, "\(value)")
        }
    }

    @Test func aPasswordEqualToItsUserNameIsAPublishedDefault() {
        let signals = ValueSignals.bundled
        func reason(_ secret: String, _ connection: String, _ text: String = "") -> String? {
            Array(text.utf8).withUnsafeBufferPointer { signals.equalNameReason(for: Array(secret.utf8), connection: connection, in: $0) }
        }
        #expect(ValueSignals.user(ofConnection: "postgresql://docsgpt:docsgpt@postgres:5432/docsgpt") == "docsgpt")
        #expect(ValueSignals.user(ofConnection: "redis://:pw@cache:6379") == nil)
        #expect(reason("docsgpt", "postgresql://docsgpt:docsgpt@postgres:5432/docsgpt") != nil)
        #expect(reason("ZG9jc2dwdA==", "ZG9jc2dwdA==", "postgres-user: ZG9jc2dwdA==\npostgres-password: ZG9jc2dwdA==\n") != nil)
        // A name with a counter is a sample's throwaway only outside production configuration; a
        // generated password is nobody's name.
        #expect(reason("docker@123", "docker@123", "MYSQL_USER=docker\nMYSQL_PASSWORD=docker@123\n") == nil)
        #expect(reason("Vq3xR8mZp2LwT6k", "postgresql://app:Vq3xR8mZp2LwT6k@db.internal/app") == nil)
    }

    @Test func djangoMarksItsDevelopmentKey() {
        let signals = ValueSignals.bundled
        #expect(signals.developmentKeyReason(for: Array("django-insecure-wz=lazac12szp%asf(4861lt)o3m0e".utf8), provider: "Django")?.contains("Django marks it insecure") == true)
        #expect(signals.developmentKeyReason(for: Array("n7$x!k2q@w9#e4r5t6y7u8i9o0p1a2s3d4f5g6h".utf8), provider: "Django") == nil)
    }

    @Test func localDatabaseHostsAreTheDevelopersOwn() {
        let signals = ValueSignals.bundled
        let hosts: [(String, String?)] = [
            ("postgresql://postgres:dev_pw_4x@127.0.0.1:5432/genius_dev?sslmode=disable", "127.0.0.1"),
            ("amqp://rabbitmquser:rabbitmqpassword@rabbitmq:5672//", "rabbitmq"),
            ("postgres://postgres:mysecretpassword@db/postgres", "db"),
            ("mysql://app:Zq8vLm3TxR7k@db.prod.example.com:3306/shop", "db.prod.example.com"),
            ("mongodb://u:p4ssW0rd1x@[::1]:27017/x", "[::1]"),
            ("Server=db;Database=UmbracoDb;User Id=sa;Password=", "db"),
            ("Server=tcp:acme.database.windows.net,1433;Database=shop;User ID=shop;Password=", "acme.database.windows.net"),
            ("Data Source=(localdb)\\MSSQLLocalDB;Password=", "localhost"),
        ]
        for (text, host) in hosts {
            #expect(ValueSignals.host(ofConnection: text) == host, "\(text)")
        }
        for local in ["localhost", "127.0.0.1", "127.0.1.1", "db", "rabbitmq", "[::1]", "host.docker.internal", "api.localhost"] {
            #expect(signals.localHostReason(for: local) != nil, "\(local)")
        }
        for remote in ["db.prod.example.com", "ep-red-glade-a4d45hi4-pooler.us-east-1.aws.neon.tech", "10.0.0.5", "8080", ""] {
            #expect(signals.localHostReason(for: remote) == nil, "\(remote)")
        }
    }

    @Test func aPasswordRepeatingItsUserNameIsASample() {
        let signals = ValueSignals.bundled
        func reason(_ secret: String, _ file: String) -> String? {
            Array(file.utf8).withUnsafeBufferPointer { signals.repeatedNameReason(for: Array(secret.utf8), in: $0) }
        }
        #expect(reason("drupal8", "      - DRUPAL_DB_HOST=db\n      - DRUPAL_DB_USER=drupal8\n      - DRUPAL_DB_PASSWORD=drupal8\n") != nil)
        #expect(reason("docker@123", "      - MYSQL_USER=docker\n      - MYSQL_PASSWORD=docker@123\n") != nil)
        #expect(reason("Zq8vLm3TxR7k", "      - MYSQL_USER=docker\n      - MYSQL_PASSWORD=Zq8vLm3TxR7k\n") == nil)
        #expect(reason("qwerty1235456", "      - MYSQL_USER=petclinic\n      - MYSQL_PASSWORD=qwerty1235456\n") == nil)
        // The config decoder carries the names a file sets, and nothing secret, beside its values.
        #expect(ConfigValueDecoder.namesAccount("MYSQL_USER") && ConfigValueDecoder.namesAccount("DRUPAL_DB_NAME"))
        #expect(ConfigValueDecoder.namesAccount("spring.datasource.username") && ConfigValueDecoder.namesAccount("MYSQL_DATABASE"))
        #expect(!ConfigValueDecoder.namesAccount("SECRET_NAME") && !ConfigValueDecoder.namesAccount("DB_PASSWORD"))
        #expect(!ConfigValueDecoder.namesAccount("sonar.login") && !ConfigValueDecoder.namesAccount("TOKEN_USER"))
        // Another password equal to it says nothing.
        #expect(reason("s3cretpw", "ROOT_PASSWORD=s3cretpw\nAPP_PASSWORD=s3cretpw\n") == nil)
    }

    @Test func aTypedRepeatingPatternIsAPlaceholder() {
        func reason(_ value: String) -> String? { Placeholder.genericReason(for: Array(value.utf8), variable: "INTERNAL_API_KEY") }
        #expect(reason("sk-live-7f3a9c2e8b1d4f6a9c2e8b1d4f6a9c2e") != nil)
        #expect(reason("abcXYZ1abcXYZ1abcXYZ1abc") != nil)
        #expect(reason("8200b6b49c9a0524cfddd372db019617f6fdcba1929c08394dec451fe3e620be") == nil)
        #expect(reason("sodDHb96KwGcOqETk0/GRuF3e6/URSQdwtt2aThzEj/iY2IC5FoCZ7uyM6mGIGcmWoo0jTSscfDmp2O6EFwmSg==") == nil)
    }

    @Test func aDefacedKeyIsNoKey() {
        func reason(_ value: String) -> String? { Placeholder.genericReason(for: Array(value.utf8), variable: "OPENAI_API_KEY") }
        // Must match: the head overwritten by one repeated character, the rest left.
        #expect(reason("1111FJfq8LmZp2Rv7Ns4KdYh9B") != nil)
        #expect(reason("111111T4kQ9wEr7Ty2Ui8Op3As6Df1Gh5Jk") != nil)
        #expect(reason("aaaaX7kQ9wEr7Ty2Ui8Op3As") != nil)
        // Must not: three equal characters, a short value, an ordinary random key.
        #expect(reason("111FJfq8LmZp2Rv7Ns4KdYh9B") == nil)
        #expect(reason("1111x7kQ9w") == nil)
        #expect(reason("Qu77yYauihgoCaHAJ38iW3xTq8Lm") == nil)
    }

    @Test func aBuildSubstitutionTokenIsNoValue() {
        func reason(_ value: String) -> String? { Placeholder.genericReason(for: Array(value.utf8), variable: "token") }
        #expect(reason("@@phpIdsVersion@@") != nil)
        #expect(reason("@project.version@") != nil)
        #expect(reason("@Qu77yYauihgoCaHAJ38i") == nil)
        #expect(reason("p@ss@Qu77yYauihgo") == nil)
        #expect(reason("@@") == nil)
    }

    @Test func aKeyShapedSentenceSayingItIsBogusIsAPlaceholder() {
        #expect(Placeholder.reason(for: Array("sk-ThisIsABogusOpenAIApiKeyThatYouGotFromTheSite".utf8)) != nil)
        #expect(Placeholder.reason(for: Array("votre-mot-de-passe".utf8)) != nil)
        #expect(Placeholder.reason(for: Array("votre-app-password-gmail".utf8)) != nil)
        #expect(Placeholder.reason(for: Array("Zq8vLm3TxR7kWp2N".utf8)) == nil)
        #expect(Placeholder.reason(for: Array("sk-Qu77yYauihgoCaHAJ38iW3xTq8LmZp2Rv7Ns4KdYh9Bc6Jf1".utf8)) == nil)
    }

    @Test func docstringsAndHTMLCodeBlocksAreDocumentation() {
        func inDocs(_ text: String, _ secret: String, _ path: String) -> Bool {
            let offset = text.utf8.count - text.components(separatedBy: secret).last!.utf8.count - secret.utf8.count
            return Array(text.utf8).withUnsafeBufferPointer { LiteralValue.isInEmbeddedDocumentation(offset, in: $0, path: path) }
        }
        let docstring = "def from_envjson(self, prefix):\n    \"\"\"Loads JSON.\n\n        SECRET_KEY:'ba92ffd4d95828'\n    \"\"\"\n    x = 'k'\n"
        #expect(inDocs(docstring, "ba92ffd4d95828", "flask/config.py"))
        #expect(!inDocs(docstring, "'k'", "flask/config.py"))
        #expect(inDocs("\"\"\"Module doc: SECRET_KEY='abc123def456'\"\"\"\nimport os\n", "abc123def456", "m.py"))
        // A triple-quoted value assigned in code is a value, not documentation.
        #expect(!inDocs("TEMPLATE = \"\"\"\nSECRET_KEY=abc123def456\n\"\"\"\n", "abc123def456", "m.py"))
        #expect(!inDocs("x = 1\n# comment \"\"\"\ny = \"\"\"\nSECRET_KEY=abc123def456\n\"\"\"\n", "abc123def456", "m.py"))
        let html = "<p>Sessions:</p>\n<pre><code>app.use(express.session({ secret: \"keyboard cat\" }));\n</code></pre>\n<script>var s = \"hunter2x\";</script>"
        #expect(inDocs(html, "keyboard cat", "guide.html"))
        #expect(!inDocs(html, "hunter2x", "guide.html"))
        #expect(!inDocs(html, "keyboard cat", "guide.js"))
    }

    @Test func weakTypedValuesAreSamples() {
        func weak(_ value: String) -> String? { ValueSignals.bundled.weakReason(for: Array(value.utf8)) }
        // What people type when a sample needs a value.
        for value in ["123", "98765", "q1w2e3r4t5", "asdfghjk", "kjadhflkafaskjdfhakjfsd", "password@123", "SecureDbPass456!",
                      "SecureAdminPass123!", "testA@123", "dev_password_123", "mongopassword", "minioadmin", "thissrckeyforyou",
                      "eternity", "123456_set_at_workflow_level", "1qaz@WSX", "邮箱客户端授权码，不是邮箱登录密码",
                      "p@ssw0rd", "p@ssword", "Sup3rS3cr3tP@ssw0rd", "s3cr3tp@ss!"] {
            #expect(weak(value) != nil, "\(value)")
        }
        // Real passwords people set (labelled true on the panel) and generated secrets stay.
        for value in ["Tech@123", "cloud@123", "projRDS123", "qwerty1235456", "AInow123@", "Arunsri@123", "db-57xsl",
                      "123456789012", "ierjXObp0qpZq82J", "ltlpotbatd2bvq5oxtwptv06wmhfdhsb", "4415698385e083de",
                      "dp2tuBLCh5PBUszexU45zIxt", "SII-BEQmcN8arjGWpOdpHhz0kz8PIqONaWRhekIqFDc", "npg_VmZHdJD43ucy",
                      "Yoj2lZpQ8vRt4Wn7XkLm", "AdminPassword1", "Contraseña#8xKq2", "P@ssw0rd7x", "Tr0ub4dor&3", "m0nk3yB1zn3ss"] {
            #expect(weak(value) == nil, "\(value)")
        }
    }

    @Test func aValueThatIsOneSampleWordAndTwoGetsOneReason() {
        // The sample words are a set; a value both one word and two (`mongodb`, `changeme`) once
        // got either note depending on the process's hash seed.
        for value in ["mongodb", "changeme"] {
            #expect(ValueSignals.bundled.weakReason(for: Array(value.utf8)) == "the value is made of sample-credential words, not a generated secret", "\(value)")
        }
    }

    @Test func composeUserinfoNamesItsHost() {
        #expect(ValueSignals.host(ofUserinfo: Array("minioadmin:minioadmin@minio:9000/bucket".utf8)) == "minio")
        #expect(ValueSignals.host(ofUserinfo: Array("user:pw@storage.example.com/x".utf8)) == "storage.example.com")
        #expect(ValueSignals.host(ofUserinfo: Array("https://user:pw@minio:9000".utf8)) == nil)
        #expect(ValueSignals.host(ofUserinfo: Array("Qm3xT8vLp2@Kd".utf8)) == nil)
        #expect(ValueSignals.bundled.localHostReason(for: "minio") != nil)
    }

    @Test func aPhraseCallingItselfRandomIsAStandIn() {
        #expect(ValueSignals.bundled.standInReason(for: Array("SomeSuperIncrediblyRandomString!".utf8)) != nil)
        #expect(ValueSignals.bundled.standInReason(for: Array("SomeRandomString".utf8)) != nil)
        #expect(ValueSignals.bundled.standInReason(for: Array("Qm3xT8vLp2KdW9rZc4Hn!".utf8)) == nil)
    }

    @Test func aServiceRoleJWTWithoutIssuerNamesNoProject() {
        func segment(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        func jwt(_ payload: String) -> [UInt8] {
            Array((segment("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + segment(payload) + ".zYLTMPGhBrik_CN9iowa8ltmvq-y4wsTYQn1LSS6z5s").utf8)
        }
        let local = OfflineCheck.verdict(.supabaseServiceRole, secret: jwt("{\"role\":\"service_role\",\"iat\":1638288268}"))
        #expect(local.isPlausible && local.validation == .unchecked)
        let hosted = OfflineCheck.verdict(.supabaseServiceRole, secret: jwt("{\"iss\":\"supabase\",\"ref\":\"abcdefghijklmnopqrst\",\"role\":\"service_role\"}"))
        #expect(hosted.validation == .structureValid)
    }

    @Test func valueSignalsRejectUnknownKeys() {
        #expect(throws: (any Error).self) { try ValueSignals(toml: "[stand_in]\nwords = [\"dev\"]\n", path: "x.toml") }
        #expect(throws: (any Error).self) { try ValueSignals(toml: "[hosts]\nnames = [\"db\"]\n", path: "x.toml") }
        #expect(!ValueSignals.bundled.environmentWords.isEmpty)
        #expect(LocationContext.of(path: "{{cookiecutter.project_slug}}/.env") == .example)
    }
}
