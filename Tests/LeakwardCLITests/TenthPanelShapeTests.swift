import Foundation
import Testing

/// Shapes from the tenth fresh held-out panel (AI chatbot, LLM framework and agent repositories:
/// cookbooks, agent platforms, LLM API gateways, voice agents), each with what must be reported
/// and what must not. Secrets are put together here so that no fixture holds one whole.
@Suite struct TenthPanelShapeTests {
    /// A shipped compose file, Helm chart or Kubernetes manifest sets its databases' passwords to
    /// what its author typed: the stack's own names with a counter (`One@123456` beside `one-api`,
    /// `k3str4` beside the `kestra` user, base64 of `storm123` in the `storm-secrets` Secret) or sample
    /// words with one (`redis123`, `Admin1234!`). At info; a random password there fails CI.
    @Test func aStacksOwnNamesWithACounterAreATypedDefault() throws {
        let dir = try Scratch()
        try dir.write("docker-compose.yml", """
            services:
              gateway:
                image: "docker.io/acmesong/gate-way:latest"
                container_name: gate-way
              db:
                image: mysql:8.2.0
                environment:
                  MYSQL_ROOT_PASSWORD: 'Gate@123456'
                  MYSQL_PASSWORD: 'GateWay@acme'
                  MYSQL_USER: gateway
                  MYSQL_DATABASE: acme
              kestra_postgres:
                environment:
                  POSTGRES_USER: kestra
                  POSTGRES_PASSWORD: k3str4
              cache:
                environment:
                  REDIS_PASSWORD: redis123
                  ADMIN_PASSWORD: Admin1234!

            """)
        try dir.write("stack/storm-secret.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: storm-secrets
            data:
              postgres-password: \("c3Rvcm0x" + "MjM=")  # storm123

            """)
        try dir.write("stack/docker-compose.yml", """
            services:
              db:
                image: mysql:8.2.0
                environment:
                  MYSQL_ROOT_PASSWORD: \("LZ4c6hslf" + "WZGNiua")
                  MYSQL_PASSWORD: \("gateway" + "2024x")
                  MYSQL_USER: gateway
              cache:
                environment:
                  REDIS_PASSWORD: \("Secure_123" + "_redis")

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["docker-compose.yml"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["docker-compose.yml"]?.count == 5, "\(found)")
        #expect(found["stack/storm-secret.yaml"] == ["generic.config-value info"], "\(found)")
        // Sample words alone only as one word: `Secure_123_redis` is a weak password someone chose.
        #expect(found["stack/docker-compose.yml"] == ["generic.config-value medium", "generic.config-value medium", "generic.config-value medium"], "\(found)")
    }

    /// `#     DEEPGRAM_API_KEY='…',` in a `vocode.setenv(…)` block a developer commented out: a
    /// provider's key under the provider's own name is code switched off, and still the key;
    /// so is a generic rule's value under a name that says whose API key it is (`RIME_API_KEY`).
    /// A name that says nobody's (`API_KEY`) on a commented line stays documentation (info).
    @Test func aNamedProviderKeyCommentedOutInCodeFailsCI() throws {
        let dir = try Scratch()
        let deepgram = "6a246d13cf17" + "9a1bf798436f56837cdf85ce5b09"
        let generic = "OkpcnomHEI683Q" + "hORPSKU1UREvqo82af"
        try dir.write("apps/telephony/outbound.py", """
            import os

            # vocode.setenv(
            #     DEEPGRAM_API_KEY='\(deepgram)',
            #     RIME_API_KEY='\(generic)',
            # )

            # API_KEY='\(generic)x'

            def main():
                pass

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["apps/telephony/outbound.py"] == ["deepgram.api-key high", "generic.assignment info", "generic.assignment medium"], "\(found)")
    }

    /// Values that are something else under a credential's name: a key file's path, a model
    /// repository id under `TOKENIZER_REPO` in a notebook's escaped source, a connection string
    /// with Neon's documented sample password, a Segment write key a browser bundle ships.
    @Test func pathsModelIdsSamplesAndBrowserKeysAreNoCredentials() throws {
        let dir = try Scratch()
        try dir.write("api/config.toml", "[AlipayConfig]\n  PrivateKey = \"certs/alipay/privateKey.txt\"\n")
        try dir.write("notebooks/finetune.ipynb", """
            {"cells": [{"cell_type": "code", "source": ["TOKENIZER_REPO = \\"mistralai/Ministral-3-3B-Instruct-2512\\"\\n"]}]}

            """)
        try dir.write("notebooks/neon.ipynb", """
            {"cells": [{"cell_type": "markdown", "source": ["\\"postgres://alex:\("AbC123" + "dEf")@ep-cool-darkness-123456.us-east-2.aws.neon.tech/dbname\\"\\n"]}]}

            """)
        let segment = "f51YDY9kMkTDs" + "1BQRuq03EpZUYMpssv8"
        try dir.write("web/.env.production", "NEXT_PUBLIC_SEGMENT_WRITE_KEY=\"\(segment)\"\n")
        try dir.write("server/.env.production", "SEGMENT_WRITE_KEY=\"\(segment)\"\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["api/config.toml"] == nil, "\(found)")
        #expect(found["notebooks/finetune.ipynb"] == nil, "\(found)")
        #expect(found["notebooks/neon.ipynb"] == nil, "\(found)")
        #expect(found["web/.env.production"]?.contains("segment.browser-write-key info") == true, "\(found)")
        #expect(found["server/.env.production"]?.contains("segment.write-key medium") == true, "\(found)")
    }

    /// A DataStax Astra DB application token has its own shape (`AstraCS:` client id `:` secret).
    @Test func anAstraDBApplicationTokenIsFound() throws {
        let dir = try Scratch()
        let token = "AstraCS:" + "QxTrWmLkPzHvNcBdYfGsJaEu" + ":" + "3e1f0c9a7d42e8b3c4f6a1d2e9c8b75b" + "6e1f0c9a7d42e8b3c4f6a1d2e9c8b701"
        try dir.write("app/vectorstores/upsert.py", "ASTRA_DB_APPLICATION_TOKEN = \"\(token)\"\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["app/vectorstores/upsert.py"] == ["datastax.astra-token critical"], "\(found)")
    }
}
