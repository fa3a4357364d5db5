import Foundation
import Testing

/// Shapes from the twenty-first fresh held-out panel (enterprise chat search with Helm charts and
/// compose stacks): a provider key written as a compose variable's default, and the names, hashes
/// and code a rendered chart holds under secret-sounding keys. Secrets are put together here so
/// that no fixture holds one whole.
@Suite struct ComposeDefaultAndChartShapeTests {
    /// `${LANGFUSE_SECRET_KEY:-sk-lf-…}` in a developer's compose file: the `-` of `:-` ends the
    /// parameter reference, it is no part of the token, so the provider's rule matches as it does
    /// after `=`. Before, only the generic fallback rule saw the value, and a compose file's local
    /// default put it at info. A made-up placeholder there still reports nothing.
    @Test func aProviderKeyAsAComposeDefaultIsTheKey() throws {
        let dir = try Scratch()
        let langfuse = "sk-lf-" + "8c2e5a17-3f9b-4d6e" + "-a0c4-71b8e2d9f3a6"
        let tavily = "tvly-" + "dev-8Kp3Qz7Lm2Xr5N" + "w9Bt4Vy6Hc1Jd0Fg3S"
        try dir.write("deployment/docker-compose.dev.yml", """
            services:
              api:
                environment:
                  - LANGFUSE_HOST=${LANGFUSE_HOST:-http://203.0.113.77:3004}
                  - LANGFUSE_SECRET_KEY=${LANGFUSE_SECRET_KEY:-\(langfuse)}
                  - TAVILY_API_KEY=${TAVILY_API_KEY:-\(tavily)}
                  - EXA_API_KEY=${EXA_API_KEY:-tvly-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["deployment/docker-compose.dev.yml"] == ["langfuse.secret-key medium", "tavily.api-key high"], "\(found)")
    }

    /// A rendered Helm chart: `checksum/credentials-secret: <sha256>` (the hash that restarts pods
    /// when the Secret changes), `rootUserSecretKey: s3_aws_access_key_id` (the key inside a
    /// Secret to read the value from) and `token = client.generate_db_auth_token(` (a script a
    /// ConfigMap carries) are a digest, a name and code. A random password under a secret's name
    /// in the same chart is still reported.
    @Test func aChartsChecksumsKeyNamesAndScriptsAreNoSecrets() throws {
        let dir = try Scratch()
        let digest = "4f7c1d9a2b6e8f0a3c5d7e9b" + "1a2c4e6f8a0b2d4f6a8c0e2b" + "4d6f8a1c3e5b7d9f"
        let password = "kQ7vZ2r" + "J8ntLwXbB4aV"
        try dir.write("charts/app/rendered.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
            spec:
              template:
                metadata:
                  annotations:
                    checksum/credentials-secret: \(digest)
                    checksum/db-secret: "\(digest)"
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: tooling
            data:
              refresh.py: |
                import boto3
                client = boto3.client("rds")
                token = client.generate_db_auth_token(
                    DBHostname=host, Port=5432, DBUsername=user)

            """)
        try dir.write("charts/app/values.yaml", """
            minio:
              auth:
                rootUserSecretKey: s3_aws_access_key_id
                rootPasswordSecretKey: s3_aws_secret_access_key
            postgresql:
              auth:
                password: "\(password)"

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["charts/app/rendered.yaml"] == nil, "\(found)")
        #expect(found["charts/app/values.yaml"]?.count == 1, "\(found)")
        #expect(found["charts/app/values.yaml"]?.first?.hasSuffix(" medium") == true, "\(found)")
    }

    /// A slice of a PNG data URL that starts with `EAAA` (a chunk's length field), listed in a
    /// scanner's ignore file: base64 of binary data, with runs of zero bytes (`AAAA`) and a chunk
    /// type (`IDAT`, `IEND`), not a Square access token. A random token of the same shape is.
    @Test func aPngSliceIsNoSquareToken() throws {
        let dir = try Scratch()
        let slice = "EAAACCAIAAAD91JpzAAAAD" + "klEQVR4nGMQUDBggGIABmwB" + "IZLDALIAAAAASUVORK5"
        let token = "EAAAl_0S605eK_bxRu8Lu" + "Dtp-e9N3CWlfu7zTK3rsl0" + "wtwmnb4gmOKFPlIyWSKU6"
        try dir.write(".secretsignore", "[secrets]\n# a 1x1 PNG data URL in a sanitizer test\n\(slice)\n")
        try dir.write("payments/.env", "SQUARE_ACCESS_TOKEN=\(token)\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found[".secretsignore"] == nil, "\(found)")
        #expect(found["payments/.env"] == ["square.access-token critical"], "\(found)")
    }
}
