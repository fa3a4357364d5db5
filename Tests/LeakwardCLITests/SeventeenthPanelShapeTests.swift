import Foundation
import Testing

/// Shapes from the seventeenth fresh held-out panel (LLM frameworks, agent platforms, RAG tools,
/// evaluation and observability libraries, MCP servers), each with what must be reported and
/// what must not. Secrets are put together here so that no fixture holds one whole.
@Suite struct SeventeenthPanelShapeTests {
    /// A pull request committed its workspace's Go module cache under another name
    /// (`GOMODCACHE=.tmp-gomodcache`): `golang.org/x/oauth2@v0.36.0/…` and the toolchain's
    /// `golang.org/toolchain@v0.0.1-go1.25.12…/src/…` hold other modules' test keys, as fetched.
    /// A module folder is `path@version`; the project's own Go file keeps its finding.
    @Test func aGoModuleCacheUnderAnyNameIsVendored() throws {
        let dir = try Scratch()
        let key = "gsk_" + "1q4skzvjQ93JTgUuN4Qj6gB8" + "lRa1tCfdYX0soo1GPVU5rvq31sGN"
        let body = "package x\n\nconst groqKey = \"\(key)\"\n"
        try dir.write(".tmp-gomodcache/golang.org/x/oauth2@v0.36.0/google/externalaccount/aws_test.go", body)
        try dir.write(".tmp-gomodcache/cache/download/golang.org/x/oauth2/@v/list.go", body)
        try dir.write("web/@vendors/ui/keys.go", body)
        try dir.write("pkg/llm/groq.go", body)
        let found = try CLI.rulesByPath(dir)
        #expect(found[".tmp-gomodcache/golang.org/x/oauth2@v0.36.0/google/externalaccount/aws_test.go"] == ["groq.api-key info"], "\(found)")
        #expect(found[".tmp-gomodcache/cache/download/golang.org/x/oauth2/@v/list.go"] == ["groq.api-key info"], "\(found)")
        // A folder that opens with `@v` (an npm scope such as `@vercel`) is no module folder.
        #expect(found["web/@vendors/ui/keys.go"] == ["groq.api-key high"], "\(found)")
        #expect(found["pkg/llm/groq.go"] == ["groq.api-key high"], "\(found)")
    }

    /// The Standard Webhooks specification's test secret in a client's signature test, and
    /// Hardhat's first default account key in an agent's Ethereum tool: published values, not
    /// anyone's credential. Another `whsec_` secret stays reported.
    @Test func publishedTestVectorsAreNoLeaks() throws {
        let dir = try Scratch()
        try dir.write("tests/Webhooks/WebhookSignatureVerifier.php", """
            <?php
            $secret = '\("whsec_" + "MfKQ9r8GKYqrTwjUPD8IL" + "PZIo2LaLaSw")';
            $other = '\("whsec_" + "Zq7kP2mV9xB4nR8tW3yL6" + "cF1dJ5sA0gH")';

            """)
        try dir.write("src/providers/blockrun.rs", """
            let private_key = "\("0xac0974bec39a17e36ba4a6b4d238ff94" + "4bacb478cbed5efcae784d7bf4f2ff80")";

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["tests/Webhooks/WebhookSignatureVerifier.php"]?.count == 1, "\(found)")
        #expect(found["src/providers/blockrun.rs"] == nil, "\(found)")
    }

    /// `"opt_token": "0xc6D3…"` in a JSON allowlist of a trading bot: `0x` and 40 hex digits is
    /// an Ethereum address (a token contract's), public on the chain. A random value under the
    /// same name is still reported.
    @Test func anEthereumAddressIsNoSecret() throws {
        let dir = try Scratch()
        try dir.write("config/allowlist.json", """
            {"opt_token": "\("0xc6D31F2F6CcBcd10" + "1604a92C6c08e0aee2937B3a")", "api_token": "\("Rk8vQ2mZ7pX4" + "tL9nB3wY6cF1dJ5s")"}

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["config/allowlist.json"] == ["generic.assignment medium"], "\(found)")
    }

    /// A `.gitleaks.toml` with allowlists and no rules (only quieting known files) is read as
    /// adding them to the defaults: taken literally no rule would run and the scan would report
    /// nothing. A file it allowlists stays quiet.
    @Test func anAllowlistOnlyGitleaksConfigExtendsTheDefaults() throws {
        let dir = try Scratch()
        try dir.write(".gitleaks.toml", """
            title = "Gitleaks Config"

            [[allowlists]]
            description = "Ignore known false positives"
            paths = ["docker/compose.yaml"]

            """)
        let key = "gsk_" + "1q4skzvjQ93JTgUuN4Qj6gB8" + "lRa1tCfdYX0soo1GPVU5rvq31sGN"
        try dir.write("app/settings.py", "GROQ_API_KEY = \"\(key)\"\n")
        try dir.write("docker/compose.yaml", "environment:\n  - GROQ_API_KEY=\(key)\n")
        let result = try CLI.run(["scan", dir.path, "--format", "json"])
        let findings = try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? []
        let paths = findings.map { CLI.relativePath($0, in: dir) }
        #expect(paths == ["app/settings.py"], "\(paths)")
        #expect(result.stderr.contains("has no rules and does not extend the defaults"), "\(result.stderr)")
    }

    /// An agent run saved the travel site's pages it visited (`temp/run_…/html_3.html`, naming
    /// `https://www.ebookers.ch/…` as its canonical address): the page state's client keys and
    /// visitor tokens went to every visitor, so a formatless value there is reported at info.
    /// A page with no public address of its own keeps its finding, and a provider's key keeps
    /// its severity in a served page.
    @Test func aSavedCopyOfASitesPageIsNoLeakOfItsState() throws {
        let dir = try Scratch()
        let state = "\"key\":\"" + "k4a5mpukf6a2v4vz" + "sqkjmdgs\",\"secret\":\"" + "mFCDTVv86FVv2Xv" + "Kawucfta7\""
        let page = """
            <html data-language="de_CH" lang="de">
             <head>
              <title>Fluege</title>
              <link href="https://www.travel.example/Fluege" rel="canonical"/>
             </head>
             <body><script>window.__STATE__={"svc":{\(state)}}</script></body>
            </html>

            """
        try dir.write("temp/run_flight_search/html_10.html", page)
        try dir.write("public/admin.html", page.replacingOccurrences(of: "<link href=\"https://www.travel.example/Fluege\" rel=\"canonical\"/>", with: ""))
        let key = "gsk_" + "1q4skzvjQ93JTgUuN4Qj6gB8" + "lRa1tCfdYX0soo1GPVU5rvq31sGN"
        try dir.write("temp/run_flight_search/html_11.html", page.replacingOccurrences(of: "</body>", with: "<script>const GROQ = \"\(key)\"</script></body>"))
        let found = try CLI.rulesByPath(dir)
        #expect(found["temp/run_flight_search/html_10.html"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["public/admin.html"]?.contains { $0.hasPrefix("generic.assignment ") && !$0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["temp/run_flight_search/html_11.html"]?.contains("groq.api-key high") == true, "\(found)")
    }

    /// `password: difyai123456` in a deep-research service's application.yml that runs Dify
    /// beside it: Dify's own documented default database password, public in its guide.
    @Test func difysDocumentedDefaultPasswordIsASample() throws {
        let dir = try Scratch()
        try dir.write("deepresearch/src/main/resources/application.yml", """
            spring:
              datasource:
                url: jdbc:postgresql://localhost:5432/dify
                username: postgres
                password: \("difyai" + "123456")
            service:
              password: \("Qm7vT2pX9" + "kR4wN8z")

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["deepresearch/src/main/resources/application.yml"]?.filter { !$0.hasSuffix(" info") }.count == 1, "\(found)")
    }

    /// Vendor-prefixed keys with no provider in their variable's name, in examples of pull
    /// requests: `OpenAI(api_key="fw_…")` (Fireworks AI), a committed `.traceroot-config.yaml`
    /// (TraceRoot), `api_key='ms-<uuid>'` (ModelScope). The prefix is the format, so an example
    /// folder does not quiet them.
    @Test func vendorPrefixedKeysInExamplesAreFound() throws {
        let dir = try Scratch()
        try dir.write("examples/datagen/star/api_speed_test.py", """
            client = OpenAI(base_url="https://api.fireworks.ai/inference/v1",
                            api_key="\("fw_" + "3ZZp8Rk2VvLm" + "9QxT4sNwYb7C")")

            """)
        try dir.write("examples/debug/.traceroot-config.yaml", "token: \"\("traceroot-" + "4f0c2a9e81d34b7c" + "9e6a51d0b8f3c27e")\"\n")
        try dir.write("examples/toolkits/edgeone_example.py", "toolkit = MCPToolkit(api_key='\("ms-" + "3c9e1f6a-7b2d-4e8f-" + "a1c5-9d0b6e2f4a87")')\n")
        try dir.write("examples/toolkits/template.py", "toolkit = MCPToolkit(api_key='ms-00000000-0000-0000-0000-000000000000')\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["examples/datagen/star/api_speed_test.py"]?.contains("fireworks.prefixed-key high") == true, "\(found)")
        #expect(found["examples/debug/.traceroot-config.yaml"] == ["traceroot.api-token high"], "\(found)")
        #expect(found["examples/toolkits/edgeone_example.py"] == ["modelscope.access-token high"], "\(found)")
        #expect(found["examples/toolkits/template.py"] == nil, "\(found)")
    }
}
