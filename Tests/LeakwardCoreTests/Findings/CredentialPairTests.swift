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

/// One half of a credential pair (an AWS access key ID) is judged by its other half: beside a
/// secret access key it is part of one credential; alone it signs nothing and is reported at info.
@Suite struct CredentialPairTests {
    // Made up at test time, never written whole into the repository.
    static let keyID = "AKIA" + "WD5FLZYCJSFHZTEB"
    static let secret = "7rq4+zbiVsKKfrgmpO6A" + "Mv5Okjf2shh4eZu+r0x8"

    static func scan(_ name: String, _ text: String) throws -> [Finding] {
        let pipeline = try ScanPipeline(rules: CompiledRules(RuleSet.builtIn()), options: ScanOptions(workerCount: 1, decoders: Decoders.standard))
        return pipeline.run([InMemorySource([(name, text)])]).findings
    }

    @Test func aProfileWithBothHalvesIsOneCriticalCredential() throws {
        let text = "[default]\naws_access_key_id = \(Self.keyID)\naws_secret_access_key = \(Self.secret)\n"
        let findings = try Self.scan("home/.aws/credentials", text)
        let id = try #require(findings.first { $0.ruleID == "aws.access-key-id" })
        #expect(id.severity == .critical)
        #expect(id.pairedWith == SHA256.hex(of: Array(Self.secret.utf8)))
        let credentials = Credential.group(findings)
        #expect(credentials.count == 1)
        #expect(credentials.first?.ruleID == "aws.secret-access-key")
        #expect(credentials.first?.severity == .critical)
        #expect(credentials.first?.locations.map(\.line) == [2, 3])
        #expect(credentials.first?.variables == ["aws_access_key_id", "aws_secret_access_key"])
    }

    @Test func aKeyIDBesideASecretOfAnyNameIsPaired() throws {
        // The secret under a name no AWS rule reads, two lines below, in code.
        let text = "const s3 = new S3({\n  accessKeyId: \"\(Self.keyID)\",\n  region: \"eu-west-1\",\n  key2: \"\(Self.secret)\",\n});\n"
        let findings = try Self.scan("src/upload.js", text)
        let id = try #require(findings.first { $0.ruleID == "aws.access-key-id" })
        #expect(id.severity == .critical)
        #expect(id.pairedWith != nil)
        // The secret is a finding of its own (judged as an AWS secret access key), and the ID
        // joins its credential.
        let secret = try #require(findings.first { $0.ruleID == "aws.secret-access-key" })
        #expect(secret.secret.revealed == Self.secret)
        #expect(secret.location.line == 4)
        #expect(secret.variable == "key2")
        let credentials = Credential.group(findings)
        #expect(credentials.count == 1)
        #expect(credentials.first?.ruleID == "aws.secret-access-key")
        #expect(credentials.first?.severity == .critical)
    }

    @Test func aSecretUnderAnUnknownNameInAReadmeIsReportedAndJoinsItsID() throws {
        // The spring-petclinic shape: a setup guide pasting `aws configure`'s two answers.
        let text = "To install AWS-cli\n\naws configure\n\nAccess_key :xxxxxxxxxxxxxxx ( \(Self.keyID) )\nSecurity_key:xxxxxxxxxxxxxxxxx( \(Self.secret))\n"
        let findings = try Self.scan("README.md", text)
        let secret = try #require(findings.first { $0.ruleID == "aws.secret-access-key" })
        #expect(secret.secret.revealed == Self.secret)
        // In documentation a value with no format of its own is info; the pair still fails CI
        // through its ID, as one credential named by the secret.
        #expect(secret.severity == .info)
        let credentials = Credential.group(findings)
        #expect(credentials.count == 1)
        #expect(credentials.first?.secretSHA256 == SHA256.hex(of: Array(Self.secret.utf8)))
        #expect(credentials.first?.severity == .critical)
        #expect(credentials.first?.locations.map(\.line) == [5, 6])
    }

    @Test func aSecretAboveItsIDIsReportedAndJoinsIt() throws {
        let text = "creds:\n  s: \"\(Self.secret)\"\n  k: \"\(Self.keyID)\"\n"
        let findings = try Self.scan("deploy/creds.yml", text)
        #expect(findings.map(\.ruleID).sorted() == ["aws.access-key-id", "aws.secret-access-key"])
        let credentials = Credential.group(findings)
        #expect(credentials.count == 1)
        #expect(credentials.first?.ruleID == "aws.secret-access-key")
        #expect(credentials.first?.locations.map(\.line) == [2, 3])
    }

    @Test func aSecretWithItsOwnNameIsReportedOnce() throws {
        // The secret access key rule and the ID's companion both see the value: one sighting.
        let text = "aws_secret_access_key = \(Self.secret)\naws_access_key_id = \(Self.keyID)\n"
        let findings = try Self.scan("home/.aws/credentials", text)
        #expect(findings.filter { $0.ruleID == "aws.secret-access-key" }.count == 1)
        #expect(findings.first { $0.ruleID == "aws.secret-access-key" }?.variable == "aws_secret_access_key")
    }

    @Test func anAlibabaSecretBesideItsIDIsReportedAsOneCredential() throws {
        // chatgpt-on-wechat's Qwen settings: the AccessKey pair under names no Alibaba rule reads.
        let id = "LTAI" + "5tQ8mKx2Vn7RbZ4p"
        let secret = "Rk3mZ8qL2vX9" + "pN4tB7wY1cH6jD5sF0"
        let text = "{\n  \"model\": \"qwen-plus\",\n  \"qwen_access_key_id\": \"\(id)\",\n  \"qwen_access_key_secret\": \"\(secret)\",\n  \"qwen_node_id\": \"\"\n}\n"
        let findings = try Self.scan("config.json", text)
        let half = try #require(findings.first { $0.ruleID == "alibaba.access-key-secret" })
        #expect(half.secret.revealed == secret)
        let key = try #require(findings.first { $0.ruleID == "alibaba.access-key-id" })
        #expect(key.severity == .critical)
        let credentials = Credential.group(findings)
        #expect(credentials.count == 1)
        #expect(credentials.first?.ruleID == "alibaba.access-key-secret")
        #expect(credentials.first?.severity == .critical)
    }

    @Test func aLoneAlibabaIDKeepsItsSeverity() throws {
        // No `unpaired_note` for this rule: the pair joins and raises, a lone ID stays as it was.
        let text = "{\n  \"access_key_id\": \"LTAI\(String("5tQ8mKx2Vn7RbZ4p"))\",\n  \"region\": \"cn-hangzhou\"\n}\n"
        let key = try #require(try Self.scan("config.json", text).first { $0.ruleID == "alibaba.access-key-id" })
        #expect(key.severity == .high)
        #expect(key.pairedWith == nil)
    }

    @Test func theIDRuleNamesTheRuleThatReportsItsSecret() throws {
        let rules = try RuleSet.builtIn()
        for name in ["aws.access-key-id", "alibaba.access-key-id"] {
            let id = try #require(rules[name])
            #expect(id.companionRule.flatMap { rules[$0] } != nil, "\(name)")
        }
    }

    @Test func aLoneKeyIDIsReportedAtInfoWithTheReason() throws {
        // Rails' CI: the ID in the clear, its secret Travis-encrypted on the next line.
        let travis = "env:\n  global:\n    - \"AWS_ACCESS_KEY_ID=\(Self.keyID)\"\n    - secure: \"" + String(repeating: "XohvFnYff1yf8qla", count: 10) + "=\"\n"
        // A plugin catalogue's OAuth client ID that happens to have the shape.
        let catalogue = "{\n  \"oauth_client_id\": \"\(Self.keyID)\",\n  \"user_settings\": {\"is_installed\": false}\n}\n"
        // A git commit id (40 hex) beside it is no secret access key.
        let commit = "AWS_ACCESS_KEY_ID=\(Self.keyID)\nREVISION=3841fdc4e7b0a9cb1968b6a2ad239772ed19f51a\n"
        for (name, text) in [(".travis.yml", travis), ("docs/plugins.json", catalogue), ("deploy.env", commit)] {
            let id = try #require(try Self.scan(name, text).first { $0.ruleID == "aws.access-key-id" }, "\(name)")
            #expect(id.severity == .info, "\(name)")
            #expect(id.pairedWith == nil, "\(name)")
            #expect(id.notes.contains { $0.contains("alone it signs nothing") }, "\(name)")
        }
    }

    @Test func aSecretMoreThanFiveLinesAwayDoesNotPair() throws {
        let text = "AWS_ACCESS_KEY_ID=\(Self.keyID)\n" + String(repeating: "A=1\n", count: 6) + "OTHER=\(Self.secret)\n"
        let id = try #require(try Self.scan("deploy.env", text).first { $0.ruleID == "aws.access-key-id" })
        #expect(id.severity == .info)
    }

    @Test func aPairedFindingKeepsItsLinkThroughAReport() throws {
        let text = "aws_access_key_id = \(Self.keyID)\naws_secret_access_key = \(Self.secret)\n"
        let findings = try Self.scan("config/aws.ini", text)
        let encoded = try JSONEncoder().encode(findings)
        let decoded = try JSONDecoder().decode([Finding].self, from: encoded)
        #expect(Credential.group(decoded).count == 1)
        #expect(decoded.contains { $0.pairedWith != nil })
    }

    @Test func aRuleFileNeedsACompanionForItsPairKeys() {
        let toml = """
        [[rule]]
        id = "x.id"
        category = "cloud"
        provider = "X"
        severity = "high"
        pattern = '''(XID[0-9]{8})'''
        unpaired_note = "alone"
        """
        #expect(throws: RuleError.self) { try RuleFile.rules(fromTOML: toml, path: "x.toml") }
    }
}
