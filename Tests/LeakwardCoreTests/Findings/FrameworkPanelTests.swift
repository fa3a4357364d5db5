import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardRules

/// Shapes seen on the thirteenth fresh held-out panel (LLM frameworks and agent platforms:
/// orchestration frameworks and their samples, RAG platforms, model serving, evaluation tools,
/// vector-database examples): each judged for what it is, with must-match and must-not cases.
/// Values are made up at test time, never the panel's.
@Suite struct FrameworkPanelTests: PanelShapeSuite {
    private let signals = ValueSignals.bundled

    private var hexKey: String { made(32, "0123456789abcdef") }

    @Test func anAzureOpenAIKeyBesideItsResourcesEndpointStaysReportedInExamplesAndTests() {
        let settings = "{\n  \"AzureOpenAIText\": {\n    \"Auth\": \"ApiKey\",\n    \"Endpoint\": \"https://acme-eastus.openai.azure.com/\",\n"
            + "    \"APIKey\": \"\(hexKey)\",\n    \"Deployment\": \"gpt-4\"\n  }\n}\n"
        let script = "import openai\nopenai.api_type = \"azure\"\nopenai.api_base = \"https://acme-research.openai.azure.com/\"\n"
            + "openai.api_version = \"2023-07-01-preview\"\nopenai.api_key = \"\(hexKey)\"\n"
        let configList = "[{'model': 'gpt4', 'api_key': '\(hexKey)', 'base_url': 'https://acme-gpt.openai.azure.com/', 'api_type': 'azure'}]\n"
        // Must report, failing CI, in an example's settings, a test script and a docstring's config.
        for (text, path) in [(settings, "examples/108-custom-decoders/appsettings.json"), (script, "test/agentchat/contrib/test.py"),
                             (configList, "notebook/agenteval.ipynb")] {
            let found = scan(text, at: path)
            #expect(found.contains { $0.rule == "azure.openai-key-beside-endpoint" && $0.severity == .high }, "\(path): \(found)")
        }
        // Must not: the same key beside a placeholder resource stays a formatless sample (info).
        let placeholder = settings.replacingOccurrences(of: "acme-eastus", with: "your-resource")
        let found = scan(placeholder, at: "examples/108-custom-decoders/appsettings.json")
        #expect(!found.contains { $0.rule == "azure.openai-key-beside-endpoint" }, "\(found)")
        #expect(found.allSatisfy { $0.severity == .info }, "\(found)")
    }

    @Test func aSerpApiKeyInARecordedRequestStaysReportedInTestData() {
        let recording = "httprr trace v1\n1234 5678\nGET https://serpapi.com/search?api_key=\(made(64, "0123456789abcdef"))&gl=us&q=go HTTP/1.1\r\nHost: serpapi.com\r\n"
        let found = scan(recording, at: "agents/testdata/TestExecutorWithOpenAIFunctionAgent.httprr")
        #expect(found.contains { $0.rule == "serpapi.request-key" && $0.severity == .high }, "\(found)")
        // Must not: another host's `api_key` query is no SerpApi key.
        let other = scan("GET https://example.org/search?api_key=\(made(64, "0123456789abcdef"))&q=go\n", at: "agents/testdata/x.httprr")
        #expect(!other.contains { $0.rule == "serpapi.request-key" }, "\(other)")
    }

    @Test func aZhipuKeyInAnIntegrationTestKeepsItsSeverity() {
        let key = made(32, "0123456789abcdef") + "." + made(16)
        let found = scan("ZhipuAiChatModel.builder()\n    .apiKey(\"\(key)\")\n    .build();\n",
                         at: "langchain4j-zhipu-ai/src/test/java/dev/langchain4j/model/zhipu/ZhipuAiChatModelIT.java")
        #expect(found.contains { $0.rule == "zhipu.api-key" && $0.severity == .high }, "\(found)")
    }

    @Test func aManagedDatabasesPasswordInATestIsARealConnection() {
        let password = made(12)
        // Must fail CI: an integration test pointed at someone's real cluster.
        for host in ["cluster0.ab1cd.mongodb.net", "acmetesting.mongocluster.cosmos.azure.com"] {
            let text = "client = MongoClients.create(\"mongodb+srv://akira:\(password)@\(host)/?retryWrites=true\");\n"
            let found = scan(text, at: "store/src/test/java/dev/x/MongoDbEmbeddingStoreCloudIT.java")
            #expect(found.contains { $0.severity > .info }, "\(host): \(found)")
        }
        // Must stay at info: a test's own database in a container on localhost, and docs.
        let local = scan("client = MongoClients.create(\"mongodb://akira:\(password)@localhost:27017/\");\n",
                         at: "store/src/test/java/dev/x/MongoDbEmbeddingStoreIT.java")
        #expect(local.allSatisfy { $0.severity == .info }, "\(local)")
        let docs = scan("Connect with `mongodb+srv://akira:\(password)@cluster0.ab1cd.mongodb.net/`.\n", at: "docs/mongodb.md")
        #expect(docs.allSatisfy { $0.severity == .info }, "\(docs)")
    }

    @Test func typedDefaultsOfSampleStacks() {
        // Must be weak: a letter or two before a long counting run, a vendor's documented default.
        for value in ["aa123456", "a123456", "QQ1234567", "73@TuGraph", "somesafesecret"] {
            #expect(signals.weakReason(for: Array(value.utf8)) != nil, "\(value)")
        }
        // Must stay: more letters or a short run (`Tech@123` was real), digits not counting.
        for value in ["abc12345", "aa12345", "aa123457", "Tech@123", "ab19283746", "lk123456"] {
            #expect(signals.weakReason(for: Array(value.utf8)) == nil, "\(value)")
        }
    }

    @Test func aKeyShapedSentenceForTestsIsAPlaceholder() {
        let mock = "sk-" + "mockopenaiAPIkeyinexpectedformat" + "fortestingonly"
        #expect(Placeholder.reason(for: Array(mock.utf8)) != nil)
        let found = scan("MOCK_OPEN_AI_API_KEY = \"\(mock)\"\n", at: "test/conftest.py")
        #expect(found.allSatisfy { $0.severity == .info }, "\(found)")
    }

    @Test func aCommittedCloudSDKIsSomeoneElsesCode() {
        // Must be vendored: the Cloud SDK installed into a working copy, gsutil's vendored boto.
        #expect(LocationContext.of(path: "install_dir/google-cloud-sdk/platform/gsutil/gslib/tests/test_data/test.json") == .vendored)
        #expect(LocationContext.of(path: "install_dir/google-cloud-sdk/lib/googlecloudsdk/command_lib/crash_handling.py") == .vendored)
        #expect(LocationContext.of(path: "gslib/vendored/boto/tests/unit/cloudfront/test_signed_urls.py") == .vendored)
        #expect(LocationContext.of(path: "src/pip/_vendor/requests/auth.py") == .vendored)
        // Must not: the project's own code that talks to the SDK.
        #expect(LocationContext.of(path: "tools/gcloud_sdk_setup.py") == .production)
    }
}

extension FrameworkPanelTests {
    @Test func codeInsideAConfigFilesBlockTextIsNoValue() {
        // Must not report: a CloudFormation template's inline Lambda source, a model price list.
        let template = """
            Resources:
              RotateFn:
                Properties:
                  Code:
                    ZipFile: |
                      def handler(event, context):
                          secrets_client = boto3.client('secretsmanager')
                          secret_arn = event['SecretId']
                          secret = json.loads(response['SecretString'])
                          password = secret['password']
                          new_password = generate_password()
                          passwd = service_client.get_random_password(ExcludeCharacters=exclude_characters)
            """
        #expect(scan(template, at: "aws-cloudformation/lambda.yml").allSatisfy { $0.severity == .info }, "\(scan(template, at: "aws-cloudformation/lambda.yml"))")
        let prices = "model_list:\n  - litellm_params:\n      input_cost_per_token: 3.75E-08\n      output_cost_per_token: 1.5E-07\n"
        #expect(scan(prices, at: "docker/litellm/config.yaml").isEmpty || scan(prices, at: "docker/litellm/config.yaml").allSatisfy { $0.severity == .info })
        #expect(LiteralValue.isDecimalNumber(Array("3.75E-08".utf8)))
        #expect(!LiteralValue.isDecimalNumber(Array("1234567890".utf8)))
        #expect(!LiteralValue.isDecimalNumber(Array("1e5abc".utf8)))
        #expect(LiteralValue.isDecimalNumber(Array("1_024".utf8)))
        #expect(!LiteralValue.isDecimalNumber(Array("1_02a".utf8)))
        // A release note's code sample in its YAML block: keyword arguments with their commas.
        let note = "features:\n  - |\n    c = Compactor(\n        token=Secret.from_env_var(\"HF_API_TOKEN\"),\n        approximate_summary_tokens=1_024,\n        api_key_data = data[\"init_parameters\"][\"api_key\"]\n    )\n"
        #expect(scan(note, at: "releasenotes/notes/add-compactor-91b6be6855f478df.yaml").allSatisfy { $0.severity == .info }, "\(scan(note, at: "releasenotes/notes/add-compactor-91b6be6855f478df.yaml"))")
        // Must report: a password in the same file, and one that merely holds parentheses.
        let real = made(20)
        #expect(scan("database:\n  password: \(real)\n", at: "config/settings.yml").contains { $0.severity > .info })
        #expect(LiteralValue.codeExpressionShape(Array("Pass(word)".utf8)) == nil)
        #expect(LiteralValue.codeExpressionShape(Array("Kq8(Lz3Vr9Tx2Nb7W)".utf8)) == nil)
        #expect(LiteralValue.codeExpressionShape(Array("event['SecretId']".utf8)) == "a subscript")
        #expect(LiteralValue.codeExpressionShape(Array("boto3.client('secretsmanager')".utf8)) == "a call")
    }
}

extension FrameworkPanelTests {
    @Test func typedSamplesAndSentinelsAreNoSecrets() {
        // Must not: a commented signing secret typed as the alphabet and digits in turn, and a
        // redaction sentinel under its own name.
        let walk = "9a8f7e6d5c4b3a29" + "1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o6p"
        #expect(Placeholder.reason(for: Array(walk.utf8)) != nil)
        let env = "# REFRESH_TOKEN_SECRET='\(walk)'\n"
        #expect(scan(env, at: "packages/server/.env.example").allSatisfy { $0.severity == .info }, "\(scan(env, at: "packages/server/.env.example"))")
        #expect(Placeholder.genericReason(for: Array(("_APP_BLANK_" + "07167752-1a71-43b1-bf8f-4f32252165db").utf8), variable: "REDACTED_CREDENTIAL_VALUE") != nil)
        // Must: a signing secret typed by repeating a chunk stays (a hand-made NEXTAUTH_SECRET in
        // a fork's Dockerfile and a generated one pasted twice were real keys on the panel), and a
        // random one in the same place.
        let chunk = made(20, "0123456789abcdef")
        let repeated = made(24, "0123456789abcdef") + chunk + chunk + chunk
        #expect(scan("# ACCESS_TOKEN_SECRET='\(repeated)'\n", at: "packages/server/.env.example").contains { $0.severity > .info })
        let random = made(64, "0123456789abcdef")
        #expect(scan("# ACCESS_TOKEN_SECRET='\(random)'\n", at: "packages/server/.env.example").contains { $0.severity > .info })
    }
}

extension FrameworkPanelTests {
    @Test func aConnectionToAPlaceholderHostIsASample() {
        let password = made(14)
        // Must not fail CI: the documentation's sample cluster as a form field's placeholder.
        let sample = "placeholder: 'mongodb+srv://myDatabaseUser:\(password)@cluster0.example.mongodb.net/?retryWrites=true'\n"
        #expect(scan(sample, at: "packages/components/credentials/MongoDBUrlApi.credential.ts").allSatisfy { $0.severity == .info })
        // Must: the same password on a real cluster's host.
        let real = "const MONGO_URI = 'mongodb+srv://tony:\(password)@dexcluster.ab1cd.mongodb.net/?retryWrites=true'\n"
        #expect(scan(real, at: "mongodbClient.js").contains { $0.severity > .info })
    }
}

extension FrameworkPanelTests {
    @Test func aSampleChineseDocsIntroduceIsInfo() {
        let zhipu = made(32, "0123456789abcdef") + "." + made(16)
        // Must be info: `示例：` ("example:") before the value, `# 例如` ("for example") alone above it.
        let envPage = "- 描述：这是你在 智谱 AI 服务中申请的 API 密钥\n- 示例：`\(zhipu)`\n"
        #expect(scan(envPage, at: "docs/environment-variables/model-provider.zh-CN.mdx").allSatisfy { $0.severity == .info })
        let snippet = "```\n# 例如\nAPI_KEY = '\(hexKey)'\nAZURE_ENDPOINT = 'https://acme-demo.openai.azure.com/'\n```\n"
        let found = scan(snippet, at: "docs/use_azure.md")
        #expect(found.allSatisfy { $0.severity == .info }, "\(found)")
        // Must: the same snippet with no marker above it keeps the key's severity.
        let bare = scan(snippet.replacingOccurrences(of: "# 例如\n", with: "# 配置\n"), at: "docs/use_azure.md")
        #expect(bare.contains { $0.severity > .info }, "\(bare)")
    }
}
