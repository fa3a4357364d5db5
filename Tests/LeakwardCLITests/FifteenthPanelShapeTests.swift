import Foundation
import Testing

/// Shapes from the fifteenth fresh held-out panel (LLM libraries, frameworks, agents and developer
/// tools: coding agents, structured-output and prompt libraries, eval and observability tools,
/// LLM SDKs), each with what must be reported and what must not. Secrets are put together here so
/// that no fixture holds one whole.
@Suite struct FifteenthPanelShapeTests {
    /// `Traceloop.init(api_key='tl_…')` in a sample app, `TRACELOOP_API_KEY=tl_…` in an agent's
    /// settings file: OpenLLMetry's hosted backend keys are `tl_` and 32 hex digits, the vendor's
    /// own prefix, so they stay reported in samples too. A row of x's is a template's.
    @Test func aTraceloopKeyInASampleAppIsFound() throws {
        let dir = try Scratch()
        try dir.write("packages/sample-app/sample_app/guardrails_example.py", """
            from traceloop.sdk import Traceloop
            Traceloop.init(app_name="guardrails-example", api_key='\("tl_" + "d0f5d2b32a054d87" + "97fc2e15e102d91e")')

            """)
        try dir.write("packages/sample-app/sample_app/template.py", """
            Traceloop.init(app_name="guardrails-example", api_key='tl_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["packages/sample-app/sample_app/guardrails_example.py"] == ["traceloop.api-key high"], "\(found)")
        #expect(found["packages/sample-app/sample_app/template.py"] == nil, "\(found)")
    }

    /// `token = "esecret_…"` in a fine-tuning notebook: Anyscale Endpoints keys carry the vendor's
    /// `esecret_` prefix, so a notebook's cell keeps its severity.
    @Test func anAnyscaleEndpointsKeyInANotebookIsFound() throws {
        let dir = try Scratch()
        let key = "esecret_" + "c3ucw8c4h7b11b" + "zfv3q9vu262u"
        try dir.write("examples/anyscale/finetuning.ipynb", """
            {"cells": [{"cell_type": "code", "source": ["token = \\"\(key)\\"\\n", "client = OpenAI(base_url=\\"https://api.endpoints.anyscale.com/v1\\", api_key=token)"]}]}

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["examples/anyscale/finetuning.ipynb"]?.contains("anyscale.api-key high") == true, "\(found)")
    }

    /// A VCR cassette of a watsonx test: the IAM token request posts the account's IBM Cloud API
    /// key (`grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=…`) and the project's answer
    /// holds its storage's service credentials (an `api_key` beside its `iam-ServiceId-…`, a Cloud
    /// Object Storage HMAC pair). A recorded request is the real account's, so they are reported in
    /// test data too; x's in their place are no key.
    @Test func ibmCloudCredentialsInARecordedCassetteAreFound() throws {
        let dir = try Scratch()
        let apiKey = "5cSMM-2lAi040vKauIMv" + "3Pp_zf6EP_Gse-D7z0CC03KW"
        let serviceKey = "BRvKLoq9Xz3mW7pT2nR8" + "sV4cY6uJ1hF5gD0eA_k-LmNq"
        let hmacID = "75156d5c76b84b5a" + "a8c52c5e30fa7b95"
        let hmacSecret = "89972f9d00ad41d50373dc06" + "3b2abfb235304253e6d3a85b"
        try dir.write("packages/instrumentation-watsonx/tests/cassettes/test_generate.yaml", """
            interactions:
            - request:
                body: grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=\(apiKey)
                method: POST
                uri: https://iam.cloud.ibm.com/identity/token
            - response:
                body:
                  string: '{"storage":{"type":"bmcos_object_storage","properties":{"bucket_name":"x","credentials":{"admin":{"api_key":"\(serviceKey)","service_id":"iam-ServiceId-4a1c2e3f-5b6d-4e7f-8a9b-0c1d2e3f4a5b"}},"cos_hmac_keys":{"access_key_id":"\(hmacID)","secret_access_key":"\(hmacSecret)"}}}}'

            """)
        try dir.write("packages/instrumentation-watsonx/tests/cassettes/test_template.yaml", """
            - request:
                body: grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx

            """)
        let found = try CLI.rulesByPath(dir)
        let cassette = found["packages/instrumentation-watsonx/tests/cassettes/test_generate.yaml"] ?? []
        #expect(cassette.contains("ibm.iam-api-key-request high"), "\(found)")
        #expect(cassette.contains("ibm.service-credential-api-key high"), "\(found)")
        #expect(cassette.contains("ibm.cos-hmac-secret high"), "\(found)")
        #expect(found["packages/instrumentation-watsonx/tests/cassettes/test_template.yaml"] == nil, "\(found)")
    }

    /// An OpenAPI spec's sample response is JSON inside a YAML block (`response: |`), and its
    /// `"input_tokens": 18307,` line reads as a YAML value with the comma: a token count. A
    /// pyproject's `[project.scripts]` entry point (`gen-api-key = "pkg.scripts.auth.gen_api_key:run"`)
    /// names the function a command runs. Neither is a value to report; a password beside them is.
    @Test func tokenCountsAndEntryPointsAreNoSecrets() throws {
        let dir = try Scratch()
        try dir.write("api_reference/openapi.yml", """
            paths:
              /responses:
                post:
                  x-oaiMeta:
                    examples:
                      response: |
                        {
                          "usage": {
                            "input_tokens": 18307,
                            "max_completions_tokens": 32768,
                            "output_tokens": 348
                          }
                        }

            """)
        try dir.write("pyproject.toml", """
            [project.scripts]
            pr-agent = "pr_agent.cli:run"
            gen-api-key = "pr_agent.scripts.qm_endpoint_auth.gen_api_key:run"

            [tool.db]
            password = "\("Zq7vN2" + "kLp9xW4t")"

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["api_reference/openapi.yml"] == nil, "\(found)")
        // The password beside them is reported once, at medium (by its TOML line's rule).
        #expect(found["pyproject.toml"]?.count == 1 && found["pyproject.toml"]?.first?.hasSuffix(" medium") == true, "\(found)")
    }

    /// `"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"`: base64 of `{"alg":"HS256","typ":"JWT"}`
    /// alone, the first third every HS256 token shares, with no claims and no signature, is what
    /// a script writes to look like a token. A whole bearer token beside it is still found.
    @Test func aJWTHeaderAloneAfterBearerIsNoToken() throws {
        let dir = try Scratch()
        try dir.write("scripts/analyzer.py", """
            class Analyzer:
                def __init__(self):
                    self.secret_token = "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

            """)
        try dir.write("scripts/client.py", """
            headers = {"X-Auth": "Bearer \("wSJOsnv2Z2qNjQHYi9ha" + "WTbbvH18VOPInMf1kqA2")"}

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["scripts/analyzer.py"] == nil, "\(found)")
        #expect(found["scripts/client.py"] == ["generic.bearer-literal medium"], "\(found)")
    }

    /// `API_TOKEN = "sk-test-THIS_IS_NOT_A_REAL_KEY"` in a demo script: the value says in capitals
    /// what it is (the article `A` is a word there too), a stand-in phrase at info.
    /// `GOOGLE_MODEL_FOR_API_KEY_CHECK = "gemini-2.0-flash-lite"`: a name that says model, a value
    /// that is a model's id, no credential. A random value under the same name still is one.
    @Test func aStandInInCapitalsAndAModelNameAreNoSecrets() throws {
        let dir = try Scratch()
        try dir.write("pr_agent_review_demo.py", """
            API_TOKEN = "sk-test-THIS_IS_NOT_A_REAL_KEY"

            """)
        try dir.write("letta/llm_api/google_constants.py", """
            GOOGLE_MODEL_FOR_API_KEY_CHECK = "gemini-2.0-flash-lite"

            """)
        try dir.write("letta/llm_api/other_constants.py", """
            GOOGLE_MODEL_FOR_API_KEY_CHECK = "\("Qm8rT2vX" + "9kLp4wZn")"

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["pr_agent_review_demo.py"] == ["generic.assignment info"], "\(found)")
        #expect(found["letta/llm_api/google_constants.py"] == nil, "\(found)")
        #expect(found["letta/llm_api/other_constants.py"] == ["generic.assignment medium"], "\(found)")
    }

    /// `connect_to_postgres(host='hh-pgsql-public.ebi.ac.uk', user='reader', password='…')`: the
    /// read-only login RNAcentral prints for everyone on its website (`[public_databases]`), at
    /// info. The same call with a managed database's host is someone's own database.
    @Test func aPublicDatabasesPublishedLoginIsInfo() throws {
        let dir = try Scratch()
        let password = "NWDMCE5x" + "dipIjRrq"
        try dir.write("main.py", """
            vn.connect_to_postgres(host='hh-pgsql-public.ebi.ac.uk', dbname='pfmegrnargs', user='reader', password='\(password)', port=5432)

            """)
        try dir.write("demo.py", """
            vn.connect_to_postgres(host='demo-db-do-user-7032271-0.c.db.ondigitalocean.com', dbname='demo', user='doadmin', password='\(password)', port=25061)

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["main.py"] == ["generic.assignment info"], "\(found)")
        #expect(found["demo.py"] == ["generic.assignment medium"], "\(found)")
    }

    /// `CreateAPIKeyResponse(api_key='sk-<48 hex>')` in a tutorial notebook's output: `sk-` and
    /// `secrets.token_hex(24)` is the key a self-hosted MemGPT/Letta server makes for its own
    /// users, no provider's format, so only its name speaks for it (at info in an example). A
    /// 48-character base62 body (an OpenAI-compatible gateway's key) keeps the provider shape.
    @Test func aSelfHostedServersHexKeyIsNoProviderKey() throws {
        let dir = try Scratch()
        let hexKey = "sk-" + "45cc3e1fd35a3fac3a2ad959" + "fc23877a0476181e8b0a5559"
        let gatewayKey = "sk-" + "6uJ9qTnB3xVw7RkLm2PaZc8Y" + "hD4fGs1EoQi5Nt0WvX3bKp7N"
        try dir.write("examples/tutorials/admin-client.ipynb", """
            {"cells": [{"cell_type": "code", "source": ["admin = Admin(base_url=\\"http://localhost:8283\\")"], "outputs": [{"text": ["CreateAPIKeyResponse(api_key='\(hexKey)')"]}]}]}

            """)
        try dir.write("app/settings.py", """
            self.api_key = '\(gatewayKey)'

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["examples/tutorials/admin-client.ipynb"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(found)")
        #expect(found["app/settings.py"] == ["openai-compatible.api-key high"], "\(found)")
    }
}
