import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardFindings
@testable import LeakwardModel

/// Shapes of the twenty-third held-out set (agent example collections, agent SDKs, coding CLIs):
/// an n8n workflow's credential type name, a Hunter.io key in an agent's env template, a managed
/// database's password in a connection-check script whose user code fills in, a vendor's demo key
/// in a crawl of its docs. Values are made up at test time, never the panel's.
@Suite struct TwentyThirdPanelAgentExampleTests: PanelShapeSuite {
    var madeStream: UInt64 { 0x2323_C0DE_5EED_0023 }

    @Test func aCredentialTypeNameIsNoCredential() {
        // An n8n workflow export's HTTP node names the kind of credential it uses.
        let node = """
            {
              "parameters": {
                "authentication": "predefinedCredentialType",
                "nodeCredentialType": "googleDriveOAuth2Api",
                "url": "https://www.googleapis.com/drive/v3/files"
              }
            }

            """
        #expect(scan(node, at: "n8n_rag/RAG_AI_Agent_Template.json").allSatisfy { $0.severity == .info })
        let tokenType = "token_type = \"serviceAccountJsonV1\"\n"
        #expect(scan(tokenType, at: "app/auth.py").allSatisfy { $0.severity == .info })
        // Must stay: a random value under a type's name (digits throughout), and a secret's own name.
        #expect(Placeholder.isTypeName("googleDriveOAuth2Api"))
        #expect(!Placeholder.isTypeName("x8Kq2mZ7vR4tW9pL3nB6cY1h"))
        let digits = "credentialType = \"x8Kq2mZ7vR4tW9pL3nB6cY1h\"\n"
        #expect(scan(digits, at: "app/auth.py").contains { $0.severity > .info })
        let secret = "\"clientSecret\": \"\(made(32))\",\n"
        #expect(scan(secret, at: "app/config.json").contains { $0.severity > .info })
    }

    @Test func aHunterKeyIsFoundByItsNameAndItsAPIsURL() {
        let key = made(40, "0123456789abcdef")
        let env = "OPEN_ROUTER_API_KEY=\nHUNTER_API_KEY=\(key)\n"
        #expect(scan(env, at: "lead-generator-agent/.env.example").contains { $0.rule == "hunter.api-key" && $0.severity > .info })
        let url = "r = requests.get(\"https://api.hunter.io/v2/email-finder?domain=example.com&first_name=Ann&api_key=\(key)\")\n"
        #expect(scan(url, at: "agent/tools.py").contains { $0.rule == "hunter.api-key" && $0.severity > .info })
        // Must stay silent: a read from the environment, a zeroed value.
        #expect(!scan("HUNTER_API_KEY=os.getenv(\"HUNTER_API_KEY\")\n", at: "agent/tools.py").contains { $0.rule == "hunter.api-key" })
        #expect(!scan("HUNTER_API_KEY=\(String(repeating: "0", count: 40))\n", at: ".env").contains { $0.severity > .info })
    }

    @Test func aManagedDatabasesPasswordBehindAFilledInUserIsAPastedConnection() {
        // Supabase's pooler user is `postgres.<project ref>`; the script fills the ref in.
        let password = made(43, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789")
        let script = """
            project_ref = os.getenv("SUPABASE_REF", "")
            connection_strings = [
                f"postgresql://postgres.{project_ref}:\(password)@aws-0-us-east-1.pooler.supabase.com:6543/postgres",
            ]

            """
        #expect(scan(script, at: "tests/test_connection.py").contains { $0.rule == "database.url-password" && $0.severity > .info })
        // Must stay quiet: every part filled in, and the same literal on a compose service's host in a test.
        #expect(scan("url = f\"postgresql://{user}:{password}@{host}:5432/{db}\"\n", at: "app/db.py").isEmpty)
        let local = "url = f\"postgresql://postgres.{ref}:\(password)@db:5432/postgres\"\n"
        #expect(scan(local, at: "tests/test_connection.py").allSatisfy { $0.severity == .info })
    }

    @Test func aKeyItsDocsCallADemoKeyIsTheVendorsDemoKey() {
        // A crawl's JSON output keeps the docs page's code with its `\n` escapes.
        let key = made(32, "0123456789abcdef")
        let comment = "// Demo API key for demonstration only. Replace with your Public API key\\n"
        let page = "{\"html\": \"<script>\\n  const url = new URL('https://cdn.cms.example/api/v1/page');\\n  "
            + comment + "  url.searchParams.set('apiKey', '\(key)');\\n</script>\"}\n"
        #expect(scan(page, at: "output.json").allSatisfy { $0.severity == .info })
        // Must stay: the same key with no such comment.
        let bare = page.replacingOccurrences(of: comment, with: "")
        #expect(scan(bare, at: "output.json").contains { $0.severity > .info })
    }
}
