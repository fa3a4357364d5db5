import Foundation
import Testing
@testable import LeakwardCore
@testable import LeakwardFindings

/// Config values under a credential's word that are no credential (twenty-second panel): a
/// dependency whose package name holds the word (`supertokens-python = "^0.16.4"`), a connection
/// URL with a default word as its password under such a name, and a Kubernetes Secret's base64 of
/// a default word. Must-match and must-not cases each; values are made up at test time.
@Suite struct DependencyAndDefaultConfigTests: PanelShapeSuite {
    let madeStream: UInt64 = 0x51A7_C0DE_22A1_F00D

    private func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func aVersionConstraintIsNoToken() {
        // Must not be reported: Poetry's caret and a PEP 440 range under package names holding `token`.
        let pyproject = """
            [tool.poetry.dependencies]
            python = "^3.11"
            supertokens-python = "^0.16.4"
            tokenizers-extra = ">=0.15.2,<0.16"

            """
        #expect(scan(pyproject, at: "backend/pyproject.toml").isEmpty, "\(scan(pyproject, at: "backend/pyproject.toml"))")
        // Must stay: a random value under the same kind of name in a config file.
        let secret = pyproject.replacingOccurrences(of: "^0.16.4", with: "^" + made(14))
        #expect(scan(secret, at: "backend/pyproject.toml").map(\.severity) == [.medium])
    }

    @Test func aConnectionURLWithADefaultPasswordIsASample() {
        // Must not be reported: a ConfigMap's Postgres URL whose user and password are the words
        // `username` and `password`, under a name holding `TOKEN` (SuperTokens' database).
        let configMap = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: app-config
            data:
              POSTGRES_URI_SUPERTOKENS: "postgresql://username:\("pass" + "word")@postgres.app.svc.cluster.local:5432/app_auth"

            """
        #expect(scan(configMap, at: "deploy/k8s/configmap.yml").allSatisfy { $0.severity == .info },
                "\(scan(configMap, at: "deploy/k8s/configmap.yml"))")
        // Must stay: the same URL with a random password fails CI.
        let real = configMap.replacingOccurrences(of: "username:password", with: "app:" + made(18))
        #expect(scan(real, at: "deploy/k8s/configmap.yml").contains { $0.severity > .info })
    }

    @Test func base64OfADefaultWordInASecretIsADefault() {
        // Must be info: a Kubernetes Secret's base64 of `guest` and `password`, RabbitMQ's and a
        // template's defaults.
        let secret = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: app-secrets
            type: Opaque
            data:
              POSTGRES_PASSWORD: \(base64("pass" + "word"))
              RABBITMQ_DEFAULT_PASS: \(base64("gu" + "est"))

            """
        let found = scan(secret, at: "deploy/k8s/secret.yml")
        #expect(found.count == 2 && found.allSatisfy { $0.severity == .info }, "\(found)")
        #expect(found.allSatisfy { $0.notes.contains { $0.hasPrefix("base64 of a default") } }, "\(found)")
        // Must stay: base64 of a random password fails CI; the default beside it stays at info.
        let real = secret.replacingOccurrences(of: base64("gu" + "est"), with: base64(made(16)))
        let kept = scan(real, at: "deploy/k8s/secret.yml")
        #expect(kept.contains { $0.severity > .info }, "\(kept)")
        #expect(kept.filter { $0.notes.contains { $0.hasPrefix("base64 of a default") } }.count == 1, "\(kept)")
    }
}
