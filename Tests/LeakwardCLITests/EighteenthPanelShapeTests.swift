import Foundation
import Testing

/// Shapes from the eighteenth fresh held-out panel (AI chatbot applications and assistants:
/// ChatGPT/Bing/Bard clients, coding assistants, chat UIs, a local inference server), each with
/// what must be reported and what must not. Secrets are put together here so that no fixture
/// holds one whole.
@Suite struct EighteenthPanelShapeTests {
    /// A coding agent's auth service kept its Firebase web config commented out for another
    /// environment (`// apiKey: …` over `// authDomain: …`) and refreshed tokens through
    /// `securetoken.googleapis.com/v1/token?key=${"AIza…"}`: the same public web key as the live
    /// config. An AIza key with no Firebase context stays reported.
    @Test func aCommentedFirebaseConfigIsStillTheWebConfig() throws {
        let dir = try Scratch()
        let staging = "AIzaSyASSwkwX1kSO8vd" + "dkZkE5N19QU9cVQ0CIk"
        let prod = "AIzaSyC5rx59Xt8UgwdU" + "3PCfzUF7vCwmp9-K2vk"
        let gemini = "AIzaSyD8wtkd1I-EICuA" + "g6xgAQpRdwYTvwxZG2w"
        try dir.write("src/services/auth/AuthService.ts", """
            const authProvidersConfigs = [
            \t{
            \t\tname: "firebase",
            \t\t// config: {
            \t\t// \tapiKey: "\(staging)",
            \t\t// \tauthDomain: "acme-staging.firebaseapp.com",
            \t\t// \tprojectId: "acme-staging",
            \t\t// },
            \t},
            ]

            """)
        try dir.write("src/services/auth/providers/FirebaseAuthProvider.ts", """
            const url = `https://securetoken.googleapis.com/v1/token?key=${"\(prod)"}` // Replace with your actual API key;

            """)
        try dir.write("src/api/gemini.ts", "const client = new GoogleGenAI({ apiKey: \"\(gemini)\" })\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["src/services/auth/AuthService.ts"] == ["google.firebase-web-key info"], "\(found)")
        #expect(found["src/services/auth/providers/FirebaseAuthProvider.ts"] == ["google.firebase-auth-url-key info"], "\(found)")
        #expect(found["src/api/gemini.ts"] == ["google.api-key high"], "\(found)")
    }

    /// Cirrus CI keeps a repository's secrets as `ENCRYPTED[…]` in `.cirrus.yml`: ciphertext only
    /// Cirrus decrypts, reported at info with the reason. A plain value under the same key is not.
    @Test func aCirrusEncryptedVariableIsCiphertext() throws {
        let dir = try Scratch()
        let cipher = "ENCRYPTED[!2c9b4746de765859c11df043adafe1247876c7d5" + "35edc439eac66d8c1e88029b96e67a8023c36dfec30ee78ca5109089!]"
        try dir.write(".cirrus.yml", "env:\n  DOCKER_USERNAME: acme\n  DOCKER_PASSWORD: \(cipher)\n")
        try dir.write("deploy/ci.yml", "env:\n  DOCKER_USERNAME: acme\n  DOCKER_PASSWORD: \("Qm7vT2x" + "Lp9sW4kR")\n")
        let (_, found) = try CLI.scanFindings(dir)
        let cirrus = found.filter { CLI.relativePath($0, in: dir) == ".cirrus.yml" }
        #expect(cirrus.allSatisfy { $0["severity"] as? String == "info" }, "\(cirrus)")
        #expect(cirrus.contains { ($0["notes"] as? [String] ?? []).contains { $0.contains("encrypted value") } }, "\(cirrus)")
        #expect(found.contains { CLI.relativePath($0, in: dir) == "deploy/ci.yml" && $0["severity"] as? String != "info" }, "\(found)")
    }

    /// A model gallery's YAML description holds a Python sample (`tokenize=False,` inside
    /// `apply_chat_template(…)`): a keyword and its comma is an argument, not a config value.
    @Test func aKeywordArgumentInAYamlBlockIsNoValue() throws {
        let dir = try Scratch()
        try dir.write("gallery/index.yaml", """
            - name: "gemma-3"
              description: |
                text = processor.apply_chat_template(
                    messages,
                    tokenize=False,
                    add_generation_prompt=True,
                )

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["gallery/index.yaml"] == nil, "\(found)")
    }

    /// Bard/Gemini and Bing Chat web clients sign in with the account's session cookies:
    /// `__Secure-1PSID`/`__Secure-1PSIDTS` (printed back by the client in a notebook's output)
    /// and Bing's `_U` (a `cookies.json`, a cookie header's fallback). Placeholders stay quiet.
    @Test func webClientSessionCookiesAreCredentials() throws {
        let dir = try Scratch()
        let sidts = "sidts-k0tpUnDp3zwa6NNVOqU4saJg4u4Upu0A" + "G6Lt9cUj5WGGziV9EFVR85OPh6YbcS_0YeZs-r"
        let psid = "g.a0000PLQObTMtK3keFKzLPwy7FELKi6ZOCK00BXWES_j36wZr_3E-TrXZ0IIJSc_Gs-Ulc1zfLO78q" + "TH-rMmpDt_r9VL0BsL1xe-2iTsGrDGEgeVgptKff4aGj4bGdqS0zaUEaTLJcMV6k3d"
        let bing = "wB1we3_8gwOwtXtTFx2nMk6uaROQhmz5cv7LZlkGPKp33uDW4mbcuRUFaH2qPMJ0IBLgdfz3UMTeuSsdcgJ4UxU6puaAbo6ZEA0tR2gf" + "-0oB6M2NTdNaIgl_MLgyIANedglJuto6B6Ts_W0VMgiMk14DXPaH0ZNDsTzdbc7QrEj03RSa9eeB-XnRN9pwEF"
        try dir.write("notebooks/bard_session.py", """
            print("New cookies: {'__Secure-1PSIDTS': '\(sidts)', 'Domain': '.google.com'}")
            cookies = {"__Secure-1PSID": "\(psid)"}

            """)
        try dir.write("cookies.json", "[{\"domain\": \".bing.com\", \"name\": \"_U\", \"path\": \"/\", \"value\": \"\(bing)\"}]\n")
        // A browsing agent's example committed a browser's cookie export: Google's own prefix
        // (`g.a000`) keeps the cookie's severity in an example folder, as a prefixed key does.
        try dir.write("examples/open_deep_research/scripts/cookies.py", """
            COOKIES_LIST = [
                {
                    "domain": ".youtube.com",
                    "httpOnly": True,
                    "name": "__Secure-3PSID",
                    "path": "/",
                    "value": "\(psid)",
                },
            ]

            """)
        try dir.write("src/BingAIClient.js", "const cookie = this.options.cookies || `_U=\(bing)`;\n")
        try dir.write("settings.example.js", """
            // "_U" cookie from bing.com
            userToken: '',
            cookies = {"__Secure-1PSID": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx."}

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["notebooks/bard_session.py"] == ["google.session-cookie high", "google.session-cookie high"], "\(found)")
        #expect(found["cookies.json"] == ["bing.session-cookie high"], "\(found)")
        #expect(found["examples/open_deep_research/scripts/cookies.py"] == ["google.session-cookie high"], "\(found)")
        #expect(found["src/BingAIClient.js"] == ["bing.session-cookie high"], "\(found)")
        #expect(found["settings.example.js"] == nil, "\(found)")
    }
}
