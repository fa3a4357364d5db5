import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardVerification

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct NewValidatorTests {
    @Test func discordTokenDecodesTheSnowflake() {
        let id = Data("1035612390412816384".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let good = OfflineCheck.verdict(.discordToken, secret: bytes("\(id).GkL9aQ.x7Lr2kQpZ8vN3mT5wY1cB6dF9hJ0sA4eUqWzXcV"))
        #expect(good.isPlausible && good.validation == .structureValid)
        #expect(good.notes.contains("bot id 1035612390412816384"))
        #expect(good.notes.contains { $0.hasPrefix("bot created 2022-") })
        let notNumeric = Data("not-a-snowflake-id!".utf8).base64EncodedString()
        #expect(!OfflineCheck.verdict(.discordToken, secret: bytes("\(notNumeric).GkL9aQ.x7Lr2kQpZ8vN3mT5wY1cB6dF9hJ0sA4e")).isPlausible)
    }

    @Test func sesPasswordIs33BytesWithAVersionByte() {
        let v4 = Data([4] + [UInt8](repeating: 0x5A, count: 32)).base64EncodedString()
        #expect(OfflineCheck.verdict(.sesSMTPPassword, secret: bytes(v4)).notes == ["SigV4-derived SMTP password"])
        let wrongVersion = Data([7] + [UInt8](repeating: 0x5A, count: 32)).base64EncodedString()
        #expect(!OfflineCheck.verdict(.sesSMTPPassword, secret: bytes(wrongVersion)).isPlausible)
        let wrongLength = Data([4] + [UInt8](repeating: 0x5A, count: 31)).base64EncodedString()
        #expect(!OfflineCheck.verdict(.sesSMTPPassword, secret: bytes(wrongLength)).isPlausible)
    }

    @Test func sentryOrgTokenNamesOrgAndRegion() {
        let json = Data(#"{"iat":1727712345.1,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"acme"}"#.utf8)
        let token = "sntrys_" + json.base64EncodedString().replacingOccurrences(of: "=", with: "") + "_" + String(repeating: "Ab3", count: 14) + "x"
        let verdict = OfflineCheck.verdict(.sentryOrgToken, secret: bytes(token))
        #expect(verdict.validation == .structureValid)
        #expect(verdict.notes == ["org=acme", "region=https://us.sentry.io"])
        #expect(!OfflineCheck.verdict(.sentryOrgToken, secret: bytes("sntrys_bm90anNvbg_abc")).isPlausible)
    }

    @Test func clerkPublishableKeyEncodesAHost() {
        let key = "pk_live_" + Data("clerk.acme.com$".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let verdict = OfflineCheck.verdict(.clerkPublishableKey, secret: bytes(key))
        #expect(verdict.notes == ["frontend API clerk.acme.com", "production instance"])
        // A Stripe publishable key is not base64 of a host: Clerk's rule lets it go to Stripe's.
        #expect(!OfflineCheck.verdict(.clerkPublishableKey, secret: bytes("pk_live_51ayUmORTsiEZu11WacLM2Hkvtap1TgGakQ")).isPlausible)
    }

    @Test func awsKeyIDGivesTheAccount() {
        // The published sample from the AWS key-id write-ups (providers.md §8.4).
        let verdict = OfflineCheck.verdict(.awsKeyID, secret: bytes("ASIAY34FZKBOKMUTVV7A"))
        #expect(verdict.notes == ["temporary STS key", "account 609629065308"])
        #expect(OfflineCheck.verdict(.awsKeyID, secret: bytes("AKIAIOSFODNN7EXAMPLE")).notes == ["long-term key"])
    }

    @Test func privateKeysInsideJSONStringsAndOpenSSHCipher() {
        // A whole DER SEQUENCE (its header's length is the body's), in 64-character lines.
        let der: [UInt8] = [0x30, 0x81, 0x90] + (0..<144).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let base64 = Array(Data(der).base64EncodedString())
        let body = stride(from: 0, to: base64.count, by: 64).map { String(base64[$0..<min($0 + 64, base64.count)]) }
            .joined(separator: "\\n")
        let escaped = "-----BEGIN PRIVATE KEY-----\\n\(body)\\n-----END PRIVATE KEY-----"
        #expect(OfflineCheck.verdict(.privateKey, secret: bytes(escaped)).notes == ["not encrypted"])
        let openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABBxQ2Rz\n"
            + String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", count: 2) + "\n-----END OPENSSH PRIVATE KEY-----"
        #expect(OfflineCheck.verdict(.privateKey, secret: bytes(openssh)).notes == ["encrypted (aes256-ctr)"])
    }
}

@Suite struct FalsePositiveControlTests {
    @Test func documentedExamplesAndRFCSamples() {
        for text in ["AKIAIOSFODNN7EXAMPLE", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "2YotnFZFEjr1zCsicMWpAA",
                     "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
                     // The Standard Webhooks spec's test secret; Hardhat's default account #0 key.
                     "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                     "0xac0974bec39a17e36ba4a6b4d238ff94" + "4bacb478cbed5efcae784d7bf4f2ff80"] {
            #expect(Placeholder.reason(for: bytes(text)) == "documented example key", "\(text)")
        }
    }

    @Test func genericValuesThatAreNotCredentials() {
        #expect(Placeholder.genericReason(for: bytes("3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e"), variable: "api_key") == "a UUID")
        #expect(Placeholder.genericReason(for: bytes("d41d8cd98f00b204e9800998ecf8427e"), variable: "csrfToken") != nil)
        #expect(Placeholder.genericReason(for: bytes("bert-base-uncased-whole-word"), variable: "tokenizer") != nil)
        #expect(Placeholder.looksLikeIdentifier("passwordResetTokenExpiresAt"))
        #expect(Placeholder.looksLikeIdentifier("SESSION_STORE_NAME"))
        #expect(!Placeholder.looksLikeIdentifier("rcOdTDTkSuAew4tbXFr1WobF6WVt"))
        #expect(!Placeholder.looksLikeIdentifier("qWeRtYzXcVbNmKjH"))
        #expect(Placeholder.genericReason(for: bytes("t3tJJXPkfKcrgvkEIzIPcypgxolR3rtS"), variable: "INTERNAL_API_TOKEN") == nil)
        // An HTTP extension header's name under a `secret` key (a connector's design doc), and
        // not a random value that merely starts with `X-`.
        #expect(Placeholder.looksLikeIdentifier("X-DingTalk-Secret"))
        #expect(Placeholder.looksLikeIdentifier("X-Api-Key"))
        #expect(!Placeholder.looksLikeIdentifier("X-Dk4TalkSecret-Qw"))
        #expect(!Placeholder.looksLikeIdentifier("X-DINgTalk-Secret"))
        // A model's token budget is no credential (`MaxTokensAnthropicSonnet35`, a beta header's value).
        #expect(Placeholder.genericReason(for: bytes("max-tokens-3-5-sonnet-2024-07-15"), variable: "MaxTokensAnthropicSonnet35") != nil)
    }

    @Test func dataURIPayloadsAreNotScanned() {
        let text = "a{background:url(data:image/png;base64,iVBORw0KGgo+AIzaSyB3tQmjbjG2O0Ak-JNaaahqw489wf2o_Hj/AAA)} b=\"AIza\""
        let buffer = bytes(text)
        let inside = Array(text.utf8).firstIndex(of: UInt8(ascii: "+"))! + 1  // where the look-alike key starts
        buffer.withUnsafeBufferPointer { pointer in
            #expect(Placeholder.isInsideDataURI(inside, in: pointer))
            #expect(!Placeholder.isInsideDataURI(buffer.count - 5, in: pointer))
        }
    }

    @Test func weakSecretsCountOnlyOutsideDocsTestsAndTemplates() {
        #expect(WeakSecret.applies(toPath: "app/.env.production"))
        #expect(WeakSecret.applies(toPath: "src/server/session.js"))
        #expect(WeakSecret.applies(toPath: "config/settings.py"))
        for path in [".env.example", "README.md", "docs/setup.md", "tests/auth.test.ts", "src/__tests__/a.js", "spec/x_spec.rb",
                     "pkg/auth_test.go", "examples/app/.env"] {
            #expect(!WeakSecret.applies(toPath: path), "\(path)")
        }
    }
}

@Suite struct OverlapTests {
    /// One secret, two rules: a generic rule never wins over a provider rule, and of two
    /// provider rules the one that saw the variable name wins (Clerk over Stripe).
    @Test func providerAndContextWin() throws {
        let key = "sk_live_" + "Qm7vR2xP9tL4wZ8nK3bC6hJ1dF5gS0aE" + "Yq2Wr4Tu6Io8"
        let text = "CLERK_SECRET_KEY=\"\(key)\"\nMY_API_KEY=\"\(key)\"\n"
        let pipeline = try ScanPipeline(rules: CompiledRules(RuleSet.builtIn()), options: ScanOptions(workerCount: 1))
        let outcome = pipeline.run([InMemorySource([("app.env", text)])])
        let byLine = Dictionary(grouping: outcome.findings, by: \.location.line)
        #expect(byLine[1]?.map(\.ruleID) == ["clerk.secret-key"])
        #expect(byLine[2]?.map(\.ruleID) == ["stripe.secret-key"])
    }

    /// A provider's rule with no kind of its own (category generic: Facebook, Twitter, RapidAPI)
    /// is still the provider's: it wins over a generic rule whose match ran one quote longer.
    @Test func aProviderWithoutAKindOfItsOwnStillWinsOverAGenericRule() throws {
        let secret = "fae923d5a4fd12aa" + "bfe228f219e9cb0e"
        let text = "FACEBOOK_APP_ID = \"865797543231948\"\nFACEBOOK_APP_SECRET = \"\(secret)\"\n"
        let pipeline = try ScanPipeline(rules: CompiledRules(RuleSet.builtIn()), options: ScanOptions(workerCount: 1))
        let outcome = pipeline.run([InMemorySource([("settings.py", text)])])
        #expect(outcome.findings.map(\.ruleID) == ["facebook.app-secret"])
    }
}
