import Foundation
import Testing

/// A stack's stock Kubernetes manifests: a Secret whose values a reader of the file already
/// knows (a password equal to the user name beside it, base64 of the key's own name) is a
/// published default, at info with the reason even in deploy configuration; a random password
/// there still fails CI.
@Suite struct StockManifestTests {
    private static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func publishedDefaultsInAStockSecretAreInfo() throws {
        let dir = try Scratch()
        let app = "notes" + "stack"
        let random = "Vq3" + "xR8mZp2LwT6k"
        try dir.write("deployment/k8s/app-secrets.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: app-secrets
            type: Opaque
            data:
              POSTGRES_URI: \(Self.b64("postgresql://\(app):\(app)@postgres:5432/\(app)"))
              postgres-user: \(Self.b64(app))
              postgres-password: \(Self.b64(app))
              mongo-user: \(Self.b64("mongo-user"))
              mongo-password: \(Self.b64("mongo-password"))

            """)
        try dir.write("deployment/k8s/other-secrets.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: other
            type: Opaque
            data:
              redis-user: \(Self.b64("cache"))
              redis-password: \(Self.b64(random))

            """)
        let result = try CLI.run(["scan", dir.path, "--no-git", "--format", "json"])
        let findings = try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? []
        func line(_ f: [String: Any]) -> String {
            let location = f["location"] as! [String: Any]
            let origin = location["origin"] as! [String: Any]
            return "\(origin["path"] as! String):\(location["line"] as! Int)"
        }
        let failing = Set(findings.filter { ($0["severity"] as? String) != "info" }.map(line))
        #expect(failing == ["deployment/k8s/other-secrets.yaml:8"], "\(findings.map { "\(line($0)) \($0["rule_id"]!) \($0["severity"]!) \($0["notes"] ?? "")" })")
        let notes = findings.filter { line($0).hasPrefix("deployment/k8s/app-secrets.yaml") }.flatMap { $0["notes"] as? [String] ?? [] }
        #expect(notes.contains { $0.contains("published default") }, "\(notes)")
        #expect(result.status == 1)
    }
}
