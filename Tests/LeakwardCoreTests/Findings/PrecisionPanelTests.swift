import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardRules

/// The false positives left on the 200-repository panel, each judged by what it is: a stack's
/// typed default in production configuration, an instruction or a foreign-language phrase in a
/// secret's place, a key file's or a cookie's name,
/// the claims of a JWT read again, a published installed app's client. Must-match and must-not
/// cases each; values are made up at test time, never the panel's.
@Suite struct PrecisionPanelTests: PanelShapeSuite {
    private let signals = ValueSignals.bundled
    let madeStream: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func aPasswordOfTheStacksOwnNamesIsATypedDefaultInProductionConfigToo() {
        // Must be info: a Helm chart's values (production configuration) with the project's name
        // and a counter beside the database it names.
        let chart = """
            postgresql:
              auth:
                postgresPassword: '\("acmegateai" + "123456")'
                username: 'admin'
                database: 'acmegate'

            """
        #expect(scan(chart, at: "helm/values.yaml").map(\.severity) == [.info], "\(scan(chart, at: "helm/values.yaml"))")
        // Must stay: sample words alone (a real, weak password someone chose) and a random one.
        let chosen = chart.replacingOccurrences(of: "acmegateai" + "123456", with: "Secure_123" + "_redis")
        #expect(scan(chosen, at: "helm/values.yaml").map(\.severity) == [.medium])
        let random = chart.replacingOccurrences(of: "acmegateai" + "123456", with: made(20))
        #expect(scan(random, at: "helm/values.yaml").map(\.severity).allSatisfy { $0 > .info })
        #expect(!scan(random, at: "helm/values.yaml").isEmpty)
    }

    @Test func base64OfAShortWordIsWeak() {
        // Must be info: a Kubernetes Secret's `token: cm9vdA==` (`root`, a dev server's root token).
        let store = "kind: Secret\nmetadata:\n  name: vault-token\ndata:\n  token: \(base64("ro" + "ot"))\n"
        #expect(scan(store, at: "platform/external-secrets/templates/store.yaml").map(\.severity) == [.info])
    }

    @Test func instructionsAndPhrasesAreNoSecrets() {
        // Must be stand-ins or weak: an instruction to the reader, a phrase in German.
        #expect(signals.standInReason(for: Array(("Please" + "GenerateA50CharLul").utf8)) != nil)
        #expect(signals.standInReason(for: Array("please-change-me".utf8)) != nil)
        #expect(signals.weakReason(for: Array(("ihr-passwort-für" + "-redis").utf8)) != nil)
        // Must stay: a word that only starts like one, a keyboard walk or the alphabet with a
        // counter (a real key-store password, a real database password in the panel), random text
        // with a diacritic, a person's word with digits.
        #expect(signals.standInReason(for: Array("PleasantValley".utf8)) == nil)
        #expect(signals.weakReason(for: Array(("qwer" + "1234").utf8)) == nil)
        #expect(signals.weakReason(for: Array(("abc" + "12345").utf8)) == nil)
        #expect(signals.weakReason(for: Array("Kq8Lz3ü9Tx2Nb7W".utf8)) == nil)
        #expect(signals.weakReason(for: Array("Tech@123".utf8)) == nil)
    }

    @Test func namesOfKeyFilesCookiesAndKeysAreNoValues() {
        // Must be names: an ExternalSecret's `secretKey: id_ed25519`, a fingerprint cookie, a value
        // that is its own key's words again.
        #expect(Placeholder.genericReason(for: Array("id_ed25519".utf8), variable: "secretKey") != nil)
        #expect(Placeholder.genericReason(for: Array(made(40).utf8), variable: "FPTOKEN") != nil)
        #expect(LiteralValue.repeatsNameWords(Array("n8n_password".utf8), of: "n8n_basic_auth_password"))
        #expect(LiteralValue.repeatsNameWords(Array("dbPassword".utf8), of: "DB_PASSWORD"))
        // Must stay: another file name, a value whose words are out of order or not the key's.
        #expect(Placeholder.genericReason(for: Array(made(40).utf8), variable: "secretKey") == nil)
        #expect(!LiteralValue.repeatsNameWords(Array("password_n8n".utf8), of: "n8n_basic_auth_password"))
        #expect(!LiteralValue.repeatsNameWords(Array("my_password".utf8), of: "n8n_basic_auth_password"))
        #expect(!LiteralValue.repeatsNameWords(Array(made(16).utf8), of: "api_token"))
        let yaml = "n8n_basic_auth_user: \"n8n_user\"\nn8n_basic_auth_password: \"n8n_password\"\n"
        #expect(scan(yaml, at: "group_vars/all.yml").isEmpty)
    }

    @Test func aStacksNamesComeFromItsImagesAndConnectionsToo() {
        // Must be info: the product and its publisher from an image written with a reference,
        // a MyBatis generator's `userId` with a counter.
        let compose = """
            services:
              gate:
                image: "${REGISTRY:-docker.io}/acmesong/gate-way:latest"
              db:
                environment:
                  MYSQL_ROOT_PASSWORD: '\("GateWay@" + "acmesong")'
                  MYSQL_USER: gateway

            """
        #expect(scan(compose, at: "docker-compose.yml").map(\.severity) == [.info])
        // A MyBatis generator's `userId` (a JDBC connection's account) names the account too.
        #expect(ConfigValueDecoder.namesAccount("userId") && ConfigValueDecoder.namesAccount("image"))
        #expect(!ConfigValueDecoder.namesAccount("user_password") && !ConfigValueDecoder.namesAccount("tokenId"))
        // Must stay: a password no name in the file spells.
        let other = compose.replacingOccurrences(of: "GateWay@" + "acmesong", with: "Harbor@" + "quietfox")
        #expect(scan(other, at: "docker-compose.yml").map(\.severity) == [.medium])
    }

    @Test func theYouTubeTVClientIsAPublishedInstalledApp() {
        let client = "_CLIENT_ID = '861556708454-" + made(32, "abcdefghijklmnopqrstuvwxyz0123456789") + ".apps.googleusercontent.com'\n"
            + "_CLIENT_SECRET = '" + made(24) + "'\n"
        #expect(scan(client, at: "musicbot/ytdlp_oauth2_plugin.py").map(\.severity) == [.info])
    }
}
