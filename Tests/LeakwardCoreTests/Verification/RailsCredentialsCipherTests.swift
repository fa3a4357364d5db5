import Testing
@testable import LeakwardModel
@testable import LeakwardVerification

@Suite struct RailsCredentialsCipherTests {
    /// A known answer made with Python's `cryptography` (AESGCM, empty associated data), the
    /// way Rails' `ActiveSupport::EncryptedFile` writes `credentials.yml.enc`: an implementation
    /// other than ours agrees on the format. The key is a made-up test value.
    static let key = "5f1c0a9e3b7d42e68a0c1f2d3e4b5a69"
    static let file = "fNSc7lqwG/K6MBgmuhkv/xV8Rfb+9USTKxm7HjMiM4MIK2mNaf2JfKepf84PIOli+E4NzXk=--AAECAwQFBgcICQoL--uUJS7D6aevxHMyXfCJ956g==\n"

    @Test func theRightKeyOpensTheFileAndNoOtherDoes() {
        #expect(RailsCredentialsCipher.open(Array(Self.file.utf8), hexKey: Self.key) == .opens(bytes: 53))
        #expect(RailsCredentialsCipher.open(Array(Self.file.utf8), hexKey: "5f1c0a9e3b7d42e68a0c1f2d3e4b5a6a") == .refuses)
        // One flipped ciphertext character: the tag no longer verifies.
        let damaged = "g" + Self.file.dropFirst()
        #expect(RailsCredentialsCipher.open(Array(damaged.utf8), hexKey: Self.key) == .refuses)
    }

    @Test func anythingButRailsFormatIsSaidSo() {
        #expect(RailsCredentialsCipher.open(Array("secret_key_base: abc\n".utf8), hexKey: Self.key) == .notRailsFormat)
        #expect(RailsCredentialsCipher.open(Array("a--b".utf8), hexKey: Self.key) == .notRailsFormat)
        #expect(RailsCredentialsCipher.open(Array(Self.file.utf8), hexKey: "not-hex") == .notRailsFormat)
        #expect(RailsCredentialsCipher.open(Array(Self.file.utf8), hexKey: String(Self.key.prefix(30))) == .notRailsFormat)
    }

    @Test func keyFilesNameTheFileTheyOpen() {
        #expect(RailsKeyFile.encryptedSibling(of: "config/master.key") == "config/credentials.yml.enc")
        #expect(RailsKeyFile.encryptedSibling(of: "apps/shop/config/master.key") == "apps/shop/config/credentials.yml.enc")
        #expect(RailsKeyFile.encryptedSibling(of: "master.key") == "credentials.yml.enc")
        #expect(RailsKeyFile.encryptedSibling(of: "config/credentials/production.key") == "config/credentials/production.yml.enc")
        #expect(RailsKeyFile.encryptedSibling(of: "certs/server.key") == nil)
        #expect(RailsKeyFile.encryptedSibling(of: "config/credentials/.key") == nil)
        #expect(RailsKeyFile.encryptedSibling(of: "config/credentials.yml.enc") == nil)
    }
}
