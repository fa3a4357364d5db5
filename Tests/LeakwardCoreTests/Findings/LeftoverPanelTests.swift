import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardRules

/// Shapes left over on the 168-repository panel (AI chatbot apps; mobile apps, backend services
/// and infrastructure): each judged for what it is, with must-match and must-not cases. Values are
/// made up at test time, never the panel's.
@Suite struct LeftoverPanelTests: PanelShapeSuite {
    private let signals = ValueSignals.bundled

    private var googleKey: String { "AI" + "za" + made(35) }

    @Test func aMapsKeyInAnAndroidBuildsPropertiesIsPublicByDesign() {
        let line = "GOOGLE_MAPS_API_KEY=\(googleKey)\n"
        // Must be public by design: the Gradle properties the manifest is filled from.
        for path in ["ApiDemos/java/gradle.properties", "app/local.properties", "secrets.properties", "local.defaults.properties"] {
            let found = scan(line, at: path)
            #expect(found.count == 1 && found[0].rule == "google.android-maps-build-key" && found[0].severity == .info, "\(path)")
        }
        // Must stay the bare key's: the same line in a server's env file, a model key in Gradle.
        #expect(scan(line, at: "server/.env").map(\.rule) == ["google.api-key"])
        #expect(scan("GEMINI_API_KEY=\(googleKey)\n", at: "gradle.properties").map(\.rule) == ["google.api-key"])
        // An Android string resource named for a plain API key ships in the APK too; a model's does not.
        let resource = "<resources>\n    <string name=\"api_key\">\(googleKey)</string>\n</resources>\n"
        #expect(scan(resource, at: "app/src/main/res/values/ids.xml").map(\.severity) == [.info])
        let gemini = "<resources>\n    <string name=\"gemini_api_key\">\(googleKey)</string>\n</resources>\n"
        #expect(scan(gemini, at: "app/src/main/res/values/keys.xml").map(\.severity) == [.high])
    }

    @Test func aSampleTheDocsIntroduceAsOneIsInfo() {
        let readme = " - Note your **API Key** (e.g. `\(googleKey)`).\n"
        #expect(scan(readme, at: "functions/README.md").map(\.severity) == [.info])
        // Must stay: the same key in prose with no such words, and after "e.g." in code.
        #expect(scan(" - Our key is `\(googleKey)`.\n", at: "README.md").map(\.severity) == [.high])
        #expect(scan("key = \"\(googleKey)\"  # e.g. production\n", at: "app/settings.py").map(\.severity) == [.high])
    }

    /// A JWT with these claims (HS256 header, a made-up signature).
    private func jwt(exp: Int) -> String {
        func part(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        return part("{\"alg\":\"HS512\"}") + "." + part("{\"sub\":\"admin\",\"created\":1,\"exp\":\(exp)}") + "." + made(43)
    }

    @Test func aJWTExpiredLongBeforeItsCommitIsStale() throws {
        let committed = try #require(ISO8601DateFormatter().date(from: "2019-03-12T02:18:36Z"))
        func finding(_ token: String, committedAt date: Date?) -> Finding {
            var location = Finding.Location(origin: .history(root: ".", path: "document/postman/admin.postman_collection.json"),
                                            line: 1, column: 1, offset: 0)
            if let date {
                location.commit = CommitInfo(id: .fake("1"), author: "a", date: ISO8601DateFormatter().string(from: date),
                                             isInHEAD: false, refs: [], commitCount: 1)
            }
            return Finding(ruleID: "generic.bearer-literal", ruleName: "Bearer", category: .generic, provider: "Generic",
                           severity: .medium, kind: .secret, validation: .unchecked, secret: SecretValue(token), location: location)
        }
        let policy = ExpiredTokens(graceDays: 30)
        let day = 86_400.0
        // Must be stale: expired five months before the commit; in a working tree, years before the scan.
        let old = jwt(exp: Int(committed.timeIntervalSince1970 - 150 * day))
        #expect(policy.judged(finding(old, committedAt: committed), now: Date()).severity == .info)
        #expect(policy.judged(finding(old, committedAt: nil), now: Date()).severity == .info)
        // Must stay: valid a week after its commit, or expired only days before it.
        let valid = jwt(exp: Int(committed.timeIntervalSince1970 + 7 * day))
        #expect(policy.judged(finding(valid, committedAt: committed), now: Date()).severity == .medium)
        let recent = jwt(exp: Int(committed.timeIntervalSince1970 - 11 * day))
        #expect(policy.judged(finding(recent, committedAt: committed), now: Date()).severity == .medium)
        // Not a JWT with an expiry: no judgement.
        #expect(ExpiredTokens.expiry(ofJWT: Array(made(40).utf8)) == nil)
        #expect(ExpiredTokens.expiry(ofJWT: Array(jwt(exp: 1_552_961_178).utf8)) == Date(timeIntervalSince1970: 1_552_961_178))
    }

    @Test func aPathRestrictedRuleNeedsAnExamplePathThatMatches() {
        let text = """
        [[rule]]
        id = "acme.build-key"
        category = "cloud"
        provider = "Acme"
        severity = "info"
        path = '''(?:^|/)build\\.properties$'''
        pattern = '''ACME_KEY=([a-z0-9]{16})'''
        keywords = ["ACME_KEY"]
        examples = ['ACME_KEY=⟦k3q9z7x2m5v8b1n4⟧']
        negative_examples = ['ACME=k3q9z7x2m5v8b1n4']
        """
        #expect(throws: (any Error).self) { try RuleFile.rules(fromTOML: text, path: "x.toml") }
        let wrong = try! RuleFile.rules(fromTOML: text + "\nexample_path = \"app/other.txt\"\n", path: "x.toml")
        #expect(RuleCheck.check(wrong[0]).contains { $0.contains("example_path") })
        let right = try! RuleFile.rules(fromTOML: text + "\nexample_path = \"app/build.properties\"\n", path: "x.toml")
        #expect(RuleCheck.check(right[0]).isEmpty)
    }

    @Test func anInstalledAppsPublishedOAuthClientIsNoSecret() {
        let secret = "GOC" + "SPX-" + made(28)
        // Must be public by design: the Gemini CLI's client, its ID split across two strings.
        let cli = "OAUTH_CLIENT_ID = (\n    \"681255809395\"\n    + \"-\(made(32, "abcdefghijklmnopqrstuvwxyz0123456789"))\"\n    + \".apps.googleusercontent.com\"\n)\nOAUTH_CLIENT_SECRET = \"\(secret)\"\n"
        #expect(scan(cli, at: "g4f/Provider/GeminiCLI.py").map(\.severity) == [.info])
        // Must stay: the same secret beside another project's client; a refresh token beside the
        // published client is a user's credential.
        let own = "client_id = \"123456789012-\(made(32, "abcdefghijklmnopqrstuvwxyz0123456789")).apps.googleusercontent.com\"\nclient_secret = \"\(secret)\"\n"
        #expect(scan(own, at: "app/auth.py").map(\.severity) == [.high])
        let refresh = "client_id = \"764086051850-x.apps.googleusercontent.com\"\nrefresh_token = \"1//0" + made(60) + "\"\n"
        #expect(scan(refresh, at: "app/auth.py").map(\.severity) == [.high])
    }

    @Test func aHashWhosePasswordIsWrittenBesideItIsASample() {
        let hash = "$6$" + made(16) + "$" + made(86, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./")
        // Must be a published sample: a kickstart's comment states the password.
        let kickstart = "# Add a user\n# Plaintext password is: admin123\nuser --name=admin --groups=wheel --password=\(hash) --iscrypted\n"
        #expect(scan(kickstart, at: "vmware/packer/ks.txt").map(\.severity) == [.info])
        // Must stay: a shadow line with no such comment.
        #expect(scan("deploy:\(hash):19700:0:99999:7:::\n", at: "etc/shadow").map(\.severity).allSatisfy { $0 > .info })
        #expect(!scan("deploy:\(hash):19700:0:99999:7:::\n", at: "etc/shadow").isEmpty)
    }

    @Test func typedSamplePasswordsAreWeak() {
        func weak(_ value: String) -> Bool { signals.weakReason(for: Array(value.utf8)) != nil }
        // Must be weak: a service's name with a counting run, a local one, a vendor's documented
        // sample, a tutorial default in leetspeak.
        #expect(weak("minio1234"))
        #expect(weak("mysql_123456"))
        #expect(weak("local123"))
        #expect(weak("Pass@word"))
        #expect(weak("t0p-s3cr3t"))
        // Must stay: a person's own word with digits, random text, a word in leetspeak that is no default.
        #expect(!weak("cloud@123"))
        #expect(!weak("Tech@123"))
        #expect(!weak("Kq8Lz3Vr9Tx2Nb7W"))
        #expect(!weak("m4ngo-tr33"))
    }

    @Test func aDigestOfASamplePasswordIsNoSecret() {
        // MD5 of `123456`, split so no scanner reads this file as holding it.
        let md5 = "e10adc3949ba59ab" + "be56e057f20f883e"
        #expect(signals.hashedSampleReason(for: Array(md5.utf8)) != nil)
        #expect(signals.hashedSampleReason(for: Array(md5.uppercased().utf8)) != nil)
        let seed = "var Users = []SysUser{\n\t{Username: \"admin\", Password: \"\(md5)\", NickName: \"Admin\"},\n}\n"
        #expect(scan(seed, at: "server/cmd/datas/users.go").allSatisfy { $0.severity == .info })
        // Must stay: any other 32 hex digits.
        #expect(signals.hashedSampleReason(for: Array(made(32, "0123456789abcdef").utf8)) == nil)
    }

    @Test func identifierListsAndElidedKeysAreNoValues() {
        func generic(_ value: String) -> String? { Placeholder.genericReason(for: Array(value.utf8), variable: "tokens") }
        #expect(generic("CLASS_DEF, METHOD_DEF, CTOR_DEF") != nil)
        #expect(generic("LITERAL_TRY,LITERAL_CATCH") != nil)
        #expect(generic("sk-ant-api03---dfg9zwAA") != nil)
        // Must stay: random capitals, a key with single hyphens, a key block's armour.
        #expect(generic("QK2MPV8RT4WL9XZC,Q7MX2PL9SK4VR8TN") == nil)
        #expect(generic("sk-proj-" + made(40)) == nil)
        #expect(generic("-----BEGIN" + made(40)) == nil || generic("-----BEGIN" + made(40)) != "an elided sample (---)")
    }

    @Test func aJWTSectionsUUIDSigningKeyIsASecret() {
        let uuid = UUID().uuidString.lowercased()
        let config = "system:\n  addr: 8888\njwt:\n  signing-key: \(uuid)\n  expires-time: 7d\n"
        #expect(scan(config, at: "server/config.yaml").map(\.rule) == ["session.jwt-section-signing-key"])
        // Must not: the template's typed default, a UUID under another section's signing key.
        #expect(scan("jwt:\n  signing-key: qmPlus\n  expires-time: 7d\n", at: "server/config.yaml").isEmpty)
        #expect(scan("release:\n  signing-key: \(uuid)\n", at: "server/config.yaml").isEmpty)
    }

    @Test func aGeneratedSigningSecretInAnEnvTemplateIsReported() {
        let hex = made(32, "0123456789abcdef")
        // Must fail CI: `openssl rand -hex 16` pasted into `.env.example`.
        let pasted = scan("AUTH_SECRET=\(hex)\nPOSTGRES_URL=\n", at: ".env.example")
        #expect(pasted.map(\.severity) == [.critical])
        // Must stay at info: a stand-in, a weak value, a non-env template, a test's env.
        #expect(scan("AUTH_SECRET=dev-secret-change-in-production-please\n", at: ".env.example").allSatisfy { $0.severity == .info })
        #expect(scan("AUTH_SECRET=secret\n", at: ".env.example").allSatisfy { $0.severity == .info })
        #expect(scan("AUTH_SECRET=\(hex)\n", at: "docs/setup.md").allSatisfy { $0.severity == .info })
        // After provenance: the template's current version (HEAD, or a working tree) holds the
        // project's own sample, at info; a pull request's version someone's own key.
        let inPullRequest = scan("AUTH_SECRET=\(hex)\n", at: ".env.example").first
        #expect(inPullRequest?.notes.contains(TemplateSigningKeys.note) == true)
        var finding = Finding(ruleID: "session.signing-secret", ruleName: "s", category: .session, provider: "Session signing",
                              severity: .critical, kind: .secret, validation: .unchecked, secret: SecretValue(hex),
                              location: Finding.Location(origin: .history(root: ".", path: ".env.example"), line: 1, column: 1, offset: 0),
                              notes: [TemplateSigningKeys.note])
        finding.location.commit = CommitInfo(id: .fake("2"), author: "a", date: "2025-01-01T00:00:00Z", isInHEAD: false)
        #expect(TemplateSigningKeys.judged([finding]).map(\.severity) == [.critical])
        var inHead = finding
        inHead.location.commit?.isInHEAD = true
        // The value HEAD's template holds: that sighting and an older version's are the sample.
        #expect(TemplateSigningKeys.judged([finding, inHead]).map(\.severity) == [.info, .info])
        var inTree = finding
        inTree.location = Finding.Location(origin: .file(root: ".", path: ".env.example"), line: 1, column: 1, offset: 0)
        #expect(TemplateSigningKeys.judged([inTree]).map(\.severity) == [.info])
    }
}
