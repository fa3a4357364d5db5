import Foundation
import Testing

/// Shapes from the twenty-third fresh held-out panel (a RAG server's FastAPI routers and its
/// Kubernetes deployments of a workflow engine), each with what must be reported and what must
/// not. Secrets are put together here so that no fixture holds one whole.
@Suite struct RagServerDeploymentShapeTests {
    /// A FastAPI route documents itself with Redoc code samples written in Python:
    /// `openapi_extra={"x-codeSamples": [{"lang": "Python", "source": textwrap.dedent("""…""")}]}`.
    /// A sample password in such a sample is documentation (info with the reason); the same
    /// assignment in the route's own code is not, and neither is a Python file with no samples.
    @Test func aRouteCodeSampleIsDocumentation() throws {
        let dir = try Scratch()
        let sample = "new_secure_" + "password317"
        try dir.write("app/api/users_router.py", """
            import textwrap

            class UsersRouter:
                def setup_routes(self):
                    @self.router.post(
                        "/users/change-password",
                        openapi_extra={
                            "x-codeSamples": [
                                {
                                    "lang": "Python",
                                    "source": textwrap.dedent(\"\"\"
                                        from acme import AcmeClient

                                        client = AcmeClient()
                                        result = client.users.change_password(
                                            current_password="previous_secret_12",
                                            new_password="\(sample)"
                                        )\"\"\"),
                                },
                                {
                                    "lang": "JavaScript",
                                    "source": textwrap.dedent(\"\"\"
                                        const client = new acmeClient();

                                        function main() {
                                            const response = await client.users.changePassword({
                                                newPassword: "\(sample)"
                                            });
                                        }
                                        \"\"\"),
                                },
                            ]
                        },
                    )
                    async def change_password(self):
                        pass

            """)
        try dir.write("app/core/admin.py", """
            def bootstrap(db):
                db.create_admin(new_password="\(sample)")

            """)
        let (_, found) = try CLI.scanFindings(dir)
        let router = found.filter { CLI.relativePath($0, in: dir) == "app/api/users_router.py" }
        #expect(!router.isEmpty && router.allSatisfy { $0["severity"] as? String == "info" }, "\(router)")
        #expect(found.contains { CLI.relativePath($0, in: dir) == "app/core/admin.py" && $0["severity"] as? String != "info" }, "\(found)")
    }

    /// Hatchet takes its cookie secrets as one setting, the current key and the ones still
    /// accepted separated by a space (`SERVER_AUTH_COOKIE_SECRETS: "<base64> <base64>"`): each is
    /// a key. A value with spaces made of words (a hint, `Bearer` and a reference) stays prose.
    @Test func aSpaceSeparatedListOfKeysIsKeys() throws {
        let dir = try Scratch()
        let first = "Vq3nR8tYc" + "Lw2ZpK5mHd9XsJ0aFgU4eBi7NoTyQr6W1E="
        let second = "Xk7Lp2QmZ9" + "wRt4sN8vBc1YhJ6gFd3AeU0iOyTo5KqW2Mn="
        try dir.write("deploy/overlays/dev/sec-shared-config.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: engine-shared-config
            type: Opaque
            stringData:
              SERVER_AUTH_COOKIE_SECRETS: "\(first) \(second)"
              SERVER_AUTH_COOKIE_INSECURE: "t"

            """)
        try dir.write("deploy/overlays/dev/hints.yaml", """
            auth:
              password_hint: "use a long passphrase of several words here please"
              token_header: "Bearer placeholderValueWithDigits123456789"

            """)
        let (_, found) = try CLI.scanFindings(dir)
        let secrets = found.filter { CLI.relativePath($0, in: dir) == "deploy/overlays/dev/sec-shared-config.yaml" && $0["severity"] as? String != "info" }
        #expect(secrets.count == 2, "\(found)")
        #expect(!found.contains { CLI.relativePath($0, in: dir) == "deploy/overlays/dev/hints.yaml" && $0["severity"] as? String != "info" }, "\(found)")
    }

    /// A Tink keyset written in the clear is key material: Hatchet's `master.key` in a
    /// Kubernetes Secret is the keyset's JSON in base64, base64 again under `data:`. Its public
    /// keyset (`EcdsaPublicKey`) is not a secret.
    @Test func aTinkCleartextKeysetInASecretIsAKey() throws {
        let dir = try Scratch()
        let material = "GiBq7Lw3mRzT9vXcNd2Y" + "hK5sF0aJpU8eQiOb4Ct1WnMg6A=="
        let keyset = #"{"primaryKeyId": 1726473109, "key": [{"keyData": {"typeUrl": "type.googleapis.com/google.crypto.tink.AesGcmKey", "value": ""# + material
            + #"", "keyMaterialType": "SYMMETRIC"}, "status": "ENABLED", "keyId": 1726473109, "outputPrefixType": "TINK"}]}"#
        let publicKeyset = #"{"primaryKeyId": 804117593, "key": [{"keyData": {"typeUrl": "type.googleapis.com/google.crypto.tink.EcdsaPublicKey", "value": "EgYIAxACGAIaIFVmR3pQxkJ7nYcT2bW9eL4sHa0fKd8Mu6Zr1Ci5Oj3tIiB", "keyMaterialType": "ASYMMETRIC_PUBLIC"}, "status": "ENABLED", "keyId": 804117593, "outputPrefixType": "TINK"}]}"#
        func twice(_ text: String) -> String {
            Data(Data(text.utf8).base64EncodedString().utf8).base64EncodedString()
        }
        try dir.write("deploy/overlays/dev/sec-keyset.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: engine-keyset
            type: Opaque
            data:
              master.key: \(twice(keyset))

            """)
        try dir.write("deploy/overlays/dev/sec-public.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: engine-public-keyset
            type: Opaque
            data:
              public_ec256.key: \(twice(publicKeyset))

            """)
        let found = try CLI.rulesByPath(dir)
        #expect(found["deploy/overlays/dev/sec-keyset.yaml"]?.contains("google.tink-keyset high") == true, "\(found)")
        #expect(found["deploy/overlays/dev/sec-public.yaml"]?.contains { $0.hasPrefix("google.tink-keyset") } != true, "\(found)")
    }
}
