import Foundation
import Testing

/// Shapes from the twenty-first fresh held-out panel (voice agents, RAG chatbots, multi-agent
/// frameworks), each with what must be reported and what must not. Secrets are put together
/// here so that no fixture holds one whole.
@Suite struct TwentyFirstPanelVoiceAgentShapeTests {
    private let random = "Zq8vN2rT5x" + "W9mK4bY7cH1fJ6dG3sA0eU"

    /// An env template named without a dot (`ENVEXAMPLE` at a web scraper's top): its generated
    /// sample signing secret and the project-named session secret are the template's, reported
    /// at info as in `.env.example`. The same lines in a plain `.env` fail CI.
    @Test func aDotlessEnvTemplateIsATemplate() throws {
        let dir = try Scratch()
        // One secret per file: a credential found in both would carry the worse severity to both.
        func text(_ secret: String, _ session: String) -> String {
            """
            NODE_ENV=production                     # Set to 'development' or 'production' as required
            JWT_SECRET=\(secret)          # Replace with a secure JWT secret key
            SESSION_SECRET=\(session) # A strong, random string used to sign session cookies.

            """
        }
        try dir.write("ENVEXAMPLE", text(random, "acme_session"))
        try dir.write("server/.env", text("Hs8Kq2Lz7Vr4Tw9M" + "Qx4Tr8Lm2Wz7Kp9N", "acme_cookies"))
        let found = try CLI.rulesByPath(dir)
        #expect(found["ENVEXAMPLE"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(found)")
        #expect(found["server/.env"]?.contains("session.signing-secret critical") == true, "\(found)")
    }

    /// An example's own `.env` (no template suffix) beside real provider keys: a UUID key under
    /// a provider's name is the key the example ran with, not an illustration, and keeps its
    /// severity. A UUID under the same name in the example's README stays at info.
    @Test func anExamplesOwnEnvFileKeepsItsKeys() throws {
        let dir = try Scratch()
        // One value per file: a credential found in both would carry the worse severity to both.
        try dir.write("examples/patient-intake/.env", "CARTESIA_API_KEY=\"\("3f1bc9a2-ea6d-48ae-" + "8e35-c747e8350aa1")\"\n")
        try dir.write("examples/patient-intake/README.md",
                      "```\nexport CARTESIA_API_KEY=\"\("9d2e7b41-5c3a-4f8e-" + "b6d0-1a9c4e7f2b58")\"\n```\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["examples/patient-intake/.env"] == ["generic.uuid-api-key medium"], "\(found)")
        #expect(found["examples/patient-intake/README.md"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(found)")
    }

    /// A service's key sent in a header named as a key (`"toolbench_key": "<50 random>"` in a
    /// `requests.post(…, headers={…})`): no `api_key` in its name, a credential by the mapping.
    /// A nonce header and a placeholder are no key.
    @Test func aKeyHeaderInARequestsHeaders() throws {
        let dir = try Scratch()
        let key = "p5ZBSSLBO0EknAQLE5ecNZ7kq" + "5i1YfY9eoWUXNxL3TM6lXwdXs"
        try dir.write("agent/executor/tool_using.py", """
            response = requests.post(
                "http://10.1.2.3:8080/rapidapi",
                json=payload,
                headers={
                    "toolbench_key": "\(key)"
                },
                timeout=30,
            )

            """)
        try dir.write("agent/executor/retry.py", """
            requests.post(url, headers={"Idempotency-Key": "\(random)"})
            requests.post(url, headers={"toolbench_key": "your-toolbench-key-goes-here"})

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["agent/executor/tool_using.py"] == ["generic.header-key medium"], "\(found)")
        #expect(found["agent/executor/retry.py"] == nil, "\(found)")
    }

    /// A LiveKit API key's id (`API` and 12 letters and digits) as the fallback of
    /// `LIVEKIT_API_KEY`, beside an empty secret: the public half of the pair, which grants
    /// nothing alone. A random fallback of the secret is still reported.
    @Test func aLiveKitKeyIdIsNoSecret() throws {
        let dir = try Scratch()
        try dir.write("test_agent_connection.py", """
            import os
            livekit_url = os.getenv("LIVEKIT_URL", "wss://acme-6t7g46jn.livekit.cloud")
            livekit_api_key = os.getenv("LIVEKIT_API_KEY", "APIQwErTy8uIoPz")
            livekit_api_token = os.getenv("LIVEKIT_API_TOKEN", "\(random)")

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["test_agent_connection.py"] == ["generic.hardcoded-fallback high"], "\(found)")
    }
}
