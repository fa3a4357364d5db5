import Testing
@testable import LeakwardFindings
@testable import LeakwardRules

/// Shapes seen on the third fresh held-out panel (AI apps and agent frameworks, keys in
/// pull-request objects): each judged for what it is, with must-match and must-not cases.
@Suite struct HeldOutPanelTests {
    private func namesSetting(_ prefix: String) -> Bool {
        Array(prefix.utf8).withUnsafeBufferPointer { Placeholder.namesSetting(fallbackOf: $0) }
    }

    @Test func aFallbackForASettingIsNoSecret() {
        // Must not report: the variable's last word names a setting.
        #expect(namesSetting("process.env.EXTERNAL_AUTH_MODE || \""))
        #expect(namesSetting("process.env.PORTKEY_MODEL_PREF ?? \""))
        #expect(namesSetting("os.getenv(\"OCI_AUTH_FILE_LOCATION\", \""))
        // Must report: the last word is the credential's own.
        #expect(!namesSetting("process.env.JWT_SECRET || \""))
        #expect(!namesSetting("os.getenv(\"APP_SECRET\", \""))
        #expect(!namesSetting("${POSTGRES_PASSWORD:-"))
        #expect(!namesSetting("ENV.fetch(\"SECRET_KEY_BASE\") { \""))
        #expect(!namesSetting("os.getenv(\"TOKEN\", \""))
    }

    @Test func referencesAndCodeInsideConfigAreNoValues() {
        func generic(_ value: String) -> String? { Placeholder.genericReason(for: Array(value.utf8), variable: "password") }
        // A config loader's reference scheme names where the secret is read from.
        #expect(Placeholder.reason(for: Array("env:OPENAI_API_KEY".utf8)) != nil)
        #expect(Placeholder.reason(for: Array("secret:HF_TOKEN".utf8)) != nil)
        #expect(Placeholder.reason(for: Array("Qk2MPv8rT4wL9xZc".utf8)) == nil)
        // A program's variable and its comma inside YAML block text.
        #expect(generic("snowflake_password,") != nil)
        #expect(generic("result,") != nil)
        #expect(generic("Tr0ub4dor&3x,") == nil)
        // A sample cut short on purpose; a file path.
        #expect(generic("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJpZCI6...") != nil)
        #expect(generic("~/.oci/config") != nil)
        #expect(generic("w8Gd3Kq9Zr2Lp5Vt7Hx") == nil)
        // A saved Drupal page's anti-forgery token.
        #expect(Placeholder.genericReason(for: Array("JWqYziD-srVhzesQAmvAdDSJLncdpSmoKnLR_nXGtkM".utf8), variable: "theme_token") != nil)
    }

    @Test func whereHeldOutFilesSit() {
        // A notebook under `third_party/` is the project's own walkthrough; code there is vendored.
        #expect(LocationContext.of(path: "third_party/LlamaIndex/ReAct_Agent.ipynb") == .production)
        #expect(LocationContext.of(path: "third_party/llama/index.py") == .vendored)
        #expect(LocationContext.of(path: "examples/third_party/demo.ipynb") == .example)
        // A committed wheel's members are the package's files, its tests included.
        #expect(LocationContext.of(path: "auth0_python-4.7.1-py3-none-any.whl/auth0/test_async/test_verifier.py") == .vendored)
        #expect(LocationContext.of(path: "dist/app.whl") == .production)
        // An interface's translations are text for people.
        #expect(LocationContext.of(path: "frontend/src/locales/da/common.js") == .documentation)
        #expect(LocationContext.of(path: "config/i18n/en.yml") == .documentation)
        #expect(LocationContext.of(path: "frontend/src/local/config.js") == .production)
        #expect(throws: (any Error).self) {
            try LocationCatalog(toml: "[[context]]\nkind = \"vendored\"\nexcluded_suffix = [\".ipynb\"]\n", path: "x.toml")
        }
    }
}
