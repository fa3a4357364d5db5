import Foundation
import Testing

/// Shapes from the nineteenth fresh held-out panel (LLM frameworks, provider SDKs, RAG libraries,
/// observability SDKs), each with what must be reported and what must not. Secrets are put
/// together here so that no fixture holds one whole.
@Suite struct NineteenthPanelShapeTests {
    private let literal = "Zq8vN2rT5x" + "W9mK4bY7cH1fJ6dG3sA0eU"

    /// tox hands the developer's keys to the test run as `{env:NAME}` (`{env:NAME:default}`)
    /// under `setenv`: references to the environment, eight of them in one `tox.ini` of a
    /// branch. A literal written there is still a value.
    @Test func toxEnvironmentSubstitutionsAreReferences() throws {
        let dir = try Scratch()
        try dir.write("tox.ini", """
            [testenv]
            setenv =
                OPENAI_API_KEY = {env:OPENAI_API_KEY}
                ANTHROPIC_API_KEY = {env:ANTHROPIC_API_KEY:}
                AGENTOPS_API_KEY = \(literal)

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["tox.ini"] == ["generic.config-value medium"], "\(found)")
    }

    /// An entrypoint rewriting `/etc/environment`: `sed -i '/^NEXTAUTH_SECRET=/d'` deletes the
    /// setting's line before writing it anew. The name after a regular expression's `^` is a
    /// pattern; what follows its `=` (`/d`, sed's delete command) is no signing secret.
    @Test func aSedAddressIsNoSetting() throws {
        let dir = try Scratch()
        try dir.write("src/client/scripts/entrypoint.sh", """
            #!/bin/sh
            if [ -w /etc/environment ]; then
                sed -i '/^NEXTAUTH_SECRET=/d' /etc/environment
                echo "NEXTAUTH_SECRET=$NEXTAUTH_SECRET" >> /etc/environment
            fi
            grep -q '^JWT_SECRET=' .env || echo "JWT_SECRET missing"

            """)
        try dir.write("src/auth.ts", "const secret = \"\(literal)\";\nexport const JWT_SECRET = \"devsecret\";\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["src/client/scripts/entrypoint.sh"] == nil, "\(found)")
        #expect(found["src/auth.ts"]?.contains("session.signing-secret critical") == true, "\(found)")
    }

    /// The Azure Cosmos DB emulator's account key, printed in Microsoft's docs for
    /// `https://localhost:8081/`, in integration tests and an example notebook: public, like
    /// Azurite's. Another account key stays critical.
    @Test func theCosmosEmulatorKeyIsPublished() throws {
        let dir = try Scratch()
        let emulator = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqo" + "bD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
        let other = "Jyr41+fQPsmR4MiAeRhInvi1KE/0q9mLI/CPDTYaSm16JXMEspXXrh" + "TrowQMq3+hIP4AcL4waBdXnnKaQ3tbmG=="
        try dir.write("tests/integration/cache/test_factory.py",
                      "WELL_KNOWN_COSMOS_CONNECTION_STRING = \"AccountEndpoint=https://127.0.0.1:8081/;AccountKey=\(emulator)\"\n")
        try dir.write("app/settings.py",
                      "COSMOS = \"AccountEndpoint=https://acme.documents.azure.com:443/;AccountKey=\(other)\"\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["tests/integration/cache/test_factory.py"] == nil, "\(found)")
        #expect(found["app/settings.py"] == ["azure.storage-account-key critical"], "\(found)")
    }

    /// Provider keys the panel's pull requests pasted into notebooks, examples and tests, in
    /// shapes the catalogue did not know: a Neo4j Aura password under its instance's URI, a
    /// Cohere key handed to `new CohereRerank({ apiKey })`, a legacy LangSmith key (`ls__`), a
    /// Pydantic Logfire token, a Honeycomb key in an OpenTelemetry exporter's header, a Pinata
    /// API key (a JWT whose payload opens with `userInformation`). Each keeps its severity
    /// where a name-and-entropy value would drop to info.
    @Test func providerKeysInNotebooksExamplesAndTests() throws {
        let dir = try Scratch()
        let aura = "Xk3vR9qLm2TzW7cNb5Hy" + "Jd8FpGs1Ea4UoQi6Rt0Zw_Y"
        try dir.write("examples/notebooks/neo4j.ipynb", """
            {
             "cells": [
              {
               "cell_type": "code",
               "source": [
                "NEO4J_URI = \\"neo4j+s://e3b7a9c1.databases.neo4j.io\\"  # or neo4j+s://xxxx.databases.neo4j.io\\n",
                "NEO4J_USERNAME = \\"neo4j\\"\\n",
                "NEO4J_PASSWORD = \\"\(aura)\\"  # your password\\n",
                "AUTH = (NEO4J_USERNAME, NEO4J_PASSWORD)\\n"
               ]
              }
             ]
            }

            """)
        // The same password beside a local server's URI is a local database's.
        try dir.write("examples/local_graph.py", """
            NEO4J_URI = "neo4j://localhost:7687"
            NEO4J_PASSWORD = "\(aura)"

            """)
        try dir.write("examples/rerankers/CohereReranker.ts", """
            import { CohereRerank } from "llamaindex";

            const nodePostprocessor = new CohereRerank({
              apiKey: "\("Vq3Lz8TnR2xWc7KpM4yH" + "d9BsF6gJa1NeU5oXk0Qt")",
              topN: 4,
            });

            """)
        try dir.write("examples/supervisor.py", "%env LANGCHAIN_API_KEY=\("ls__e3b94c0d7a1f" + "4e2b8c65d09a3f7e1b42")\n")
        try dir.write("tests/test_mcp.py", """
            import logfire
            logfire.configure(send_to_logfire=True, token="\("pylf_v1_us_Wq7cR2mTz9KdX4bLp8vN" + "3sHf6GjY1aQe5UoZi0Bt7Rk2")", local=True)

            """)
        try dir.write("telemetry/otel-collector.yaml", """
            exporters:
              otlp:
                endpoint: "api.honeycomb.io:443"
                headers:
                  "x-honeycomb-team": "\("Kq7Rz2Xw9Lm" + "T4vBn8HcY3d")"

            """)
        func part(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        let pinata = part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
            + part("{\"userInformation\":{\"id\":\"4a7c9e12-3b5d-4f6a-8c2e-1d9e7f3a5b60\",\"email\":\"dev@acme.example\"},"
                   + "\"authenticationType\":\"scopedKey\",\"exp\":2398377140}")
            + "." + "Qm3xT8vLp2KdW9rZc4Hn7y" + "B1sF6gJ0aE5uO2iX8kR4w"
        try dir.write("libs/tools/tests/pinata.int.test.ts", "const tool = new PinataUpload({\n  pinataJwt: \"\(pinata)\",\n});\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["examples/notebooks/neo4j.ipynb"] == ["neo4j.aura-password high"], "\(found)")
        #expect(found["examples/local_graph.py"]?.contains("neo4j.aura-password high") != true, "\(found)")
        #expect(found["examples/rerankers/CohereReranker.ts"] == ["cohere.api-key high"], "\(found)")
        #expect(found["examples/supervisor.py"] == ["langsmith.api-key medium"], "\(found)")
        #expect(found["tests/test_mcp.py"] == ["logfire.token medium"], "\(found)")
        #expect(found["telemetry/otel-collector.yaml"] == ["honeycomb.api-key high"], "\(found)")
        #expect(found["libs/tools/tests/pinata.int.test.ts"] == ["pinata.api-jwt high"], "\(found)")
    }
}
