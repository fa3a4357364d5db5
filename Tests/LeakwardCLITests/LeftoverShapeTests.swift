import Foundation
import Testing

/// Shapes left over on the real-world panel after thirteen sets (issue 13), each with what must be
/// reported and what must not. Secrets are put together here so that no fixture holds one whole.
@Suite struct LeftoverShapeTests {
    private func rules(_ dir: Scratch) throws -> [String: [String]] { try CLI.rulesByPath(dir) }

    private let token = "Zq8" + "vN2rT5xW9mK4bY7c" + "H1fJ6dG3sA0eU"

    /// `sdk/python/test.py` posting to `http://localhost:9380` with an API key: a script named
    /// like a test that tests nothing is judged as a program, but one that talks only to this
    /// machine tries the developer's own instance, whose key nobody else can reach: a test's value,
    /// at info. The same script calling a remote API is a program with its author's key.
    @Test func aScratchScriptTalkingOnlyToLocalhostStaysATest() throws {
        let dir = try Scratch()
        try dir.write("sdk/python/test.py", """
            from ragflow_sdk import RAGFlow

            api_key = "\(token)"
            rag = RAGFlow(api_key=api_key, base_url="http://localhost:9380")
            print(rag.list_datasets())

            """)
        try dir.write("plugins/chat/test.py", """
            import requests
            api_key = "\(token)"
            host_address = "127.0.0.1:280"
            url = f"http://{host_address}/v1/api/completion"
            # Licensed under the Apache License, http://www.apache.org/licenses/LICENSE-2.0
            print(requests.post(url, headers={"Authorization": "Bearer " + api_key}).json())

            """)
        try dir.write("tools/test.py", """
            import requests
            api_key = "\(token)"
            requests.get("http://localhost:8080/health")
            print(requests.post("https://api.partner-search.io/v1/query", headers={"X-Key": api_key}).json())

            """)
        // A hosted project's session token (its `iss` a supabase.co URL) sent to a local server
        // is still that project's user's token.
        func part(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        let session = part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
            + part("{\"iss\":\"https://zzgk" + "ylsbdgwoohcb.supabase.co/auth/v1\",\"role\":\"authenticated\",\"exp\":2398377140}")
            + "." + "kP3vQ8nR2xT5wL9mZ7cB4" + "hJ6fD1gY0sA3eU8iO5pXq2"
        try dir.write("test_auth.sh", """
            TEST_TOKEN="\(session)"
            curl -H "Authorization: Bearer $TEST_TOKEN" http://localhost:3000/api/chat

            """)
        let found = try rules(dir)
        #expect(found["test_auth.sh"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["sdk/python/test.py"] == ["generic.assignment info"], "\(found)")
        #expect(found["plugins/chat/test.py"] == ["generic.assignment info"], "\(found)")
        #expect(found["tools/test.py"] == ["generic.assignment medium"], "\(found)")
    }

    /// `api/test/test.go`: `package main` with `func main()` calling Baidu's token endpoint with
    /// its author's key. Go never builds a `test.go` as a test (tests end in `_test.go`): in a test
    /// folder, a file with an entry point and no test function is the program it is. A test
    /// folder's helper with no entry point stays its fixture.
    @Test func aProgramInATestFolderIsJudgedAsAProgram() throws {
        let dir = try Scratch()
        try dir.write("api/test/test.go", """
            package main

            import "fmt"

            func main() {
            \tapiKey := "\(token)"
            \turl := fmt.Sprintf("https://aip.baidubce.com/oauth/2.0/token?client_id=%s", apiKey)
            \tfmt.Println(url)
            }

            """)
        try dir.write("api/test/testhelper.go", """
            package test

            var apiKey = "\(token)"

            """)
        try dir.write("tests/test_live.py", """
            api_key = "\(token)"

            def test_live():
                assert api_key

            """)
        // (The program also logs a token endpoint's answer: a config check, at info in a test folder.)
        let found = try rules(dir).mapValues { $0.filter { $0.hasPrefix("generic.") } }
        #expect(found["api/test/test.go"] == ["generic.assignment medium"], "\(found)")
        #expect(found["api/test/testhelper.go"] == ["generic.assignment info"], "\(found)")
        #expect(found["tests/test_live.py"] == ["generic.assignment info"], "\(found)")
    }

    /// `scripts/tenant-guard-api-smoke.mjs`: a smoke test run against a local server is a test.
    @Test func aSmokeTestScriptIsATest() throws {
        let dir = try Scratch()
        try dir.write("scripts/tenant-guard-api-smoke.mjs", """
            const baseURL = process.env.BASE_URL || 'http://localhost:3000'
            const apiKeySecret = '\(token)'

            """)
        let found = try rules(dir)
        #expect(found["scripts/tenant-guard-api-smoke.mjs"] == ["generic.assignment info"], "\(found)")
    }

    /// A JWT whose payload holds `"api_token":"<32 hex>"`: base64-decoding the payload shows the
    /// claim, but it is a piece of the one token, not a second credential.
    @Test func aClaimInsideAJWTIsNotASecondCredential() throws {
        let dir = try Scratch()
        func part(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        let hex = "ebbc" + "4f1a9d2c7e3b8a6f" + "5d0c9e2b7a4f1d84"
        let jwt = part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
            + part("{\"api_token\":\"\(hex)\",\"iss\":\"athena-authn-svc\",\"exp\":2398377140,\"tenant_id\":\"acme\"}") + "."
            + "Fr6RVgkP3vQ8nR2xT5wL9mZ7cB4" + "hJ6fD1gY0sA3eU8iO5pXq2"
        try dir.write("k8s/kubectl_helpers.sh", """
            KC_TOKEN_CONTACTS_APP='\(jwt)'

            """)
        let found = try rules(dir)
        #expect(found["k8s/kubectl_helpers.sh"] == ["generic.jwt-assignment medium"], "\(found)")
    }

    /// `jwt-secret-key: ${JWT_SECRET:starGPT666}` in a Spring profile: a weak signing secret as a
    /// placeholder's default is the application's typed fallback (deployments set the variable),
    /// at info. A random default is someone's key pasted there and keeps its severity; so does a
    /// weak literal in program code, which is what the program runs with.
    @Test func aWeakPlaceholderDefaultInConfigIsInfo() throws {
        let dir = try Scratch()
        try dir.write("app/src/main/resources/application-dev.yaml", """
            sa-token:
              jwt-secret-key: ${JWT_SECRET:starGPT666}

            """)
        try dir.write("other/src/main/resources/application-dev.yaml", """
            sa-token:
              jwt-secret-key: ${JWT_SECRET:\(token)}

            """)
        let found = try rules(dir)
        #expect(found["app/src/main/resources/application-dev.yaml"] == ["session.signing-secret info"], "\(found)")
        #expect(found["other/src/main/resources/application-dev.yaml"] == ["session.signing-secret critical"], "\(found)")
    }

    /// `#     AZURE_SPEECH_KEY='<32 hex>',` in a commented-out `vocode.setenv(…)` block: an Azure
    /// Speech key under the service's name is a provider's key commented out, still in the
    /// repository.
    @Test func anAzureSpeechKeyCommentedOutIsFound() throws {
        let dir = try Scratch()
        let key = "9b1e4c7a" + "2f5d48b0" + "a6c3e8f1" + "d2b5a7c9"
        try dir.write("apps/telephony_app/outbound_call.py", """
            # vocode.setenv(
            #     AZURE_SPEECH_KEY='\(key)',
            #     AZURE_SPEECH_REGION='eastus',
            # )

            """)
        let found = try rules(dir)
        #expect(found["apps/telephony_app/outbound_call.py"] == ["azure.speech-key high"], "\(found)")
    }

    /// `"baidu_wenxin_api_key": "<24 random>"` in a README's config sample: a random value under a
    /// name that says whose API key it is, pasted into documentation, keeps its severity, as a
    /// provider rule's would. A generic name (`MY_API_KEY`) or a test's value stays at info.
    @Test func aRandomValueUnderAProviderKeyNameInDocsIsReported() throws {
        let dir = try Scratch()
        let key = "qJ4v" + "Rk8TzW2m" + "Np6Lx3Bc" + "9Hd5"
        try dir.write("README.md", """
            ```json
            {
              "baidu_wenxin_api_key": "\(key)"
            }
            ```

            """)
        try dir.write("docs/setup.md", """
            ```python
            MY_API_KEY = "\(key)"
            ```

            """)
        try dir.write("tests/config_test.py", """
            baidu_wenxin_api_key = "\(key)"

            """)
        // A value spelling a sample (`random`, `APIkey`) under the same kind of name illustrates.
        try dir.write("docs/secret-management.mdx", """
            export OPENAI_API_KEY=sk-randomAPIkey\("Qw7" + "Zt2" + "Lm9")xyz

            """)
        // A news page saved into an example folder: its scripts' configuration is the publisher's.
        try dir.write("static/example_data/news/Fed Chair.HTML", """
            <script>window.env = {"ZION_API_KEY": "\(key)"}</script>

            """)
        let found = try rules(dir)
        #expect(found["README.md"] == ["generic.assignment medium"], "\(found)")
        #expect(found["docs/setup.md"] == ["generic.assignment info"], "\(found)")
        #expect(found["tests/config_test.py"] == ["generic.assignment info"], "\(found)")
        #expect(found["static/example_data/news/Fed Chair.HTML"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(found)")
        #expect(found["docs/secret-management.mdx"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(found)")
    }

    /// GitHub's API description nests a sample pull request's repository hundreds of lines below
    /// its `"examples": {`: `"temp_clone_token": "…"` there is a sample of the documentation, however
    /// deep. The same key outside any example is a value.
    @Test func aValueDeepInsideAnAPIDescriptionsExampleIsDocumentation() throws {
        let dir = try Scratch()
        let value = "ABTL" + "WHOULUVAXGTRYU7" + "OC2876QJ2O"
        let filler = (0..<150).map { "                  \"field_\($0)\": \"text\"," }.joined(separator: "\n")
        try dir.write("skills/github/openapi.json", """
            {
              "openapi": "3.0.3",
              "components": {
                "examples": {
                  "pull-request": {
                    "value": {
                      "head": {
                        "repo": {
            \(filler)
                          "temp_clone_token": "\(value)",
                          "allow_forking": true
                        }
                      }
                    }
                  }
                }
              }
            }

            """)
        try dir.write("config/settings.json", """
            {
              "github": {
                "temp_clone_token": "\(value)"
              }
            }

            """)
        let found = try rules(dir)
        #expect(found["skills/github/openapi.json"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(found)")
        #expect(found["config/settings.json"] == ["generic.assignment medium"], "\(found)")
    }

    /// Whether a scratch script talks only to this machine is a fact of the whole file: in a
    /// packed history, where a version may be matched only around what changed, the key's window
    /// does not hold the host at the top (and the remote script's says "localhost" alone); each
    /// version is judged as the whole file says, the same as `--full-blobs` judges it.
    @Test func aScratchScriptsHostsAreJudgedOnTheWholeFileInHistory() throws {
        let repo = try GitFixture()
        let key = "Zq8" + "vN2rT5xW9mK4bY7c" + "H1fJ6dG3sA0eU"
        let filler = (1...300).map { "step\($0) = compute(\($0))  # ordinary code of the script" }
        func script(_ host: String, key keyLine: String?, more: Int = 0) -> String {
            var lines = ["import requests", "BASE = \"\(host)\""] + filler + (0..<more).map { "extra\($0) = \($0)" }
            if let keyLine { lines[250] = keyLine }
            return lines.joined(separator: "\n") + "\n"
        }
        try repo.commit("base", files: ["tools/test_remote.py": script("https://api.partner-search.io/v1", key: nil),
                                        "tools/test_local.py": script("http://localhost:9380", key: nil)])
        // The remote script's key line names a local host too: its window alone would say
        // "local only".
        try repo.commit("key", files: ["tools/test_remote.py": script("https://api.partner-search.io/v1",
                                                                      key: "api_key = \"\(key)\"; requests.get(\"http://localhost:8080/health\")"),
                                       "tools/test_local.py": script("http://localhost:9380", key: "api_key = \"\(key)\"")])
        // A later, longer version of each: git keeps it whole and the key's version as a delta of it.
        let remoteLine = "api_key = \"\(key)\"; requests.get(\"http://localhost:8080/health\")"
        try repo.commit("more", files: ["tools/test_remote.py": script("https://api.partner-search.io/v1", key: remoteLine, more: 40),
                                        "tools/test_local.py": script("http://localhost:9380", key: "api_key = \"\(key)\"", more: 40)])
        try repo.pack()
        for extra in [["--each-version"], ["--each-version", "--full-blobs"]] {
            let result = try CLI.run(["git", repo.path, "--format", "json"] + extra)
            let findings = try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? []
            let severities = Dictionary(grouping: findings, by: {
                (($0["location"] as! [String: Any])["path"] as! String).replacingOccurrences(of: repo.path + "/", with: "")
            })
                .mapValues { Set($0.map { $0["severity"] as! String }) }
            #expect(severities["tools/test_remote.py"] == ["medium"], "\(extra) \(severities)")
            #expect(severities["tools/test_local.py"] == ["info"], "\(extra) \(severities)")
        }
    }

    /// `OPENSEARCH_INITIAL_ADMIN_PASSWORD: "OpenSearch2.17"` beside `image: opensearchproject/opensearch:2.17.1`:
    /// the product's name and the version the stack runs, a typed default, at info. A version the
    /// stack does not run, or a random password, keeps its severity.
    @Test func aPasswordOfTheStacksNameAndImageVersionIsATypedDefault() throws {
        let dir = try Scratch()
        func compose(_ password: String) -> String {
            """
            services:
              opensearch:
                image: opensearchproject/opensearch:2.17.1
                container_name: opensearch
                environment:
                  discovery.type: single-node
                  OPENSEARCH_INITIAL_ADMIN_PASSWORD: "\(password)"

            """
        }
        try dir.write("devx/docker-compose-opensearch.yml", compose("Open" + "Search2.17"))
        try dir.write("other/docker-compose-opensearch.yml", compose("Open" + "Search3.9"))
        try dir.write("random/docker-compose-opensearch.yml", compose("Xk7p" + "Qw9Lm2Rv"))
        let found = try rules(dir)
        #expect(found["devx/docker-compose-opensearch.yml"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["other/docker-compose-opensearch.yml"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["random/docker-compose-opensearch.yml"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }

    /// An SDK's own webhook test (openai-node's `webhooks.test.ts`): a fixed `webhook-signature:
    /// v1,<base64>` and the `whsec_` secret that made it, which the test checks its verifier
    /// against. A test vector's key, at info. The same secret in a test with no signature beside
    /// it, or in production code beside one, keeps its severity.
    @Test func aWebhookSecretBesideTheSignatureItMadeInATestIsATestVector() throws {
        let dir = try Scratch()
        let secret = "whsec_" + "Rq8vYFYUXuIFuEbvZHwM" + "fYFhUf7aMYjYcmM24+Aj40c="
        let signature = "v1," + "gUAg4R2hWouRZqRQG4uJypNS8Y" + "K885G838+EHb4nKBY="
        func file(_ withSignature: Bool) -> String {
            """
            describe('resource webhooks', () => {
              const payload = `{"id": "evt_1", "object": "event"}`;
              \(withSignature ? "const webhookSignature = '\(signature)';" : "const webhookSignature = sign(payload);")
              const headers = new Headers({ 'webhook-signature': webhookSignature, 'webhook-id': 'wh_1' });
              const secret = '\(secret)';
              it('verifies', async () => { await client.webhooks.verifySignature(payload, headers, secret); });
            });

            """
        }
        try dir.write("tests/api-resources/webhooks.test.ts", file(true))
        try dir.write("tests/lib/handler.test.ts", file(false))
        try dir.write("tests/lib/webhooks.test.ts", """
            const signature = '\(signature.dropFirst(3))';
            const secret = '\(secret)';
            function makeHeaders(signatureHeader = `v1,${signature}`): Headers { return new Headers({ 'webhook-signature': signatureHeader }); }

            """)
        try dir.write("src/webhooks.ts", file(true))
        let found = try rules(dir)
        #expect(found["tests/api-resources/webhooks.test.ts"] == ["standard-webhooks.secret info"], "\(found)")
        #expect(found["tests/lib/handler.test.ts"] == ["standard-webhooks.secret high"], "\(found)")
        #expect(found["tests/lib/webhooks.test.ts"] == ["standard-webhooks.secret info"], "\(found)")
        #expect(found["src/webhooks.ts"] == ["standard-webhooks.secret high"], "\(found)")
    }

    /// A client written to talk like a site's page (`"referer": "https://chat.example-ai.com/"`) or an
    /// Android app (`"User-Agent": "okhttp/5.3.2"`): the Basic authorization or client secret it
    /// sends is what that front end sends every visitor or install, at info. A user's session JWT
    /// in the same headers, the same value in a plain request, and a server's secret beside its
    /// CORS `origin` keep their severity.
    @Test func aValueSentAsASitesOwnPageIsTheFrontEndsNotTheProjects() throws {
        let dir = try Scratch()
        let basic = "c2F2ZXM6cyNMdGhl" + "NmxzZDB2b0RsN3J1d1U="
        let clientSecret = "Pcc5NvlCrxl02pMw" + "32kO6WrnhpS0pUZ95YrDP8XNKJJQ"
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjo0MTAyNDQ0ODAwfQ."
            + "Qm9zc0tleVNpZ25hdHVyZVNhbXBsZVZhbHVlMTIz"
        try dir.write("g4f/Provider/Upload.py", """
            UPLOAD_HEADERS = {
                "accept": "*/*",
                "authorization": "Basic \(basic)",
                "origin": "https://chat.example-ai.com",
                "referer": "https://chat.example-ai.com/",
            }

            """)
        try dir.write("g4f/Provider/Anonymous.py", """
            async def signup(session):
                async with session.post(TOKEN_URL,
                    headers={"User-Agent": "okhttp/5.3.2", "x-requested-with": "XMLHttpRequest"},
                    data={
                        "client_id": "mini-client",
                        "client_secret": "\(clientSecret)",
                        "grant_type": "client_credentials",
                    }) as response:
                    return await response.json()

            """)
        try dir.write("g4f/Provider/Session.py", """
            HEADERS = {
                "authorization": "Bearer \(jwt)",
                "referer": "https://chat.example-ai.com/",
            }

            """)
        try dir.write("server/settings.py", """
            CORS = {"origin": "https://chat.example-ai.com"}
            SETTINGS = {"jwt_secret": "\(clientSecret)"}

            """)
        try dir.write("app/upload.py", """
            UPLOAD_HEADERS = {
                "accept": "*/*",
                "authorization": "Basic \(basic)",
            }

            """)
        let found = try rules(dir)
        #expect(found["g4f/Provider/Upload.py"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["g4f/Provider/Anonymous.py"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["g4f/Provider/Session.py"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["app/upload.py"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["server/settings.py"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }

    /// `curl -H "Authorization: Basic <base64 of id:secret>" -F grant_type=password …` in a Home
    /// Assistant component: the client ID is Life360's mobile app's (`[published_clients]
    /// client_ids`), whose secret ships in the app: public by design, at info. Another client's
    /// Basic credentials keep their severity.
    @Test func aPublishedAppsClientInABasicHeaderIsPublicByDesign() throws {
        let dir = try Scratch()
        func command(_ id: String) -> String {
            let basic = Data((id + ":" + "m3fr" + "upRetQeswerEChAPrE96qakEdr4V").utf8).base64EncodedString()
            return """
                COMMAND1 = "curl -s -X POST -H \\"Authorization: Basic \(basic)\\" -F \\"grant_type=password\\" -F \\"username=USERNAME360\\" https://api.life360.com/v3/oauth2/token.json"

                """
        }
        try dir.write("custom_components/life365/sensor.py", command("pREqugabRetre4Este" + "therufrePumamExucrEHuc"))
        try dir.write("custom_components/other/sensor.py", command("kT9wZbQ4" + "LmXv2Rn8"))
        let found = try rules(dir)
        #expect(found["custom_components/life365/sensor.py"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["custom_components/other/sensor.py"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }

    /// `OPENAI_API_KEY=sk-TheresAlwaysMoneyInTheBananaStand` in an `.env.example`: the provider's
    /// prefix and a phrase of capitalised words, a joke where the key goes, not a key. A key of
    /// random letters and digits after the same prefix is reported.
    @Test func aPhraseAfterAProvidersPrefixIsNoKey() throws {
        let dir = try Scratch()
        try dir.write("joke/.env.example", "OPENAI_API_KEY=sk-" + "TheresAlwaysMoney" + "InTheBananaStand\n")
        try dir.write("real/.env.example", "OPENAI_API_KEY=sk-" + "Xq7RtB2mKv9LpW4nZc8Ds" + "T3FJ0aHu5YeG1oIkNb6Vy2QxMw\n")
        let found = try rules(dir)
        #expect(found["joke/.env.example"] == nil, "\(found)")
        #expect(found["real/.env.example"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }

    /// An Antora docs build's `<environment>` in a `pom.xml`: `<ALGOLIA_API_KEY>` between the
    /// `<ALGOLIA_APP_ID>` and the `<ALGOLIA_INDEX_NAME>` of the docs site's search box is the
    /// search-only key every visitor's browser sends. The config decoder carries the application
    /// ID and the index name beside the key, so the search client is seen there too. The same key
    /// with no application ID beside it keeps its severity.
    @Test func aSearchBoxsKeyInABuildsXMLConfigurationIsPublic() throws {
        let dir = try Scratch()
        let key = "5c13e8a9" + "7fb2046d" + "e19a3c52" + "b87d04f6"
        func pom(_ environment: String) -> String {
            """
            <project>
            	<build>
            		<plugins>
            			<plugin>
            				<artifactId>antora-maven-plugin</artifactId>
            				<configuration>
            					<environment>
            \(environment)
            					</environment>
            				</configuration>
            			</plugin>
            		</plugins>
            	</build>
            </project>

            """
        }
        try dir.write("docs-site/pom.xml", pom("""
            						<ALGOLIA_API_KEY>\(key)</ALGOLIA_API_KEY>
            						<ALGOLIA_APP_ID>WB1FQYI187</ALGOLIA_APP_ID>
            						<ALGOLIA_INDEX_NAME>springdocs</ALGOLIA_INDEX_NAME>
            """))
        try dir.write("indexer/pom.xml", pom("""
            						<ALGOLIA_API_KEY>\(key)</ALGOLIA_API_KEY>
            						<ALGOLIA_INDEX_NAME>springdocs</ALGOLIA_INDEX_NAME>
            """))
        let found = try rules(dir)
        #expect(found["docs-site/pom.xml"]?.isEmpty == false && found["docs-site/pom.xml"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["indexer/pom.xml"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }
}
