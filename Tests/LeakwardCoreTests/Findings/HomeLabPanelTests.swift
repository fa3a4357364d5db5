import Testing
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardRules

/// Shapes seen on the eleventh fresh held-out panel (dotfiles, home-lab and self-hosting configs,
/// personal bots): each judged for what it is, with must-match and must-not cases (values here
/// are made up, never the panel's).
@Suite struct HomeLabPanelTests {
    /// The code reason `LiteralValue` gives the value `needle` on `line` of a YAML or env file.
    private func codeReason(_ needle: String, in line: String, path: String = "configuration.yaml") -> String? {
        let bytes = Array(line.utf8), target = Array(needle.utf8)
        let start = (0...(bytes.count - target.count)).first { bytes[$0..<($0 + target.count)].elementsEqual(target) }!
        return bytes.withUnsafeBufferPointer {
            LiteralValue.codeReason(secret: start..<(start + target.count), in: $0, path: path, formatless: true)
        }
    }

    @Test func aYAMLReferenceTagIsNoValue() {
        // Must not report: Home Assistant's and ESPHome's references to secrets.yaml and the env.
        #expect(codeReason("twitter_access_token_secret", in: "  access_token_secret: !secret twitter_access_token_secret\n") != nil)
        #expect(codeReason("!secret", in: "  password: !secret\n") != nil)
        #expect(codeReason("MQTT_PASSWORD", in: "password: !env_var MQTT_PASSWORD\n") != nil)
        // Must report: a core tag still writes a literal, and an unknown tag is no reference.
        #expect(codeReason("Qk2MPv8rT4wL9xZc", in: "password: !!str Qk2MPv8rT4wL9xZc\n") == nil)
        #expect(codeReason("Qk2MPv8rT4wL9xZc", in: "password: Qk2MPv8rT4wL9xZc\n") == nil)
        #expect(codeReason("Qk2MPv8rT4wL9xZc", in: "password: !binary Qk2MPv8rT4wL9xZc\n") == nil)
    }

    @Test func aPathToASecretsFileIsNoSecret() {
        // Must not report: a `_FILE` variable's Docker secret path, a home-relative token file.
        #expect(codeReason("/run/secrets/authelia_smtp_password", in: "      - AUTHELIA_SMTP_PASSWORD_FILE=/run/secrets/authelia_smtp_password\n",
                           path: "docker-compose.yml") != nil)
        #expect(codeReason("/run/secrets/MYSQL_ROOT_PASSWORD", in: "MYSQL_ROOT_PASSWORD_FILE=/run/secrets/MYSQL_ROOT_PASSWORD\n", path: ".env") != nil)
        #expect(codeReason("~/.config/gh/token", in: "token_file: ~/.config/gh/token\n") != nil)
        // Must report: base64 that starts with `/` mixes cases within its pieces.
        #expect(codeReason("/Kq8Lz3Vr9Tx/Nb7Wm4Pd1Fg6/Hj5Kl0Qs8Vx3B", in: "secret: /Kq8Lz3Vr9Tx/Nb7Wm4Pd1Fg6/Hj5Kl0Qs8Vx3B\n") == nil)
        #expect(!LiteralValue.isFilePath(Array("/single".utf8)))
    }

    @Test func aHelmExistingSecretNamesASecret() {
        // Must not: `existingSecret` names the Kubernetes Secret a chart reads.
        #expect(!ConfigValueDecoder.namesSecret("existingSecret"))
        #expect(!ConfigValueDecoder.namesSecret("auth.existingSecretName"))
        #expect(!ConfigValueDecoder.namesSecret("existing_secret"))
        // Must: a secret under its own name, also below a key that says existing.
        #expect(ConfigValueDecoder.namesSecret("clientSecret"))
        #expect(ConfigValueDecoder.namesSecret("existing.clientSecret"))
    }

    @Test func namesOfTokensThatOpenNothing() {
        // Must not: a Home Assistant add-on's ingress path token, a Plex claim token.
        #expect(Placeholder.genericReason(for: Array("Qk2MPv8rT4wL9xZcW3nB7dFh5jK1mS6pT0vY2uR4eA8".utf8), variable: "ingress_token") != nil)
        #expect(Placeholder.genericReason(for: Array("claim-Qk2MPv8rT4wL9xZcW3nB".utf8), variable: "claimToken") != nil)
        // Must: the add-on's Supervisor API token beside it.
        #expect(Placeholder.genericReason(for: Array("9f3c1a7e5b2d8c4f6a0e3b7d1c5f9a2e8b4d6c0f3a7e1b5d9c2f8a4e6b0d3c7f".utf8), variable: "access_token") == nil)
    }

    @Test func aPhraseWithTheArticleIsAStandIn() {
        let signals = ValueSignals.bundled
        // Must be a stand-in: a sample phrase of English words, the article `a` among them.
        #expect(signals.standInReason(for: Array("a_very_important_secret".utf8)) != nil)
        #expect(signals.standInReason(for: Array("you_must_generate_a_random_string_of_more_than_twenty_chars_and_configure_this".utf8)) != nil)
        // Must not: any other single letter, or letters and digits mixed inside a piece.
        #expect(signals.standInReason(for: Array("b_very_important_secret".utf8)) == nil)
        #expect(signals.standInReason(for: Array("a_Kq8Lz3Vr9Tx2_secret".utf8)) == nil)
    }

    @Test func whereHomeLabFilesSit() {
        // An Ansible role's defaults are every user's defaults; its Molecule scenarios are tests.
        #expect(LocationContext.of(path: "roles/gitea/defaults/main.yml") == .example)
        #expect(LocationContext.of(path: "roles/drone-ci/molecule/default/molecule.yml") == .test)
        #expect(LocationContext.of(path: "roles/gitea/tasks/main.yml") == .production)
        #expect(LocationContext.of(path: "group_vars/all.yml") == .production)
        // A Home Assistant configuration's CI stand-ins for secrets.yaml are made up; the real one is not.
        #expect(LocationContext.of(path: "config/travis_secrets.yaml") == .fixture)
        #expect(LocationContext.of(path: "config/fake_secrets.yaml") == .fixture)
        #expect(LocationContext.of(path: "secrets.fake.yaml") == .fixture)
        #expect(LocationContext.of(path: ".stubs/secrets.yaml") == .fixture)
        #expect(LocationContext.of(path: "secrets.yaml") == .production)
        #expect(LocationContext.of(path: "config/secrets.yaml") == .production)
        // Dependencies fetched into `deps/` (Mix, Home Assistant) are vendored.
        #expect(LocationContext.of(path: "deps/werkzeug/urls.py") == .vendored)
        #expect(LocationContext.of(path: "lib/deploy/config.py") == .production)
    }
}
