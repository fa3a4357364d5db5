import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardRules

/// Shapes seen on the fourteenth fresh held-out panel (AI chatbot applications: Telegram,
/// WhatsApp, LINE and DingTalk bots, ChatGPT-style web UIs, browser extensions, companion and
/// roleplay apps, voice assistants): each judged for what it is, with must-match and must-not
/// cases. Values are made up at test time, never the panel's.
@Suite struct AppPanelTests: PanelShapeSuite {
    var madeStream: UInt64 { 0x5851_F42D_4C95_7F2D }

    private var uuid: String {
        let hex = made(32, "0123456789abcdef")
        let digits = Array(hex)
        func run(_ from: Int, _ count: Int) -> String { String(digits[from..<(from + count)]) }
        // A version-4 UUID: its version digit and variant bits as a generator writes them.
        return [run(0, 8), run(8, 4), "4" + run(12, 3), "a" + run(15, 3), run(20, 12)].joined(separator: "-")
    }

    @Test func aKeyInAModelVendorsOwnModuleIsTheProjectsCode() {
        // `src/modules/llms/vendors/gemini/gemini.vendor.ts`: the app's module about a vendor.
        let key = "AIza" + made(35, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        let text = "export const ModelVendorGemini = {\n  initializeSetup: () => ({\n    geminiKey: '\(key)', // Default API Key\n  }),\n};\n"
        let found = scan(text, at: "src/modules/llms/vendors/gemini/gemini.vendor.ts")
        #expect(found.contains { $0.rule == "google.api-key" && $0.severity > .info }, "\(found)")
        // Must not: a library copied into a vendors folder keeps its publisher's key at info.
        let copied = scan(text, at: "public/vendors/gemini/gemini.min.js")
        #expect(copied.allSatisfy { $0.severity == .info }, "\(copied)")
    }

    @Test func filesNamedAsExamplesWithADashOrUnderscoreAreExamples() {
        func place(_ path: String) -> LocationContext { CompiledChecks.place(of: .file(root: ".", path: path)) }
        #expect(place("wrangler-example.toml") == .example)
        #expect(place(".env-example") == .example)
        #expect(place("config_sample.yaml") == .example)
        #expect(FileKind.isTemplate(path: ".env-example"))
        // An example by name, not an env template: a script's 20-character sample stays at info there.
        #expect(!FileKind.isTemplate(path: "wrangler-example.toml"))
        #expect(!FileKind.isTemplate(path: "example/http/chat_assistant_example.sh"))
        // Must not: a word that merely ends in "example" (`counterexample.ts`) or holds it.
        #expect(place("src/counterexample.ts") == .production)
        #expect(!FileKind.isTemplate(path: "src/counterexample.ts"))
        // A list of stand-ins in an example config is at info; a key pasted there still fails CI.
        let stand = scan("OPENAI_API_KEY = 'SK-1,SK-2'\nTELEGRAM_AVAILABLE_TOKENS = 'TOKEN1,TOKEN2'\n", at: "wrangler-example.toml")
        #expect(stand.allSatisfy { $0.severity == .info }, "\(stand)")
        let pasted = scan("SESSION_TOKEN=\(made(32))\n", at: ".env-example")
        #expect(pasted.contains { $0.severity > .info }, "\(pasted)")
    }

    @Test func anUpperCaseSentenceCallingItselfFakeIsAStandIn() {
        let signals = ValueSignals.bundled
        #expect(signals.standInReason(for: Array(("THIS-IS-A-SECURE-" + "KEY-123-FAKE-KEY").utf8)) != nil)
        #expect(signals.standInReason(for: Array(("this-is-a-" + "fake-key").utf8)) != nil)
        // Must not: one capital letter between random runs is no article.
        #expect(signals.standInReason(for: Array((made(10) + "-A-" + made(11)).utf8)) == nil)
        let found = scan("const API_KEY = process.env.API_KEY || 'THIS-IS-A-SECURE-" + "KEY-123-FAKE-KEY'\n", at: "scripts/review-ux.js")
        #expect(found.allSatisfy { $0.severity == .info }, "\(found)")
    }

    @Test func aKeyIssuedAsAUUIDUnderAnAPIKeysNameIsReported() {
        let env = scan("OPENAI_API_HOST=\n\nPRODIA_API_KEY=\(uuid)\n", at: ".env")
        #expect(env.contains { $0.rule == "generic.uuid-api-key" && $0.severity > .info }, "\(env)")
        // Must not: an id, a request id, an anti-CSRF header.
        for text in ["api_key_id = \"\(uuid)\"\n", "request_id: \"\(uuid)\"\n", "headers: { 'X-Xsrf-Token': '\(uuid)' }\n"] {
            let found = scan(text, at: "src/app/bots/tongyi/api.ts")
            #expect(!found.contains { $0.rule == "generic.uuid-api-key" }, "\(text): \(found)")
        }
        // Must not: an embeddable widget's key in a front-end component, shipped to every visitor.
        let widget = scan("export const Widget = ({\n  apiKey = '\(uuid)',\n}) => null\n", at: "extensions/react-widget/src/components/Widget.tsx")
        #expect(!widget.contains { $0.rule == "generic.uuid-api-key" }, "\(widget)")
        // A key in a server module stays reported.
        let server = scan("ao_client = agentops.AgentOps(api_key='\(uuid)')\n", at: "app/telemetry.py")
        #expect(server.contains { $0.rule == "generic.uuid-api-key" && $0.severity > .info }, "\(server)")
        // Must not: a UUID under `secret_key` is an app's own signing key (a bot's HTTP auth key in
        // its config template, a chat site's request-signing key), not a provider's.
        for (text, path) in [("  \"http_auth_secret_key\": \"\(uuid)\",\n", "config-template.json"),
                             ("        secret_key = \"\(uuid)\"\n", "g4f/Provider/Chat.py")] {
            let found = scan(text, at: path)
            #expect(!found.contains { $0.rule == "generic.uuid-api-key" }, "\(path): \(found)")
        }
    }

    @Test func aPunctuatedPasswordLiteralInCodeIsReported() {
        let password = "rbk!QYW!" + "jux4mzn@rtz"
        let go = "func getConfig() gosnowflake.Config {\n\treturn gosnowflake.Config{\n\t\tAccount:   \"ab12345\",\n"
            + "\t\tUser:      \"SVC_CONNECT\",\n\t\tPassword:  \"\(password)\",\n\t\tDatabase:  \"staging\",\n\t}\n}\n"
        let found = scan(go, at: "main.go")
        #expect(found.contains { $0.rule == "generic.password-literal" && $0.severity > .info }, "\(found)")
        // Must not: a validation pattern, a format string, a hint sentence; in a test, at info.
        for text in ["passwordPattern = \"^[A-Za-z0-9!@#]{8,}$\"\n", "password_hint: \"Use 8+ characters!\"\n",
                     "dsn := fmt.Sprintf(\"%s:%s@tcp(%s)/%s\", user, password, host, db)\n"] {
            #expect(!scan(text, at: "main.go").contains { $0.rule == "generic.password-literal" }, "\(text)")
        }
        // Configuration is `generic.config-value`'s, with its typed defaults.
        #expect(!scan("[graph]\nusername=\"admin\"\npassword=\"73@TuGraph\"\n", at: "configs/graphrag.toml").contains { $0.rule == "generic.password-literal" })
        let inTest = scan(go, at: "internal/db/config_test.go")
        #expect(inTest.allSatisfy { $0.severity == .info }, "\(inTest)")
        // A vendor's documented default in code (TuGraph's admin password, passed to a local
        // TuGraph) is public: at info with the reason.
        let vendor = scan("    graph = TuGraphStore(host=\"127.0.0.1\", username=\"admin\", password=\"73@TuGraph\")\n", at: "dbgpt/rag/storage.py")
        #expect(!vendor.isEmpty && vendor.allSatisfy { $0.severity == .info && $0.notes.contains { $0.contains("vendor's documentation") } }, "\(vendor)")
    }

    @Test func aKeyOnATestRunsCommandLineIsTheTestRuns() {
        let key = made(32)
        let script = "{\n  \"scripts\": {\n    \"test:over-http\": \"cross-env LEON_NODE_ENV=testing LEON_HOST=http://localhost "
            + "LEON_HTTP_API_KEY=\(key) jest --forceExit\"\n  }\n}\n"
        let found = scan(script, at: "package.json")
        #expect(!found.isEmpty && found.allSatisfy { $0.severity == .info }, "\(found)")
        // Must not: the same key on a production start line, or beside a word that only begins so.
        for env in ["LEON_NODE_ENV=production", "LEON_NODE_ENV=tester"] {
            let start = script.replacingOccurrences(of: "LEON_NODE_ENV=testing", with: env)
            let other = scan(start, at: "package.json")
            #expect(other.contains { $0.severity > .info }, "\(env): \(other)")
        }
    }

    @Test func aKeyInsideABuiltBundleIsTheBundledCodes() {
        let body = "(()=>{\n  var e = {\n    7659: ()=>{}\n  };\n  const t = {\n    subscriptionKey: \"\(made(32, "0123456789abcdef"))\",\n  };\n})();\n"
        let bundle = scan("/*! For license information please see cib.bundle.js.LICENSE.txt */\n" + body, at: "src/app/bots/bing/code2.js")
        #expect(!bundle.isEmpty && bundle.allSatisfy { $0.severity == .info }, "\(bundle)")
        // Must not: the same code written in the project (no bundler's banner) fails CI.
        let own = scan("/* Bing client */\n" + body, at: "src/app/bots/bing/client.js")
        #expect(own.contains { $0.severity > .info }, "\(own)")
    }
}
