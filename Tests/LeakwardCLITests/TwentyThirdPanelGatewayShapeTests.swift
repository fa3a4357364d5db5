import Foundation
import Testing

/// Shapes from the twenty-third fresh held-out panel (coding agents, AI search engines, API
/// gateways and starter kits), each with what must be reported and what must not. Secrets are
/// put together here so that no fixture holds one whole.
@Suite struct TwentyThirdPanelGatewayShapeTests {
    /// Random hex under a secret's name whose letter counts fell unevenly: 64 digits at 3.65 bits
    /// (a SearXNG `secret_key`, `openssl rand -hex 32`) and 40 at 3.45 (`token_hex(20)`), both
    /// under the 3.7 a generic value must carry, both as random as hex gets. Reported; a typed
    /// hex pattern under the same name is not.
    @Test func unevenRandomHexIsStillRandom() throws {
        let dir = try Scratch()
        try dir.write("searxng/settings.yml", """
            server:
              port: 8080
              secret_key: "\("50da9881533367d340b3334c5399578" + "2779979ada50163e5e833388deb94cb96")"  # Is overwritten by ${SEARXNG_SECRET}

            """)
        try dir.write("app/config.py", "API_SECRET = \"\("47b121c0546445f44394" + "ff86fa924a4128a2a749")\"\n")
        try dir.write("app/other.py", "API_SECRET = \"\("1111111122222222333333334444" + "4444aaaaaaaabbbbbbbb")\"\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["searxng/settings.yml"]?.contains(where: { $0.hasPrefix("generic.") && !$0.hasSuffix(" info") }) == true, "\(found)")
        #expect(found["app/config.py"]?.contains(where: { $0.hasPrefix("generic.") && !$0.hasSuffix(" info") }) == true, "\(found)")
        #expect(found["app/other.py"] == nil, "\(found)")
    }

    /// `tokens_path="20B_tokenizer.json"`: a bare file name under a name that says where (the
    /// tokenizer's vocabulary file), and an n8n audit log's `credentialId` (the record id of a
    /// stored credential): neither is a credential. A random value under `token_path` that is
    /// no file name is still judged as a value, and so is a Jenkinsfile's `tokenCredentialId:`
    /// holding the token itself.
    @Test func aFileNameAndACredentialsRecordIdAreNoSecrets() throws {
        let dir = try Scratch()
        try dir.write("backend-python/main.py", """
            from rwkv.utils import PIPELINE
            pipeline = PIPELINE(model, tokens_path="20B_tokenizer.json")

            """)
        try dir.write("n8n/n8nEventLog.log", """
            {"__type":"$$EventMessageAudit","eventName":"n8n.audit.user.credentials.created","payload":{"credentialType":"openAiApi","credentialId":"\("9Q3bG1Az" + "iswIXARt")","publicApi":false}}

            """)
        try dir.write("app/settings.py", "auth_token_path = \"\("Hs8Kq2Lz7Vr4Tw9M" + "Qx4Tr8Lm2Wz7Kp9N")\"\n")
        // Jenkins' Slack step: the token itself pasted where the credential's id goes.
        try dir.write("Jenkinsfile", "slackSend channel: 'ci', teamDomain: 'acme', tokenCredentialId: '\("dp7tuQLCh5PBUs" + "zexU45zIxt")'\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["backend-python/main.py"] == nil, "\(found)")
        #expect(found["n8n/n8nEventLog.log"] == nil, "\(found)")
        #expect(found["app/settings.py"]?.contains("generic.assignment medium") == true, "\(found)")
        #expect(found["Jenkinsfile"]?.contains("generic.assignment medium") == true, "\(found)")
    }

    /// One API's shipped compose sets `MYSQL_ROOT_PASSWORD: "OneAPI@justsong"` (the project's and
    /// its author's names), and every fork of the gateway copies it, even where the fork renamed
    /// its container: a vendor's documented default, at info. A random root password beside it
    /// keeps its severity.
    @Test func oneAPIsComposeDefaultIsAVendorSample() throws {
        let dir = try Scratch()
        func compose(_ password: String) -> String {
            """
            services:
              gateway:
                image: acme/gateway:latest
                container_name: gateway-hub
              db:
                image: mysql:8.2.0
                container_name: mysql
                environment:
                  MYSQL_ROOT_PASSWORD: "\(password)" # root password
                  MYSQL_DATABASE: gateway

            """
        }
        try dir.write("docker-compose.yml", compose("OneAPI@" + "justsong"))
        try dir.write("deploy/docker-compose.yml", compose("rRQx7chk" + "GS6ffTzq"))
        let found = try CLI.rulesByPath(dir)
        #expect(found["docker-compose.yml"]?.allSatisfy { $0.hasSuffix(" info") } ?? true, "\(found)")
        #expect(found["deploy/docker-compose.yml"]?.contains(where: { !$0.hasSuffix(" info") }) == true, "\(found)")
    }

    /// `const ENCRYPTION_KEY = 'bolt_mcp_secure_storage_v1'` in a web client: the versioned name
    /// of a localStorage slot, shipped to every browser, not a generated key. A random key under
    /// the same name in the same kind of file is reported.
    @Test func aVersionedStorageNameIsNoKey() throws {
        let dir = try Scratch()
        try dir.write("app/lib/stores/mcp.ts", """
            const STORAGE_KEY = 'mcp_settings';
            const ENCRYPTION_KEY = 'acme_mcp_secure_storage_v1';

            """)
        try dir.write("app/lib/stores/vault.ts", "const ENCRYPTION_KEY = '\("8P8nrfZ/Yaa7dQCDpd0Q" + "Ntkh9BttiDFBng9Cnb5jAo")';\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["app/lib/stores/mcp.ts"] == nil, "\(found)")
        #expect(found["app/lib/stores/vault.ts"]?.contains("session.encryption-key high") == true, "\(found)")
    }

    /// An OpenAI user key in its long form (`sk-`, halves with `_` and `-` around the marker,
    /// no project prefix), as a bundler inlines the developer's `process.env` into a published
    /// package's server build, and as a notebook in an examples folder holds it: a provider's
    /// format with its marker, reported in both.
    @Test func aLongFormOpenAIUserKeyIsAProviderKey() throws {
        let dir = try Scratch()
        let key = "sk-JFGUQF3vybWpC4W2CXGjSMAnAePr02owz7mg3TL30J" + "T3BlbkFJ" + "sS3Sg-4VWYHpxnTXLthT1WnEMpzS1Y6QJT0tF29m"
        try dir.write("package/build/server/index.js",
                      "var define_process_env_default = { COMMAND_MODE: \"unix2003\", OPENAI_API_KEY: \"\(key)\", NODE_ENV: \"production\" };\n")
        try dir.write("examples/chat.py", "client = OpenAI(api_key=\"\(key)\")\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["package/build/server/index.js"] == ["openai.user-key high"], "\(found)")
        #expect(found["examples/chat.py"] == ["openai.user-key high"], "\(found)")
    }
}
