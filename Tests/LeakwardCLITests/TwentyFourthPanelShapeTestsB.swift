import Foundation
import Testing

/// Shapes from the twenty-fourth fresh held-out panel (deep-research agents, RAG chat apps, cloud
/// vendors' AI samples), second group: each with what must be reported and what must not. Secrets
/// are put together here so that no fixture holds one whole.
@Suite struct TwentyFourthPanelShapeTestsB {
    /// Zapier's AI Actions key (`sk-ak-…`): in the URL of Zapier's first MCP server, as an agent
    /// app's default MCP settings carry it, and under LangChain's `ZAPIER_NLA_API_KEY`. A
    /// placeholder in its place is no key.
    @Test func zapierActionsKeysAreReported() throws {
        let dir = try Scratch()
        let key = "sk-ak-" + "Wm4QzT8rLc2Xv" + "Hn7Pb5KsJd9Gy"
        try dir.write("web/src/store/settings.ts", """
            export const DEFAULT_SETTINGS = {
              mcp: {
                servers: [
                  {
                    name: "Zapier",
                    transport: "sse",
                    url: "https://actions.zapier.com/mcp/\(key)/sse",
                  },
                ],
              },
            };

            """)
        try dir.write("agent/zapier.py", "import os\nos.environ[\"ZAPIER_NLA_API_KEY\"] = \"\(key)\"\n")
        try dir.write("agent/sample.py", "ZAPIER_NLA_API_KEY = \"sk-ak-xxxxxxxxxxxxxxxxxxxxxxxxxx\"\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["web/src/store/settings.ts"] == ["zapier.actions-api-key high"], "\(found)")
        #expect(found["agent/zapier.py"] == ["zapier.actions-api-key high"], "\(found)")
        #expect(found["agent/sample.py"] == nil, "\(found)")
    }

    /// A notebook's embedded PNG is standard base64: `+1//0…/` inside it is image bytes, not a
    /// Google refresh token. The token itself (URL-safe, between quotes) is reported as before.
    @Test func aRefreshTokenShapeInsideBase64ImageDataIsNoToken() throws {
        let dir = try Scratch()
        let body = "GML6uoHwkBBr3JgFIOqH0s5jvur" + "shaJXLvw5qKX9ry3VdRCPloF4HTIf"
        try dir.write("notebook.ipynb", """
            {
             "cells": [
              {
               "cell_type": "code",
               "outputs": [
                {
                 "data": {
                  "image/png": "iVBORw0KGgoAAAANSUhEUgAACCQAAATiCAIAAADnXzcwAAAAAXNSR0IArs4c6QAAAERlWElmTU0AKgAAAAgAAYdpAAQAAAAB9+1//0\(body)/2IUXfNfaBXv+vCca9K5n1j+MYhZQPBxkSPQwZAVRKU93dsW/zKi22NZ/203GB/JguB8un33j95xmxN"
                 },
                 "output_type": "display_data"
                }
               ],
               "source": ["plot()"]
              }
             ]
            }

            """)
        try dir.write("token.json", "{\"refresh_token\": \"1//0\(body)-Xq\"}\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["notebook.ipynb"] == nil, "\(found)")
        #expect(found["token.json"] == ["gcp.oauth-refresh-token high"], "\(found)")
    }

    /// A deploy script's error message names the signing secret's variable, then lists the
    /// missing tools in prose (`BETTER_AUTH_SECRET: python3, python, and openssl are all
    /// unavailable`): no value. The variable set in the same script keeps being reported.
    @Test func aMessageNamingTheSecretThenAListIsNoValue() throws {
        let dir = try Scratch()
        try dir.write("scripts/deploy.sh", """
            if [ -z "$BETTER_AUTH_SECRET" ]; then
                echo -e "${RED}Cannot generate BETTER_AUTH_SECRET: python3, python, and openssl are all unavailable.${NC}" >&2
                exit 1
            fi

            """)
        try dir.write("deploy/.env", "BETTER_AUTH_SECRET=" + "Qx7vLm2RtZ9pWc4K" + "bN8sHd3Jf6Ya1Ue5\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["scripts/deploy.sh"] == nil, "\(found)")
        #expect(found["deploy/.env"] == ["session.signing-secret critical"], "\(found)")
    }

    /// Amplify's generated `aws-exports.json` (one line, served from the web app's `public/`):
    /// the AppSync API key beside the GraphQL endpoint is what every visitor's browser loads. A
    /// key under another name without the generator's fields keeps its severity.
    @Test func anAppSyncKeyInAmplifysBrowserConfigIsPublic() throws {
        let dir = try Scratch()
        let key = "da2-" + "gzhqkyrscnczpclx" + "nwoahzsehe"
        try dir.write("lib/react-app/public/aws-exports.json",
                      "{\"aws_project_region\":\"us-east-1\",\"aws_user_pools_id\":\"us-east-1_jS3JLsdao\","
                      + "\"aws_appsync_graphqlEndpoint\":\"https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql\","
                      + "\"aws_appsync_region\":\"us-east-1\",\"aws_appsync_authenticationType\":\"AMAZON_COGNITO_USER_POOLS\","
                      + "\"aws_appsync_apiKey\":\"\(key)\"}\n")
        // Another value: one secret seen at two paths is one credential, reported at its worst.
        let other = "da2-" + "pqwnrtzkxmvbsclh" + "dfgyjoeuai"
        try dir.write("server/settings.json", "{\"service_api_key\": \"\(other)\", \"region\": \"us-east-1\"}\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["lib/react-app/public/aws-exports.json"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["server/settings.json"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }

    /// A database password's fallback that repeats the user name's fallback a few lines up, with
    /// a counter (`os.getenv("DB_USER", "agentflow")`, then `"agentflow123"`): the sample login
    /// the code runs with while nobody sets the variables, as `DB_USER=docker` beside
    /// `DB_PASSWORD=docker@123` is in a config file. A random fallback keeps its severity.
    @Test func aPasswordFallbackRepeatingTheUserFallbackIsASample() throws {
        let dir = try Scratch()
        try dir.write("backend/app/config.py", """
            import os

            class DatabaseConfig:
                @classmethod
                def from_env(cls):
                    return cls(
                        host=os.getenv("APP_DB_HOST", "localhost"),
                        username=os.getenv("APP_DB_USER", "agentflow"),
                        password=os.getenv("APP_DB_PASSWORD", "agentflow123"),
                    )

            """)
        try dir.write("backend/app/other.py", """
            import os

            username = os.getenv("APP_DB_USER", "agentflow")
            password = os.getenv("APP_DB_PASSWORD", "\("Vq7Lm2Xr" + "9Tz4Kp8W")")

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["backend/app/config.py"]?.allSatisfy { $0.hasSuffix(" info") } != false, "\(found)")
        #expect(found["backend/app/other.py"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }
}
