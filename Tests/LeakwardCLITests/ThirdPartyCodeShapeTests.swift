import Foundation
import Testing

/// Shapes from third-party code with no live secret in it (the Google Cloud SDK's Python and
/// YAML, Debian's compressed changelogs): names of headers, fields, types and secret-store
/// paths written as string values, format fields and flag names in help text. Each file also
/// holds one value that is a secret's shape, so the test fails if everything were dropped.
@Suite struct ThirdPartyCodeShapeTests {
    @Test func namesOfHeadersFieldsTypesAndPathsAreNoSecrets() throws {
        let dir = try Scratch()
        let secret = "Qu77yYauihg" + "oCaHAJ38iZq"
        try dir.write("sdk/consts.py", """
            PREFERRED_AUTH_KEY = 'spec.preferredAuthentication'
            _AWS_SECURITY_TOKEN_HEADER = "x-amz-security-token"
            _CREDENTIALS_KEY = 'google_oauth2_credentials'
            SERVER_SIDE_ENCRYPTION_KEY = 'server-side-encryption-header'
            SASL_SECRET = 'projects/123/secrets/my-secret/versions/1'
            def connect(use_google_auth: bool,
                        credentials: 'google_oauth2.Credentials',
                        retries=1):
                pass
            UPLOAD_API_SECRET = '\(secret)'

            """)
        try dir.write("sdk/partials.yaml", """
            request:
              resource_method_params:
                blockchainValidatorConfig.seedPhraseReference.seedPhraseSecret: '{__relative_name__}'
            params:
            - arg_name: clear-auth-token
              help_text: |
                Clear the auth token fields: `--oidc-service-account-email`,
                `--oidc-token-audience`.
            - arg_name: signing
              signing_secret: '\(secret)'

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["sdk/consts.py"] == ["generic.assignment medium"], "\(found)")
        #expect(found["sdk/partials.yaml"] == ["generic.assignment medium"], "\(found)")
    }

    /// A benchmark harness's sample bearer token is a test's; a provider key there keeps its severity.
    @Test func aBenchmarkHarnessIsATest() throws {
        let dir = try Scratch()
        let secret = "d1H3_dQe8" + "vJk2LmN4pRsT6uVw9xYz"
        try dir.write("Benchmarks/Signing/Signing.swift", "let hmacSecret = \"\(secret)\"\n")
        try dir.write("Sources/App/Signing.swift", "let hmacSecret = \"\(secret)\"\n")
        let found = try CLI.rulesByPath(dir)
        #expect(found["Benchmarks/Signing/Signing.swift"] == ["generic.assignment info"], "\(found)")
        #expect(found["Sources/App/Signing.swift"] == ["generic.assignment medium"], "\(found)")
    }

    /// Debian keeps every package's changelog as `changelog.gz`: documentation, compressed.
    @Test func aCompressedChangelogIsDocumentation() throws {
        let dir = try Scratch()
        let token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNTE2MjM5MDIyfQ" + ".Xk29vLqTWm3pR8sN4bY7cD1fG6hJ2kL5nP9qT0vZ8wA"
        let entry = "python-jwt (2.6.0-1) unstable; urgency=medium\n\n  * Decoding example:\n    token = \"\(token)\"\n"
        try dir.write("python3-jwt/changelog", entry)
        try dir.write("app/settings.py", "token = \"\(token)\"\n")
        try ShippedOutputTests.shell("gzip -9 python3-jwt/changelog", in: dir.path)
        let found = try CLI.rulesByPath(dir)
        #expect(found["python3-jwt/changelog.gz"]?.allSatisfy { $0.hasSuffix(" info") } == true, "\(found)")
        #expect(found["app/settings.py"]?.contains { !$0.hasSuffix(" info") } == true, "\(found)")
    }
}
