import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardReporting
@testable import LeakwardSupport
@testable import LeakwardVerification

/// The byte-level judgement of ASCII secrets gives the String judgement's answers, word for
/// word (it exists only for speed).
@Suite struct PlaceholderBytesTests {
    @Test func asciiAndTextJudgementsAgree() {
        var samples = ["", "$", "[", "]", "[]", "$ABC_12", "$abc-1", "${X}", "\r\n", "a\r\nb", "AKIAIOSFODNN7EXAMPLE", "akiaiosfodnn7example",
                       "t3tJJXPkfKcrgvkEIzIPcypgxolR3rtS", "aaaaaaaa1", "abababab", "xyz12345678", "QWERTYUIop", "Op://vault"]
        samples += (Placeholder.words + Placeholder.referencePrefixes + Placeholder.sequences).flatMap { word in
            ["\(word)", "k3Y\(word.uppercased())9z", "[\(word)]", "$\(word)", String(word.dropLast())]
        }
        let alphabet = Array("aAeExXyYzZ019_-$[]{}<>.*()\r\n op:/".utf8)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            samples.append(String(decoding: (0..<Int.random(in: 0...24, using: &generator)).map { _ in
                alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
            }, as: UTF8.self))
        }
        for sample in samples where sample.utf8.allSatisfy({ $0 < 0x80 }) {
            let secret = Array(sample.utf8)
            #expect(Placeholder.asciiReason(for: secret) == Placeholder.textReason(for: secret), "\(sample.debugDescription)")
        }
    }
}

@Suite struct LineIndexTests {
    @Test func mapsOffsetsToOneBasedLineAndColumn() {
        let index = LineIndex(Array("ab\ncde\n\nf".utf8))
        #expect(index.position(of: 0) == (1, 1))
        #expect(index.position(of: 4) == (2, 2))
        #expect(index.position(of: 8) == (4, 1))
    }
}

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let hmac = SHA256.hexString(SHA256.hmac(key: Array("key".utf8), message: Array("The quick brown fox jumps over the lazy dog".utf8)))
        #expect(hmac == "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
    }
}

@Suite struct OfflineCheckTests {
    @Test func githubChecksumAcceptsGoodAndRejectsBad() {
        let good = OfflineCheck.tokenWithChecksum(prefix: "ghp_", body: "Q7mX2pL9sK4vR8tN1wZ5yB3cF6hJ0d")
        #expect(OfflineCheck.verdict(.githubChecksum, secret: Array(good.utf8)).validation == .checksumValid)
        var bad = Array(good.utf8)
        bad[bad.count - 1] = bad[bad.count - 1] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(!OfflineCheck.verdict(.githubChecksum, secret: bad).isPlausible)
    }

    @Test func supabaseRolesComeFromTheJWT() {
        func jwt(_ payload: String) -> [UInt8] {
            let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            let body = base64url(Array(payload.utf8))
            return Array("\(header).\(body).c2lnbmF0dXJlc2lnbmF0dXJl".utf8)
        }
        let service = jwt(#"{"iss":"supabase","role":"service_role","exp":4102444800}"#)
        let anon = jwt(#"{"iss":"supabase","role":"anon","exp":4102444800}"#)
        #expect(OfflineCheck.verdict(.supabaseServiceRole, secret: service).isPlausible)
        #expect(!OfflineCheck.verdict(.supabaseServiceRole, secret: anon).isPlausible)
        #expect(OfflineCheck.verdict(.jwt, secret: anon).kind == .publicByDesign)
    }

    @Test func placeholdersAndReferencesAreNotSecrets() {
        for text in ["your-api-key-here", "${OPENAI_API_KEY}", "xxxxxxxxxxxxxxxx", "process.env.TOKEN", "AKIAIOSFODNN7EXAMPLE"] {
            #expect(Placeholder.reason(for: Array(text.utf8)) != nil, "\(text)")
        }
        #expect(Placeholder.reason(for: Array("t3tJJXPkfKcrgvkEIzIPcypgxolR3rtS".utf8)) == nil)
    }

    @Test func weakSigningSecrets() {
        #expect(WeakSecret.reason(for: Array("keyboard cat".utf8)) != nil)
        #expect(WeakSecret.reason(for: Array("short-but-random-9f".utf8)) != nil)
        #expect(WeakSecret.reason(for: Array("Yb3n0qQk2v9Xr7LmTz4Pw8Hs6Jd1Fg5Ce0Ua2Ko7Ni".utf8)) == nil)
    }

    private func base64url(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
            let n = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for j in 0...(chunk.count) { out.append(alphabet[(n >> (18 - 6 * j)) & 63]) }
            i += 3
        }
        return out
    }
}

@Suite struct CredentialTests {
    @Test func groupsSightingsOfOneSecretAndPrefersProviderRules() {
        let secret = SecretValue("t3tJJXPkfKcrgvkEIzIPcypgxolR3rtS")
        func finding(_ rule: String, _ category: SecretCategory, _ path: String) -> Finding {
            Finding(ruleID: rule, ruleName: rule, category: category, provider: "P", severity: .high, kind: .secret,
                    validation: .unchecked, secret: secret, location: .init(path: path, line: 1, column: 1, offset: 0))
        }
        let credentials = Credential.group([
            finding("generic.assignment", .generic, "a.env"), finding("acme.key", .cloud, "b.ts"),
        ])
        #expect(credentials.count == 1)
        #expect(credentials[0].ruleID == "acme.key")
        #expect(credentials[0].locations.map(\.path) == ["a.env", "b.ts"])
    }

    @Test func redactionNeverShowsTheMiddle() {
        let value = SecretValue("sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH")
        #expect(!"\(value)".contains("klmnop"))
        #expect("\(value)".hasPrefix("sk-pro"))
    }
}

@Suite struct GitIgnoreTests {
    @Test func basicPatterns() {
        var ignore = GitIgnore()
        ignore.add(fileText: "node_modules/\n*.log\n/build\n!keep.log\ndocs/**/*.tmp\n", base: "")
        #expect(ignore.isIgnored("node_modules", isDirectory: true))
        #expect(!ignore.isIgnored("node_modules", isDirectory: false))
        #expect(ignore.isIgnored("a/b/c.log", isDirectory: false))
        #expect(!ignore.isIgnored("keep.log", isDirectory: false))
        #expect(ignore.isIgnored("build", isDirectory: true))
        #expect(!ignore.isIgnored("src/build", isDirectory: true))
        #expect(ignore.isIgnored("docs/x/y/z.tmp", isDirectory: false))
    }

    @Test func nestedFilesApplyBelowTheirDirectory() {
        var ignore = GitIgnore()
        ignore.add(fileText: "secret.txt\n", base: "sub")
        #expect(ignore.isIgnored("sub/secret.txt", isDirectory: false))
        #expect(!ignore.isIgnored("secret.txt", isDirectory: false))
    }
}

@Suite struct GitIgnoreGlobTests {
    @Test func classicGlobs() {
        func glob(_ p: String, _ t: String) -> Bool { GitIgnore.glob(Array(p.utf8)[...], matches: Array(t.utf8)[...]) }
        #expect(glob("*.log", "build.log"))
        #expect(!glob("*.log", "a/build.log"))
        #expect(glob("a/**/b", "a/x/y/b"))
        #expect(glob("a/**/b", "a/b"))
        #expect(glob("**/foo", "x/y/foo"))
        #expect(glob("f?o[a-c]", "fxob"))
        #expect(!glob("f?o[!a-c]", "fxob"))
        #expect(glob("\\*literal", "*literal"))
    }

    /// The fuzzer's hostile line (many stars) used to backtrack for about a minute.
    @Test func hostilePatternsStayPolynomial() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("testdata/fuzz/regressions/gitignore-glob-timeout.txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        var ignore = GitIgnore()
        ignore.add(fileText: text, base: "")
        let path = String(repeating: "ab*c/", count: 40) + "file.txt"
        #expect(!ignore.isIgnored(path, isDirectory: false) || ignore.isIgnored(path, isDirectory: false))
        let star = String(repeating: "*a", count: 30) + "*b"
        #expect(!GitIgnore.glob(Array(star.utf8)[...], matches: Array(String(repeating: "a", count: 200).utf8)[...]))
    }
}
