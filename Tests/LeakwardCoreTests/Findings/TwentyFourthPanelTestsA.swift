import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardFindings
@testable import LeakwardModel

/// Shapes of the twenty-fourth held-out set (coding CLIs, RAG chat apps): a test's mock PEM key
/// that keeps a real key's first line and then words, Express's own error message quoting
/// `cookieParser("secret")` inside a minified bundle, planted secrets in an LLM app's `.eval.ts`
/// test, a sample basic-auth pair written base64-encoded. Values are made up at test time, never
/// the panel's.
@Suite struct TwentyFourthPanelTestsA: PanelShapeSuite {
    var madeStream: UInt64 { 0x2424_C0DE_5EED_0024 }

    /// DER: a tag, its length (short or long form) and the content.
    private func der(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        let n = content.count
        let length: [UInt8] = n < 128 ? [UInt8(n)] : (n < 256 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 0xFF)])
        return [tag] + length + content
    }

    /// A SEC 1 EC private key (P-256) made of made-up bytes: complete DER, so its block parses.
    private func ecKeyDER() -> [UInt8] {
        let bytes = Array(made(96, "0123456789abcdef").utf8)
        let secret = (0..<32).map { bytes[$0] &* 7 &+ UInt8($0) }
        let point = [0x04] + (0..<64).map { bytes[32 + $0] &* 13 &+ UInt8($0) }
        let curve = der(0xA0, [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07])
        return der(0x30, der(0x02, [1]) + der(0x04, secret) + curve + der(0xA1, der(0x03, [0] + point)))
    }

    private func pem(_ label: String, _ body: String) -> String {
        "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----"
    }

    @Test func aMockKeyCutShortAfterItsFirstLineIsNoKey() {
        let whole = Data(ecKeyDER()).base64EncodedString(options: [.lineLength64Characters])
            .replacingOccurrences(of: "\r\n", with: "\n")
        let full = pem("EC PRIVATE KEY", whole)
        #expect(OfflineCheck.privateKey(Array(full.utf8)).validation == .structureValid)
        // A mock keeps the first line (and with it the DER header saying how long the key is), then words.
        let firstLine = String(whole.prefix(64))
        let mock = pem("EC PRIVATE KEY", firstLine + "\ntest-private-key-content")
        let verdict = OfflineCheck.privateKey(Array(mock.utf8))
        #expect(verdict.validation == .unchecked)
        #expect(verdict.notes.contains { $0.hasPrefix("cut short") }, "\(verdict.notes)")
        // The same in PKCS#8's encrypted form: a real first line, then a sentence.
        let encrypted = pem("ENCRYPTED PRIVATE KEY", "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI" + made(16) + "\nTest encrypted key")
        #expect(OfflineCheck.privateKey(Array(encrypted.utf8)).validation == .unchecked)

        let test = "  const mockKey = `\(mock)`;\n"
        #expect(scan(test, at: "packages/core/src/mcp/mtls-provider.test.ts").allSatisfy { $0.severity == .info })
        // Must stay: the whole key in a test (real keys get pasted into tests) and the mock in production code.
        #expect(scan("  const key = `\(full)`;\n", at: "packages/core/src/mcp/mtls-provider.test.ts")
            .contains { $0.rule == "private-key.pem" && $0.severity > .info })
        #expect(scan(test, at: "packages/core/src/mcp/mtls-provider.ts").contains { $0.rule == "private-key.pem" && $0.severity > .info })
    }

    @Test func expressErrorMessageInAMinifiedBundleIsNoSessionSecret() {
        // A piece of Express's response code as a bundle minifies it: followed from the line's
        // start, its regular expressions and escapes leave the message's quote read as closed.
        let bundle = [
            #"uffer.from(a,n),n=void 0,c=a.length),this.set("Content-Length",c));var p;return l&&c!==void 0&&(p=o("#,
            #"a,n))&&this.set("ETag",p),t.fresh&&this.status(304),(this.statusCoontent-Type-Options","nosniff"),th"#,
            #"is.set("Content-Type","text/javascript"),o=o.replace(/[^\[\]\w$.]/g,""),s===void 0?s="":typeof s=="s"#,
            #"tring"&&(s=s.replace(/\u2028/g,"\\u2028").replace(/\u2029/g,"\\u2029")),s="/**/ tying(e);return this"#,
            #".status(e),this.type("txt"),this.send(a)};be.sendFile=function(e,a,n){var t=n,i=this.req,s=this,o=i."#,
            #"next,l=a||{};if(!e)throw new TypeError("path argument is required to res.sendFile");if(typeof e!="st"#,
            #"ring")throw new TypeError("path must be a string to res.sendFile");if(typeof a=="function"&&(t=a,l={"#,
            #"}),!l.root&&!C5(e))throw new TypeError("path must be absolute or specify root to res.sendFile");var "#,
            #"c=encodeURI(e);l.etag=this.app.enabled("etag");var p=D5(i,c,l);L5(s,p,l,function(u){if(t)return t(u)"#,
            #";if(u&&u.code==="EISDIR"throw new Error('cookieParser("secret") required for signed cookies');var s="#,
            #"t"#,
        ].joined() + "\n"
        #expect(!scan(bundle, at: "extension/dist/extension.js").contains { $0.rule == "session.express-secret" && $0.severity > .info })
        // Must stay: a secret handed to the middleware.
        let app = "app.use(cookieParser(\"\(made(28))\"));\n"
        #expect(scan(app, at: "server/app.js").contains { $0.rule == "session.express-secret" && $0.severity > .info })
    }

    @Test func plantedSecretsInAnEvalAreATestsValues() {
        let planted = "const env = [\n  'JWT_SECRET=\(made(30))',\n  'DB_PASSWORD=\(made(18))',\n].join('\\n');\n"
        #expect(scan(planted, at: "evals/security_boundary.eval.ts").allSatisfy { $0.severity == .info })
        // Must stay: the same values in the app's own code.
        #expect(scan(planted, at: "src/security_boundary.ts").contains { $0.severity > .info })
    }

    @Test func aSampleBasicAuthPairIsNoTokenEvenEncoded() {
        let encoded = Data("foo:bar".utf8).base64EncodedString()
        let config = "auth:\n  secret_key:\n  scim_token: \(encoded)\n"
        #expect(scan(config, at: "src/backend/config/secrets.yaml").allSatisfy { $0.severity == .info })
        #expect(scan("auth:\n  scim_credentials: user:password\n", at: "src/backend/config/secrets.yaml").allSatisfy { $0.severity == .info })
        // Must stay: an encoded pair of a real user and a generated password.
        let real = Data("scim-sync:\(made(20))".utf8).base64EncodedString()
        #expect(scan("auth:\n  scim_token: \(real)\n", at: "src/backend/config/secrets.yaml").contains { $0.severity > .info })
    }

    @Test func geminiCLIsPublishedClientSecretBesideAnotherClientIDIsPublic() {
        // Gemini CLI's installed-app client secret (public by design: Google publishes it in
        // gemini-cli's source), copied by a Go port beside a client ID of the port's own.
        let published = "GOCSPX-" + "4uHgMPm-1o7Sk-geV6Cu5clXFsxl"
        #expect(ValueSignals.bundled.publishedSecretReason(for: Array(published.utf8)) != nil)
        let port = "const (\n\toauthClientID = \"\(made(12, "0123456789"))-\(made(32, "abcdefghijklmnopqrstuvwxyz0123456789")).apps.googleusercontent.com\"\n"
            + "\toauthClientSecret = \"\(published)\"\n)\n"
        #expect(scan(port, at: "gemini-cli-go/pkg/auth/auth.go").allSatisfy { $0.severity == .info })
        // Must stay: another GOCSPX secret beside the same kind of client ID.
        let own = port.replacingOccurrences(of: published, with: "GOCSPX-" + made(28))
        #expect(scan(own, at: "gemini-cli-go/pkg/auth/auth.go").contains { $0.rule == "gcp.oauth-client-secret" && $0.severity > .info })
    }
}
