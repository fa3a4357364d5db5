import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardRules
@testable import LeakwardSupport

/// Shapes of the sixteenth held-out panel (AI chatbot applications: a RuoYi-based Java AI platform,
/// multi-platform bots, VTuber assistants, self-hosted chat web apps): each judged for what it is,
/// with must-match and must-not cases. Values are made up at test time, never the panel's, but
/// for the published template values the data names by SHA-256 (public by design).
@Suite struct SixteenthPanelTests: PanelShapeSuite {
    private let signals = ValueSignals.bundled

    @Test func aValueAFrameworksTemplatePublishesIsPublicByDesign() {
        // SnailJob's default client token, which the RuoYi-Vue-Plus template ships in every
        // derived app's `application-dev.yml` (and SnailJob's own group table has as default).
        let published = "SJ_" + "cKqBTPzCsWA3VyuCfFoccmuIEGXjr5KT"
        #expect(signals.publishedSecretReason(for: Array(published.utf8)) != nil)
        // Must be public by design, at info: the template's value in a Spring profile.
        let config = "snail-job:\n  group: \"ruoyi_group\"\n  token: \"\(published)\"\n"
        let found = scan(config, at: "ruoyi-admin/src/main/resources/application-dev.yml")
        #expect(found.count == 1 && found[0].severity == .info, "\(found)")
        #expect(found.first?.notes.contains { $0.contains("published_secrets") } == true)
        // Must stay: another token under the same name (someone's own).
        let own = "SJ_" + made(32)
        #expect(signals.publishedSecretReason(for: Array(own.utf8)) == nil)
        #expect(scan("snail-job:\n  token: \"\(own)\"\n", at: "ruoyi-admin/src/main/resources/application-dev.yml").contains { $0.severity > .info })
        // The data holds digests only: 64 lower-case hex digits each.
        #expect(!signals.publishedSecrets.isEmpty && signals.publishedSecrets.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func aKeyMaskedWithCapitalXsIsNoKey() {
        // Must be a sample: a key whose tail was redacted before pasting a command.
        let masked = "sk-" + made(20) + "XXX"
        #expect(scan("export OPENAI_API_KEY=\(masked)\n", at: "api/Makefile").allSatisfy { $0.severity == .info })
        #expect(Placeholder.genericReason(for: Array(masked.utf8), variable: "OPENAI_API_KEY") != nil)
        // Must stay: the same key unmasked, and a value that is X's alone is a placeholder anyway.
        // Unmasked at a length keys are issued with under `sk-` (LiteLLM's 22): an `sk-` value
        // under an OpenAI name too short for any issued key is a key cut short (`[cut_short_keys]`).
        let key = "sk-" + made(22)
        #expect(Placeholder.genericReason(for: Array(key.utf8), variable: "OPENAI_API_KEY") == nil)
        #expect(scan("export OPENAI_API_KEY=\(key)\n", at: "api/Makefile").contains { $0.severity > .info })
    }

    @Test func aPathUnderAFilesNameIsNoSecret() {
        // Must not be a finding: the file a token is read from (`token_file = "/AstrBot/data/.cli_token"`).
        let code = "def read_token():\n    token_file = \"/srv/bot/data/.cli_token\"\n    with open(token_file) as f:\n        return f.read()\n"
        #expect(scan(code, at: "astrbot-cli").allSatisfy { $0.severity == .info })
        #expect(Placeholder.genericReason(for: Array("/srv/bot/data/.cli_token".utf8), variable: "token_file") != nil)
        #expect(Placeholder.genericReason(for: Array("/srv/keys".utf8), variable: "SECRET_DIR") != nil)
        // Must stay: a random value under the same name that does not start like a path.
        #expect(Placeholder.genericReason(for: Array(made(32).utf8), variable: "token_file") == nil)
    }

    @Test func aMinioPasswordRepeatingItsAccessKeyIsASample() {
        // Must be a sample: MinIO's access key is its root user's name, and the secret key repeats it
        // with a counter (the names MinIO used before MINIO_ROOT_USER/_PASSWORD).
        let compose = "services:\n  minio:\n    image: minio/minio\n    environment:\n      - MINIO_ACCESS_KEY=acmebot\n      - MINIO_SECRET_KEY=acmebot123\n"
        let found = scan(compose, at: "script/docker/minio/docker-compose.yml")
        #expect(!found.isEmpty && found.allSatisfy { $0.severity == .info }, "\(found)")
        // Must stay: an access key that is itself the secret (its own line names nobody), and a
        // secret key that repeats nothing.
        let unsplash = made(43)
        #expect(scan("UNSPLASH_ACCESS_KEY=\(unsplash)\n", at: "gradle.properties").contains { $0.severity > .info })
        let line = Array("UNSPLASH_ACCESS_KEY=\(unsplash)\n".utf8)
        #expect(line.withUnsafeBufferPointer { signals.repeatedNameReason(for: Array(unsplash.utf8), in: $0) } == nil)
        let own = compose.replacingOccurrences(of: "acmebot123", with: made(24))
        #expect(scan(own, at: "script/docker/minio/docker-compose.yml").contains { $0.severity > .info })
    }

    @Test func aZhipuKeyUnderASecretKeysNameIsItsFormat() {
        let key = made(32, "0123456789abcdef") + "." + made(16, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        // Must be the provider's key, failing CI in a demo class named like a test: the id-dot-secret
        // shape is Zhipu's own, far from any of the rule's other keywords.
        let java = "package org.acme.chat.demo;\n\npublic class AllToolsTest {\n    private static final String API_SECRET_KEY = \"\(key)\";\n}\n"
        let found = scan(java, at: "chat/src/main/java/org/acme/chat/demo/AllToolsTest.java")
        #expect(found.contains { $0.rule == "zhipu.api-key" && $0.severity > .info }, "\(found)")
    }

    @Test func anArduinoSketchIsProgramCode() {
        let passphrase = made(5) + "!" + made(4, "0123456789") + made(3)
        // Must fail CI: a device's firmware hard-codes a real network's passphrase beside its SSID.
        let sketch = "// Hardcode WiFi credentials\nconst String WIFI_NAME=\"Lynn Street\";\nconst String WIFI_PASSWORD=\"\(passphrase)\";\n"
        for path in ["clients/esp32/src/client/client.ino", "sketch/sketch.pde"] {
            #expect(scan(sketch, at: path).contains { $0.rule == "generic.password-literal" && $0.severity > .info }, "\(path)")
        }
        #expect(SourceLanguage(path: "client.ino")?.name == "C-family")
        // Must stay quiet: the same line in a README.
        #expect(scan(sketch, at: "README.md").allSatisfy { $0.severity == .info })
    }
}
