import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardFindings
@testable import LeakwardModel

/// Shapes of the twenty-fifth held-out set (roleplay chat notebooks, LLM courses): leaked OpenAI
/// keys later defanged by deleting their middle (`sk-` and a few characters left under
/// `openai.api_key`), a config's `sk-` stub, and a vendor's published sample-data MongoDB login
/// in a tutorial notebook. Values are made up at test time, never the panel's.
@Suite struct TwentyFifthPanelTestsB: PanelShapeSuite {
    var madeStream: UInt64 { 0x2525_B0B0_5EED_0025 }

    private func failing(_ findings: [(rule: String, severity: Severity, notes: [String])]) -> [(rule: String, severity: Severity, notes: [String])] {
        findings.filter { $0.severity > .info }
    }

    @Test func anOpenAIKeyWithItsMiddleDeletedIsNoKey() {
        let alnum = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"
        for count in [14, 18, 23, 26, 30] {
            let line = "openai.api_key = 'sk-\(made(count, alnum))'  # enter your OpenAI API token here\n"
            let found = scan(line, at: "src/app.py")
            #expect(failing(found).isEmpty, "\(count): \(found)")
            #expect(found.contains { $0.notes.contains { $0.contains("too short for any key issued under that prefix") } }, "\(count): \(found)")
        }
        // A stub where a config's key goes.
        let stub = scan("{\n    \"openai_apikey\": \"sk-\(made(3, alnum))\",\n    \"model\": \"gpt-3.5-turbo\"\n}\n", at: "research/raw_code/config.json")
        #expect(failing(stub).isEmpty, "\(stub)")
        // Must stay: the lengths keys are issued with under the prefix (LiteLLM's `sk-` and 22,
        // the compatible servers' `sk-` and 32 hex), a whole OpenAI-length key, and a short
        // `sk-` value under a name that says no provider (half of a key split in two).
        let litellm = "OPENAI_API_KEY = 'sk-\(made(22, alnum))'\n"
        #expect(!failing(scan(litellm, at: "src/agents.py")).isEmpty)
        let hex = "openai.api_key = 'sk-\(made(32, "0123456789abcdef"))'\n"
        #expect(!failing(scan(hex, at: "src/agents.py")).isEmpty)
        let whole = "openai.api_key = 'sk-\(made(48, alnum))'\n"
        #expect(!failing(scan(whole, at: "src/agents.py")).isEmpty)
        let half = "api_key1 = \"sk-\(made(18, alnum))\"\napi_key2 = \"\(made(30, alnum))\"\nopenai.api_key = api_key1 + api_key2\n"
        #expect(failing(scan(half, at: "kyon_generator/synthesis.py")).count == 2, "\(scan(half, at: "kyon_generator/synthesis.py"))")
    }

    @Test func aVendorsPublishedSampleMongoLoginIsPublic() {
        let password = made(18)
        let cell = "source_mongo_url = \"mongodb+srv://mongo_sample_reader:\(password)@cluster1.tfutgo0.mongodb.net/?retryWrites=true&w=majority\"\n"
        #expect(failing(scan(cell, at: "notebooks/cdc_replication_from_mongodb.py")).isEmpty)
        // Must stay: the same login on another Atlas cluster.
        let other = cell.replacingOccurrences(of: "cluster1.tfutgo0", with: "cluster0.ab12cd3")
        #expect(!failing(scan(other, at: "notebooks/cdc_replication_from_mongodb.py")).isEmpty)
    }
}
