import Foundation
import Testing
@testable import LeakwardFindings
@testable import LeakwardRules

/// The data behind three recall rules: which names say whose API key a value is, which files
/// named like tests are scripts, and how the catalogues refuse what they do not know.
@Suite struct RecallSignalsTests {
    @Test func aNameSaysWhoseAPIKeyItIs() {
        let signals = ValueSignals.bundled
        for name in ["openai.api_key", "RIME_API_KEY", "COQUI_API_KEY", "openai_api_key", "coquiApiKey", "baidu_wenxin_api_key",
                     "weatherApikey"] {
            #expect(signals.namesProviderKey(name), "\(name)")
        }
        for name in ["api_key", "API_KEY", "MY_API_KEY", "self.api_key", "config.apiKey", "TEST_API_KEY", "x-api-key",
                     "OPENAI_SECRET", "openai_api_base", "a_api_key", "v2_api_key"] {
            #expect(!signals.namesProviderKey(name), "\(name)")
        }
        #expect(ValueSignals.nameWords("coquiApiKey") == ["coqui", "api", "key"])
        #expect(ValueSignals.nameWords("openai.api_key") == ["openai", "api", "key"])
    }

    @Test func aTestByItsNameAloneWithNoTestInItIsAScript() {
        let catalog = LocationCatalog.bundled
        func scratch(_ path: String, _ text: String) -> Bool {
            Array(text.utf8).withUnsafeBufferPointer { catalog.isScratchScript(path, text: $0) }
        }
        #expect(catalog.isTestByNameOnly("test_azure.py"))
        #expect(catalog.isTestByNameOnly("unfinished/openprompt/test.py"))
        #expect(!catalog.isTestByNameOnly("tests/test_azure.py"))
        #expect(!catalog.isTestByNameOnly("app/main.py"))
        let script = "key = 'x'\nclient.run(token=key)\nsubmit(key)\n"
        #expect(scratch("test_azure.py", script))
        #expect(scratch("test_auth.sh", "curl -H \"Authorization: Bearer $T\" https://x\n"))
        #expect(!scratch("tests/test_azure.py", script))
        #expect(!scratch("conftest.py", script))
        #expect(!scratch("test_azure.py", "import pytest\n" + script))
        #expect(!scratch("test_azure.py", "def test_client():\n    pass\n"))
        #expect(scratch("test_azure.py", "async def test_model():\n    pass\nif __name__ == \"__main__\":\n    main()\n"))
        #expect(!scratch("test-chat.js", "describe('chat', () => { it('works', () => {}) })\n"))
        #expect(scratch("test-chat.js", "const r = await submit(key)\nemit(r)\n"))
        #expect(!scratch("test_azure.ipynb", script))
        // In a test folder, only a program: an entry point and no test function.
        #expect(scratch("api/test/test.go", "package main\n\nfunc main() {\n\tfmt.Println(key)\n}\n"))
        #expect(scratch("tests/test_live.py", "key = 'x'\nif __name__ == \"__main__\":\n    run(key)\n"))
        #expect(!scratch("api/test/testhelper.go", "package test\n\nvar key = \"x\"\n"))
        #expect(!scratch("tests/test_live.py", "def test_live():\n    pass\nif __name__ == \"__main__\":\n    main()\n"))
        #expect(!scratch("api/test/helper.go", "package main\n\nfunc main() {}\n"))
    }

    @Test func aScratchScriptTalkingOnlyToThisMachineIsKnownByItsHosts() {
        let catalog = LocationCatalog.bundled
        func local(_ text: String) -> Bool { Array(text.utf8).withUnsafeBufferPointer { catalog.talksOnlyToLocalServers($0) } }
        #expect(local("rag = RAGFlow(api_key=k, base_url=\"http://localhost:9380\")\n"))
        #expect(local("u = 'http://127.0.0.1:9380/api'\nv = \"http://user:pw@[::1]:80/\"\n"))
        #expect(local("host = \"127.0.0.1:280\"\nurl = f\"http://{host}/v1\"\n# http://www.apache.org/licenses/LICENSE-2.0\n"))
        #expect(local("requests.post('http://ragflow:9380/v1', json=x)\n"))
        #expect(!local("requests.post('https://aip.baidubce.com/oauth/2.0/token')\nlocal = 'http://localhost:1'\n"))
        #expect(!local("client = Client(key)\nclient.run()\n"))
        #expect(!local("x = 'http://localhost:3000'\ny = 'https://api.partner-search.io/v1'\n"))
    }

    @Test func aPlaceholderDefaultIsKnownByItsSyntax() {
        func isDefault(_ text: String, _ value: String) -> Bool {
            let bytes = Array(text.utf8)
            let start = bytes.count - Array(value.utf8).count - 1
            return bytes.withUnsafeBufferPointer { FindingFilter.isPlaceholderDefault(at: start, in: $0) }
        }
        #expect(isDefault("jwt-secret-key: ${JWT_SECRET:starGPT666}", "starGPT666"))
        #expect(isDefault("secret: ${app.jwt.secret:devsecret1}", "devsecret1"))
        #expect(isDefault("SECRET=${SESSION_SECRET:-devsecret1}", "devsecret1"))
        #expect(!isDefault("jwt-secret-key: starGPT666}", "starGPT666"))
        #expect(!isDefault("url: http://host:starGPT666}", "starGPT666"))
    }

    @Test func theCataloguesRefuseUnknownKeys() {
        #expect(throws: (any Error).self) {
            try LocationCatalog(toml: "[scratch_scripts]\nname_prefixes = [\"test\"]\nextensions = [\".py\"]\nmarkers = [\"x\"]\n", path: "x.toml")
        }
        #expect(throws: (any Error).self) {
            try LocationCatalog(toml: "[scratch_scripts]\nname_prefixes = [\"test\"]\n", path: "x.toml")
        }
        #expect(throws: (any Error).self) { try ValueSignals(toml: "[provider_key_names]\nwords = [\"key\"]\n", path: "x.toml") }
    }
}
