import Foundation
import Testing

/// Every credential-file format in testdata/credential-files (each written from its format's
/// documentation) gives exactly the findings in its expected.tsv, with their kinds.
@Suite struct CredentialFileTests {
    @Test func everyFormatIsFoundWithItsKind() throws {
        let root = CLI.packageRoot.appendingPathComponent("testdata/credential-files")
        let expectedText = try String(contentsOf: root.appendingPathComponent("expected.tsv"), encoding: .utf8)
        let expected = Set(expectedText.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
        let result = try CLI.run(["scan", root.path, "--format", "json", "--no-git"])
        #expect(result.status == 1)
        let findings = try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? []
        let found = Set(findings.compactMap { finding -> String? in
            let location = finding["location"] as! [String: Any]
            let path = (location["path"] as! String).replacingOccurrences(of: root.path + "/", with: "")
            guard path != "expected.tsv" else { return nil }
            return "\(path)\t\(location["line"]!)\t\(finding["kind"]!)"
        })
        #expect(found.subtracting(expected).sorted() == [], "unexpected")
        #expect(expected.subtracting(found).sorted() == [], "missed")
        // Every format directory holds at least one expected finding.
        let files = Set(expected.map { $0.split(separator: "\t")[0] })
        #expect(files.count >= 30)
    }
}
