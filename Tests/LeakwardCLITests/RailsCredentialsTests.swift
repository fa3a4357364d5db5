import COpenSSL
import Foundation
import Testing

/// Rails' `master.key` and the `credentials.yml.enc` it decrypts, both made at test time: the
/// key is 32 random hex characters, the file is sealed here the way Rails'
/// `ActiveSupport::EncryptedFile` seals it (AES-128-GCM, `base64(data)--base64(iv)--base64(tag)`).
@Suite struct RailsCredentialsTests {
    /// A fresh 32-hex key (the content of `config/master.key`).
    static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// `plaintext` sealed under `hexKey` in Rails' credentials format, with a random 12-byte IV.
    static func seal(_ plaintext: String, hexKey: String) throws -> String {
        let key = stride(from: 0, to: hexKey.count, by: 2).map { offset -> UInt8 in
            let start = hexKey.index(hexKey.startIndex, offsetBy: offset)
            return UInt8(hexKey[start..<hexKey.index(start, offsetBy: 2)], radix: 16)!
        }
        var generator = SystemRandomNumberGenerator()
        let iv = (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let input = Array(plaintext.utf8)
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var tag = [UInt8](repeating: 0, count: 16)
        var written: Int32 = 0, tail: Int32 = 0
        let context = EVP_CIPHER_CTX_new()
        defer { EVP_CIPHER_CTX_free(context) }
        // 0x9: EVP_CTRL_GCM_SET_IVLEN; 0x10: EVP_CTRL_GCM_GET_TAG.
        guard EVP_EncryptInit_ex(context, EVP_aes_128_gcm(), nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(context, 0x9, 12, nil) == 1,
              EVP_EncryptInit_ex(context, nil, nil, key, iv) == 1,
              EVP_EncryptUpdate(context, &output, &written, input, Int32(input.count)) == 1,
              output.withUnsafeMutableBufferPointer({ EVP_EncryptFinal_ex(context, $0.baseAddress! + Int(written), &tail) }) == 1,
              EVP_CIPHER_CTX_ctrl(context, 0x10, 16, &tag) == 1 else { throw GitFixture.FixtureError("sealing failed") }
        let data = Data(output.prefix(Int(written + tail)))
        return "\(data.base64EncodedString())--\(Data(iv).base64EncodedString())--\(Data(tag).base64EncodedString())"
    }

    static let credentials = "aws:\n  access_key_id: not-a-real-id\nsecret_key_base: not-a-real-base\n"

    static func masterKeyFindings(_ stdout: String) throws -> [[String: Any]] {
        try (CLI.json(stdout)["findings"] as? [[String: Any]] ?? []).filter { $0["rule_id"] as? String == "session.rails-master-key" }
    }

    @Test func aMasterKeyBesideItsCredentialsFileSaysItDecryptsIt() throws {
        let dir = try Scratch()
        let key = RailsCredentialsTests.newKey()
        try dir.write("config/master.key", key + "\n")
        try dir.write("config/credentials.yml.enc", try RailsCredentialsTests.seal(RailsCredentialsTests.credentials, hexKey: key))
        let result = try CLI.run(["scan", dir.path, "--no-git", "--format", "json"])
        #expect(result.status == 1)
        let findings = try RailsCredentialsTests.masterKeyFindings(result.stdout)
        #expect(findings.count == 1)
        let decrypts = findings.first?["decrypts"] as? [String: Any]
        #expect(decrypts?["path"] as? String == "config/credentials.yml.enc")
        #expect(decrypts?["place"] as? String == "working-tree")
        #expect(decrypts?["check"] as? String == "opens")
        #expect((findings.first?["notes"] as? [String])?.contains { $0.hasPrefix("decrypts `config/credentials.yml.enc`, beside it") } == true)
        // Nothing of the decrypted file reaches the report.
        #expect(!result.stdout.contains("not-a-real-base"))

        // The plan says what the key opens and what to do: rotate what is inside, then a new key.
        let plan = try CLI.run(["plan", dir.path, "--no-git", "--format", "json"])
        let items = try CLI.json(plan.stdout)["items"] as? [[String: Any]] ?? []
        let item = items.first { $0["rule_id"] as? String == "session.rails-master-key" }
        #expect(item?["playbook"] as? String == "rails")
        let evidence = (item?["exposures"] as? [[String: Any]])?.compactMap { $0["evidence"] as? String } ?? []
        #expect(evidence.contains { $0.contains("the key decrypts `config/credentials.yml.enc`") })
        // Opening the file proves the key real: it counts as a verified checksum in the ranking.
        let urgency = item?["urgency"] as? [String: Any]
        #expect(urgency?["validation_points"] as? Int == 2)
        #expect((urgency?["reasons"] as? [String])?.contains { $0.hasPrefix("the key opens config/credentials.yml.enc beside it") } == true)
        let steps = (item?["steps"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(steps.contains { $0.contains("Rotate every secret inside the credentials file") && $0.contains("bin/rails credentials:edit") })
    }

    @Test func aLoneKeyAndAnotherKeysFileAreToldApart() throws {
        let lone = try Scratch()
        try lone.write("config/master.key", RailsCredentialsTests.newKey() + "\n")
        let alone = try RailsCredentialsTests.masterKeyFindings(CLI.run(["scan", lone.path, "--no-git", "--format", "json"]).stdout)
        #expect(alone.count == 1)
        #expect(alone.first?["decrypts"] == nil)

        // A credentials file sealed under another key: beside it, but not opened by it.
        let other = try Scratch()
        try other.write("config/master.key", RailsCredentialsTests.newKey() + "\n")
        try other.write("config/credentials.yml.enc", try RailsCredentialsTests.seal(RailsCredentialsTests.credentials, hexKey: RailsCredentialsTests.newKey()))
        let refused = try RailsCredentialsTests.masterKeyFindings(CLI.run(["scan", other.path, "--no-git", "--format", "json"]).stdout)
        #expect((refused.first?["decrypts"] as? [String: Any])?["check"] as? String == "refuses")

        // Per-environment credentials: `config/credentials/production.key` opens `production.yml.enc`.
        let environment = try Scratch()
        let key = RailsCredentialsTests.newKey()
        try environment.write("config/credentials/production.key", key)
        try environment.write("config/credentials/production.yml.enc", try RailsCredentialsTests.seal(RailsCredentialsTests.credentials, hexKey: key))
        let production = try RailsCredentialsTests.masterKeyFindings(CLI.run(["scan", environment.path, "--no-git", "--format", "json"]).stdout)
        #expect(production.count == 1)
        let decrypts = production.first?["decrypts"] as? [String: Any]
        #expect(decrypts?["path"] as? String == "config/credentials/production.yml.enc")
        #expect(decrypts?["check"] as? String == "opens")
    }

    @Test func aMasterKeyInHistoryIsPairedWithTheFileOfItsCommit() throws {
        let repo = try GitFixture()
        let key = RailsCredentialsTests.newKey()
        let first = try repo.commit("Rails app with credentials", files: [
            "app/config/master.key": key + "\n",
            "app/config/credentials.yml.enc": try RailsCredentialsTests.seal(RailsCredentialsTests.credentials, hexKey: key),
        ])
        // The key is taken out of the tree: history alone still holds it beside its file.
        try repo.commit("Stop tracking the master key", removed: ["app/config/master.key"])
        try repo.dir.write(".gitignore", "app/config/master.key\n")
        let result = try CLI.run(["git", repo.path, "--format", "json"])
        #expect(result.status == 1)
        let findings = try RailsCredentialsTests.masterKeyFindings(result.stdout)
        #expect(findings.count == 1)
        let decrypts = findings.first?["decrypts"] as? [String: Any]
        #expect(decrypts?["path"] as? String == "app/config/credentials.yml.enc")
        #expect(decrypts?["place"] as? String == "same-commit")
        #expect(decrypts?["check"] as? String == "opens")
        #expect(decrypts?["commit"] as? String == first)
        let text = try CLI.run(["git", repo.path])
        #expect(text.stdout.contains("decrypts `app/config/credentials.yml.enc`, present in the same commit (\(first.prefix(10)))"))
    }
}
