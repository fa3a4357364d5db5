import Foundation
import Testing

/// A mock service account's key block in a test (fourth fresh held-out panel): PKCS#8 around an
/// RSA key whose modulus is not the product of its primes, as a model or a person writes one.
@Suite struct MadeUpKeyTests {
    private static func madeUpKeyBlock() -> String {
        func der(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
            let n = content.count
            let length: [UInt8] = n < 128 ? [UInt8(n)] : (n < 256 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 0xFF)])
            return [tag] + length + content
        }
        func integer(_ seed: Int, _ count: Int) -> [UInt8] {
            der(0x02, [0x01] + (1..<count).map { UInt8(truncatingIfNeeded: seed &* 37 &+ $0 &* 11) })
        }
        let rsa = der(0x30, der(0x02, [0]) + integer(3, 64) + der(0x02, [1, 0, 1]) + integer(5, 64) + integer(7, 32) + integer(9, 32)
            + integer(11, 32) + integer(13, 32) + integer(15, 32))
        let algorithm = der(0x30, [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00])
        let pkcs8 = der(0x30, der(0x02, [0]) + algorithm + der(0x04, rsa))
        let body = Data(pkcs8).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            .replacingOccurrences(of: "\n", with: "\\n")
        return "-----BEGIN PRIVATE KEY-----\\n" + body + "\\n-----END PRIVATE KEY-----\\n"
    }

    @Test func aMadeUpKeyInATestIsAFixtureAndStillReportedInProduction() throws {
        let dir = try Scratch()
        let account = "{\"type\": \"service_account\", \"project_id\": \"test\", \"private_key\": \"" + Self.madeUpKeyBlock()
            + "\", \"client_email\": \"test@test.iam.gserviceaccount.com\"}"
        try dir.write("connectors/bigquery/tests/test_google_big_query.py", "MOCK = '" + account + "'\n")
        try dir.write("connectors/bigquery/credentials.json", account + "\n")
        let result = try CLI.run(["scan", dir.path, "--format", "json"])
        let found = (try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? []).filter { $0["rule_id"] as? String == "gcp.service-account-key" }
        var severities: [String: String] = [:]
        for f in found {
            let path = ((f["location"] as! [String: Any])["path"] as! String).replacingOccurrences(of: dir.path + "/", with: "")
            severities[path] = f["severity"] as? String
        }
        #expect(severities == ["connectors/bigquery/tests/test_google_big_query.py": "info", "connectors/bigquery/credentials.json": "critical"], "\(severities)")
    }
}
