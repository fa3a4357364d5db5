import Foundation
import Testing
@testable import LeakwardFindings
@testable import LeakwardModel
@testable import LeakwardRules

/// Shapes from the 80-repository panel's last false positives and misses, each judged for what
/// it is, with must-match and must-not cases (values here are made up, never the panel's).
@Suite struct PanelAccuracyTests {
    private let signals = ValueSignals.bundled

    /// The range of the first `needle` in `text` and the text's bytes, for buffer-level checks.
    private func locate(_ needle: String, in text: String, _ body: (Range<Int>, UnsafeBufferPointer<UInt8>) -> Void) {
        let bytes = Array(text.utf8), target = Array(needle.utf8)
        let start = (0...(bytes.count - target.count)).first { bytes[$0..<($0 + target.count)].elementsEqual(target) }!
        bytes.withUnsafeBufferPointer { body(start..<(start + target.count), $0) }
    }

    @Test func aHashBesideATestsAssertionIsATestVector() {
        let hash = "$argon2id$v=19$m=16384,t=2,p=1$Zr4kq8LmVb3TqXw2Lk7Pz5$Kq8Lz3Vr9Tx2Nb7Wm4Pd1Fg6Hj5Kl0Qs8Vx3Bn7Mz2C"
        // Must be judged a test vector: a library's unit test, quoted with `\n` escapes in a
        // code-chunk dataset, and the same test as plain Java.
        let chunk = #"{"content": "    @Test\n    public void issue92()\n    {\n        String hash = \"\#(hash)\";\n        String plain = \"Test123!\";\n        assertTrue(Password.check(plain, hash));\n    }\n"}"#
        locate(hash, in: chunk) { range, buffer in #expect(signals.testVectorReason(around: range, in: buffer) != nil) }
        let java = "    @Test\n    void verifies() {\n        assertEquals(\"\(hash)\", hasher.hash(\"Test123!\"));\n    }\n"
        locate(hash, in: java) { range, buffer in #expect(signals.testVectorReason(around: range, in: buffer) != nil) }
        // Must not: a users table in an SQL dump, a shadow file, a seed's rows: leaked hashes.
        let bcrypt = "$2y$10$Kq8Lz3Vr9Tx2Nb7Wm4Pd1Fg6Hj5Kl0Qs8Vx3Bn7Mz2Cr9Tw4Yp6Ld"
        let dump = "-- Dumping data for table `users`\nINSERT INTO `users` VALUES (1,'ada','\(bcrypt)');\nINSERT INTO `users` VALUES (2,'bob','x');\n"
        locate(bcrypt, in: dump) { range, buffer in #expect(signals.testVectorReason(around: range, in: buffer) == nil) }
        let shadow = "root:*:19700:0:99999:7:::\ndeploy:\(bcrypt):19700:0:99999:7:::\n"
        locate(bcrypt, in: shadow) { range, buffer in #expect(signals.testVectorReason(around: range, in: buffer) == nil) }
        // An assertion more than three lines away says nothing about this hash.
        let far = "assert ok\n\n\n\n\nINSERT INTO users VALUES (1,'ada','\(bcrypt)');\n"
        locate(bcrypt, in: far) { range, buffer in #expect(signals.testVectorReason(around: range, in: buffer) == nil) }
    }

    @Test func aTokenSigningOneMediaFilesURLIsNoAccountsToken() {
        let jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1cm46YXBwOjEyMyJ9.Kq8Lz3Vr9Tx2Nb7Wm4Pd1Fg6Hj5Kl0Qs8Vx3Bn7Mz2C"
        // Must be judged a media URL's signature.
        let media = "\"img_url\": [\"https://images-cdn.example.com/f/c5f5/d8az.png/v1/fit/w_375,strp/photo-375w.jpg?token=\(jwt)\"]"
        locate(jwt, in: media) { range, buffer in #expect(signals.signedMediaReason(at: range.lowerBound, in: buffer) != nil) }
        let video = "src=https://cdn.example.com/clips/intro.MP4?sig=1&token=\(jwt)"
        locate(jwt, in: video) { range, buffer in #expect(signals.signedMediaReason(at: range.lowerBound, in: buffer) != nil) }
        // Must not: an API's URL, a token with no URL, a URL whose query comes before the file name.
        for text in ["\"https://api.example.com/v1/users?token=\(jwt)\"", "token = \"\(jwt)\"",
                     "https://api.example.com/login?next=/a.png&token=\(jwt)"] {
            locate(jwt, in: text) { range, buffer in #expect(signals.signedMediaReason(at: range.lowerBound, in: buffer) == nil, "\(text)") }
        }
    }

    @Test func aProjectNameWithANumberStaysAWordOfAStandIn() {
        // Must be a stand-in: a project's name with its digit, then words calling it local.
        #expect(signals.standInReason(for: Array("mem0-local-dev".utf8)) != nil)
        #expect(signals.standInReason(for: Array("web3_dev_password".utf8)) != nil)
        // Must not: digits inside a word, or no word that says so.
        #expect(signals.standInReason(for: Array("m3m0-local-dev".utf8)) == nil)
        #expect(signals.standInReason(for: Array("mem0-prod-2024x".utf8)) == nil)
        #expect(signals.standInReason(for: Array("Kq8Lz3-Vr9Tx2".utf8)) == nil)
        // Elsewhere a digit inside a word still makes no phrase (`ab12-cd34-ef56` is no readable phrase).
        #expect(ValueSignals.words(of: Array("mem0-local".utf8)) == nil)
        #expect(signals.weakReason(for: Array("ab12-cd34-ef56".utf8)) == nil)
    }

    @Test func theTextBetweenTwoLiteralsIsCode() {
        func reason(_ line: String, _ secret: String, path: String) -> String? {
            var found: String?
            locate(secret, in: line) { range, buffer in
                found = LiteralValue.codeReason(secret: range, in: buffer, path: path, formatless: true)
            }
            return found
        }
        // Must be code: a Python dict inside a shell heredoc, keys and f-strings side by side.
        #expect(reason("    \"JWT_SECRET=\": f\"JWT_SECRET={secrets.token_urlsafe(48)}\",", ": f", path: "scripts/bootstrap.sh") != nil)
        #expect(reason("x = \"SESSION_SECRET=\" + \"abc\"", " + ", path: "a.sh") != nil)
        // Must stay values: an ordinary literal, a phrase with spaces, an escaped quote in JSON.
        #expect(reason("JWT_SECRET=\"Kq8Lz3Vr9Tx2Nb7W\"", "Kq8Lz3Vr9Tx2Nb7W", path: "a.sh") == nil)
        #expect(reason("app.use(session({ secret: 'keyboard cat' }))", "keyboard cat", path: "app.js") == nil)
        #expect(reason("\"    \\\"JWT_SECRET\\\": \\\"my very secret value\\\",\\n\"", "my very secret value", path: "a.ipynb") == nil)
    }

    /// A PuTTY key file whose public blob names its header's algorithm is a key PuTTY made
    /// (`example-key.ppk` committed with a deploy script): structure-valid, with its encryption.
    @Test func puttyKeysAreCheckedByTheirPublicBlob() {
        func ppk(_ algorithm: String, encryption: String, named: String) -> [UInt8] {
            var blob: [UInt8] = [0, 0, 0, UInt8(named.utf8.count)] + Array(named.utf8) + [0, 0, 0, 32]
            blob += (0..<32).map { _ in UInt8.random(in: 0...255) }
            let lines = Data(blob).base64EncodedString().chunked(64)
            let secret = Data((0..<48).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            let mac = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            return Array(("PuTTY-User-Key-File-3: \(algorithm)\nEncryption: \(encryption)\nComment: deploy\n"
                + "Public-Lines: \(lines.count)\n" + lines.joined(separator: "\n") + "\nPrivate-Lines: 1\n\(secret)\nPrivate-MAC: \(mac)").utf8)
        }
        let plain = OfflineCheck.putty(ppk("ssh-ed25519", encryption: "none", named: "ssh-ed25519"))
        #expect(plain.validation == .structureValid && plain.notes == ["not encrypted"], "\(plain)")
        #expect(OfflineCheck.putty(ppk("ssh-ed25519", encryption: "aes256-cbc", named: "ssh-ed25519")).notes == ["encrypted (aes256-cbc)"])
        // A blob naming another algorithm, or none, is text shaped like a key file: unchecked.
        #expect(OfflineCheck.putty(ppk("ssh-rsa", encryption: "none", named: "ssh-ed25519")).validation == .unchecked)
        #expect(OfflineCheck.putty(Array("PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n".utf8)).validation == .unchecked)
    }

    @Test func zhipuKeysAreIdDotSecret() {
        // Must pass: 32 lower-case hex digits, a dot, 16 base62 characters of both cases.
        #expect(OfflineCheck.zhipu(Array("5b6e1f0c9a7d42e8b3c4f6a1d2e9c8b7.Kq8Lz3Vr9Tx2Nb7W".utf8)).isPlausible)
        // Must fail: a cut sample, an all-lower-case secret, upper-case hex, a wrong length.
        for sample in ["5b6e1f0c9a7d42e8b3c4f6a1d2e9c8b7.1", "5b6e1f0c9a7d42e8b3c4f6a1d2e9c8b7.abcdefghijklmnop",
                       "5B6E1F0C9A7D42E8B3C4F6A1D2E9C8B7.Kq8Lz3Vr9Tx2Nb7W", "5b6e1f0c9a7d42e8b3c4f6a1d2e9c8b.Kq8Lz3Vr9Tx2Nb7W"] {
            #expect(!OfflineCheck.zhipu(Array(sample.utf8)).isPlausible, "\(sample)")
        }
    }

    @Test func aPasswordNamedAfterTheProjectIsASample() {
        let folders = ["openmemory.tar", "openmemory", "compose"]
        // Must be a sample: the project's folder name with a counter and punctuation.
        #expect(signals.projectNameReason(for: Array("Openmemory123!".utf8), folders: folders) != nil)
        #expect(signals.projectNameReason(for: Array("compose_2024".utf8), folders: folders) != nil)
        // Must not: other words, a name inside a longer value, names of three letters.
        #expect(signals.projectNameReason(for: Array("Kq8Lz3Vr9Tx2".utf8), folders: folders) == nil)
        #expect(signals.projectNameReason(for: Array("openmemoryKq8Lz3".utf8), folders: folders) == nil)
        #expect(signals.projectNameReason(for: Array("api1".utf8), folders: ["api"]) == nil)
    }

    @Test func aSeedScriptIsSeedData() {
        #expect(LocationContext.of(path: "server/scripts/seed.sh") == .fixture)
        #expect(LocationContext.of(path: "server/scripts/deploy.sh") == .production)
    }
}

private extension String {
    /// The string cut into pieces of `size` characters (the last may be shorter).
    func chunked(_ size: Int) -> [String] {
        stride(from: 0, to: count, by: size).map {
            let start = index(startIndex, offsetBy: $0)
            return String(self[start..<(index(start, offsetBy: size, limitedBy: endIndex) ?? endIndex)])
        }
    }
}
