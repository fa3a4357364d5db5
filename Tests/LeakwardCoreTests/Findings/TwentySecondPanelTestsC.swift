import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardFindings
@testable import LeakwardModel

/// Shapes seen on the twenty-second fresh held-out panel (AI search engines, LLM libraries and
/// clients), third part: a key pasted into a cloud console's generated "consume" script.
/// Values are made up at test time, never the panel's.
@Suite struct TwentySecondPanelTestsC: PanelShapeSuite {
    /// The script Azure Machine Learning's "Consume" tab hands out, with a key pasted where it
    /// says to, at `endpoint`.
    private func consumeScript(endpoint: String, key: String) -> String {
        "import urllib.request\nimport json\n\nbody = str.encode(json.dumps(data))\n\n"
            + "url = 'https://\(endpoint).eastus2.inference.ml.azure.com/score'\n"
            + "# Replace this with the primary/secondary key, AMLToken, or Microsoft Entra ID token for the endpoint\n"
            + "api_key = '\(key)'\nif not api_key:\n    raise Exception(\"A key should be provided to invoke the endpoint\")\n\n"
            + "headers = {'Content-Type':'application/json', 'Authorization':('Bearer '+ api_key)}\n"
    }

    @Test func anAzureMLEndpointKeyBesideItsScoringURLFailsCIInAnExample() {
        let key = made(32)
        // Must fail CI: a real deployment's scoring URL names what the key opens, even in an example script.
        for path in ["aais_example.py", "examples/azureml/score_client.py", "notebooks/call_endpoint.ipynb"] {
            let found = scan(consumeScript(endpoint: "acme-phi-3-mini", key: key), at: path)
            #expect(found.contains { $0.rule == "azure.ml-endpoint-key-beside-scoring-url" && $0.severity == .high }, "\(path): \(found)")
        }
        // A serverless deployment's endpoint, key after it in a client's arguments.
        let serverless = "client = ChatCompletionsClient(\n    endpoint=\"https://Phi-3-mini-acme.eastus2.models.ai.azure.com\",\n"
            + "    api_key=\"\(key)\",\n)\n"
        let found = scan(serverless, at: "examples/phi3.py")
        #expect(found.contains { $0.rule == "azure.ml-endpoint-key-beside-scoring-url" && $0.severity == .high }, "\(found)")
    }

    @Test func aConsumeScriptWithAPlaceholderEndpointOrNoKeyStaysQuiet() {
        // Must not fail CI: the documentation's placeholder endpoint names no deployment.
        for endpoint in ["<endpoint-name>", "your-endpoint", "{endpoint}"] {
            let found = scan(consumeScript(endpoint: endpoint, key: made(32)), at: "docs/consume.py")
            #expect(!found.contains { $0.rule == "azure.ml-endpoint-key-beside-scoring-url" }, "\(endpoint): \(found)")
            #expect(found.allSatisfy { $0.severity == .info }, "\(endpoint): \(found)")
        }
        // The script as the portal gives it: an empty key.
        let empty = scan(consumeScript(endpoint: "acme-phi-3-mini", key: ""), at: "score.py")
        #expect(empty.isEmpty, "\(empty)")
    }
}
