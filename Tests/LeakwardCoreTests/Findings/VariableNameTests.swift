import Testing
@testable import LeakwardFindings

/// The name a value is assigned to, as the report prints it and as the filters judge it.
@Suite struct VariableNameTests {
    /// The name before the value that follows `⟦`.
    private func name(_ line: String) -> String? {
        let bytes = Array(line.utf8)
        let marker = Array("⟦".utf8)
        guard let at = (0...(bytes.count - marker.count)).first(where: { Array(bytes[$0..<($0 + marker.count)]) == marker }) else { return nil }
        let text = Array(bytes[..<at]) + Array(bytes[(at + marker.count)...])
        return text.withUnsafeBufferPointer { VariableName.before(at, in: $0) }
    }

    @Test func aTypeAnnotationIsNotTheName() {
        // A typed declaration names the declared name, not its type (the twenty-fifth panel's
        // `accessToken: str = "eyJ…"` was reported under `str`).
        #expect(name("    api_key: str = \"⟦sk-abc\"") == "api_key")
        #expect(name("    accessToken: str = \"⟦eyJ\"") == "accessToken")
        #expect(name("  private token: Optional[str] = \"⟦eyJ\"") == "token")
        #expect(name("  apiKey: string | undefined = '⟦abc'") == "apiKey")
        #expect(name("  headers: Dict[str, str] = ⟦abc") == "headers")
        #expect(name("val secret: String? = \"⟦abc\"") == "secret")
        #expect(name("    openai_key: typing.Optional[str] = \"⟦sk\"") == "openai_key")
    }

    @Test func otherColonsBeforeAnAssignmentKeepTheAssignedName() {
        // YAML's `env: TOKEN=…` and a command after a key name the variable set on the line.
        #expect(name("env: TOKEN=⟦abc") == "TOKEN")
        #expect(name("run: export API_TOKEN = ⟦abc") == "API_TOKEN")
        // The config decoder re-emits a setting as `config-value: KEY = "…"`: the value is KEY's.
        #expect(name("config-value: VNPAY_HASH_SECRET = \"⟦abc\"") == "VNPAY_HASH_SECRET")
        #expect(name("    self.api_key: str = \"⟦abc\"") == "self.api_key")
        // A colon that ends a condition, and PowerShell's environment drive, declare nothing.
        #expect(name("    if key is None: key = \"⟦AIza\"") == "key")
        #expect(name("    if debug: token = \"⟦abc\"") == "token")
        #expect(name("$env:FLASK_SECRET_KEY = \"⟦abc\"") == "FLASK_SECRET_KEY")
        // Declarations after keywords, in parameter lists and in comments name the declared name.
        #expect(name("  private readonly token: string = '⟦abc'") == "token")
        #expect(name("def f(app_id: str = \"x\", app_secret: str = \"⟦abc\"):") == "app_secret")
        #expect(name("# session_token: str = \"⟦eyJ\"") == "session_token")
        // A Rust or C++ path is no annotation.
        #expect(name("config::API_KEY = ⟦abc") == "API_KEY")
        // Plain assignments and keys as ever.
        #expect(name("OPENAI_API_KEY=⟦sk-abc") == "OPENAI_API_KEY")
        #expect(name("\"apiKey\": \"⟦abc\"") == "apiKey")
        #expect(name("token := \"⟦abc\"") == "token")
    }
}
