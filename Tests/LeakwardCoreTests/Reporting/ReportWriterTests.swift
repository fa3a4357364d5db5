import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardPlan
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardSupport
@testable import LeakwardVerification

/// Findings as a scan of the working tree and of history would produce them.
enum SampleReport {
    static let secret = "ghp_" + "Zx8TestOnlyNotARealTokenQ7mX2pL9sK4v"
    static let archived = "sk_live_" + "TestOnly4eC39HqLyjWDarjtT1zdp7dc"

    static func make() -> ScanReport {
        let plain = Finding(
            ruleID: "github.pat", ruleName: "GitHub personal access token", category: .vcs, provider: "GitHub",
            severity: .critical, kind: .secret, validation: .checksumValid, secret: SecretValue(secret),
            location: .init(path: "src/sync & co.ts", line: 3, column: 10, offset: 40), variable: "GITHUB_TOKEN")
        var history = plain
        history.location = .init(path: "config/old.env", line: 1, column: 14, offset: 13,
                                 commit: CommitInfo(id: ObjectID(hex: "0123456789abcdef0123456789abcdef01234567")!, author: "Dev <dev@example.com>",
                                                    date: "2024-01-02T03:04:05Z", summary: "add config", isInHEAD: false),
                                 blob: ObjectID(hex: "89abcdef0123456789abcdef0123456789abcdef")!)
        let member = Finding(
            ruleID: "stripe.secret-key", ruleName: "Stripe secret key", category: .payment, provider: "Stripe",
            severity: .low, kind: .testKey, validation: .unchecked, secret: SecretValue(archived),
            location: .init(path: "dist/app.zip!assets/main.js", line: 1, column: 4000, offset: 3999,
                            decoders: [DecodeStep(.zip, detail: "assets/main.js")]))
        var stats = ScanStats()
        stats.filesScanned = 3
        return ScanReport(version: "0.0.0-test", roots: ["."], findings: [plain, history, member], stats: stats,
                          errors: [ScanIssue(path: "broken.gz", level: .error, stage: .decoder(.gzip), reason: "truncated stream")])
    }
}

/// The Python with jsonschema that scripts/test-setup.sh installs (tests never install anything).
enum TestTools {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var python: String? {
        let venv = root.appendingPathComponent(".build/test-tools/venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    /// Runs testdata/sarif/validate.py on `text`; returns its exit status and output.
    static func validateSARIF(_ text: String) throws -> (status: Int32, output: String) {
        let python = try #require(python, "run scripts/test-setup.sh first: it installs jsonschema in .build/test-tools/venv")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("leakward-\(UUID().uuidString).sarif")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("testdata/sarif/validate.py").path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}

@Suite struct SARIFReportWriterTests {
    func log() throws -> [String: Any] {
        let text = try SARIFReportWriter().render(SampleReport.make())
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test func validatesAgainstTheOfficialSchema() throws {
        let text = try SARIFReportWriter().render(SampleReport.make())
        let result = try TestTools.validateSARIF(text)
        #expect(result.status == 0, "\(result.output)")
        // The validator must be able to fail: a log without `version` is invalid.
        var broken = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        broken["version"] = nil
        let brokenText = String(decoding: try JSONSerialization.data(withJSONObject: broken), as: UTF8.self)
        #expect(try TestTools.validateSARIF(brokenText).status != 0)
    }

    @Test func neverContainsARawSecret() throws {
        let text = try SARIFReportWriter().render(SampleReport.make())
        #expect(!text.contains(SampleReport.secret))
        #expect(!text.contains(SampleReport.archived))
        #expect(!text.contains(SecretValue(SampleReport.secret).sha256), "the unkeyed secret hash stays out too")
    }

    @Test func oneRuleEachWithHelpAndSecuritySeverity() throws {
        let run = (try log()["runs"] as! [[String: Any]])[0]
        let rules = ((run["tool"] as! [String: Any])["driver"] as! [String: Any])["rules"] as! [[String: Any]]
        #expect(rules.map { $0["id"] as! String } == ["github.pat", "stripe.secret-key"])
        let github = rules[0]
        #expect(((github["help"] as! [String: Any])["text"] as! String).contains("leakward:allow"))
        #expect((github["properties"] as! [String: Any])["security-severity"] as? String == "9.5")
        #expect((rules[1]["properties"] as! [String: Any])["security-severity"] as? String == "3.0",
                "a test key is reported at low")
    }

    @Test func resultsCarryLocationsCommitsAndLineIndependentFingerprints() throws {
        let results = ((try log()["runs"] as! [[String: Any]])[0])["results"] as! [[String: Any]]
        #expect(results.count == 3)
        let byPath = Dictionary(uniqueKeysWithValues: results.map { result -> (String, [String: Any]) in
            let physical = ((result["locations"] as! [[String: Any]])[0])["physicalLocation"] as! [String: Any]
            return ((physical["artifactLocation"] as! [String: Any])["uri"] as! String, result)
        })
        let plain = try #require(byPath["src/sync%20%26%20co.ts"])
        let region = ((plain["locations"] as! [[String: Any]])[0]["physicalLocation"] as! [String: Any])["region"] as! [String: Any]
        #expect(region["startLine"] as? Int == 3)
        #expect(region["startColumn"] as? Int == 10)
        let history = try #require(byPath["config/old.env"])
        let commit = (history["properties"] as! [String: Any])["commit"] as! [String: Any]
        #expect(commit["id"] as? String == "0123456789abcdef0123456789abcdef01234567")
        #expect(commit["in_head"] as? Bool == false)
        // The archive member is reported on the archive, with the decoded place in properties.
        let member = try #require(byPath["dist/app.zip"])
        #expect((member["properties"] as! [String: Any])["decoded_path"] as? String == "dist/app.zip!assets/main.js")

        var moved = SampleReport.make().findings[0]
        let before = SARIFReportWriter.fingerprint(of: moved)
        moved.location.line += 50
        moved.location.offset += 500
        #expect(SARIFReportWriter.fingerprint(of: moved) == before)
        moved.location.path = "src/other.ts"
        #expect(SARIFReportWriter.fingerprint(of: moved) != before)
    }
}

@Suite struct JUnitAndCSVWriterTests {
    @Test func junitHasOneFailingCasePerCredential() throws {
        let xml = try JUnitReportWriter().render(SampleReport.make())
        // Two credentials (the GitHub token is seen twice), two failures, escaped path.
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 2)
        #expect(xml.components(separatedBy: "<failure ").count - 1 == 2)
        #expect(xml.contains("failures=\"2\""))
        #expect(xml.contains("src/sync &amp; co.ts"))
        #expect(!xml.contains(SampleReport.secret) && !xml.contains(SampleReport.archived))
        let document = try XMLDocument(xmlString: xml)
        #expect(try document.nodes(forXPath: "//testcase/failure").count == 2)
    }

    @Test func junitCleanScanIsOnePassingCase() throws {
        let clean = ScanReport(version: "0", roots: ["."], findings: [], stats: ScanStats(), errors: [])
        let xml = try JUnitReportWriter().render(clean)
        #expect(xml.contains("tests=\"1\" failures=\"0\""))
        #expect(!xml.contains("<failure"))
    }

    @Test func csvQuotesFieldsAndDefusesFormulas() throws {
        let csv = try CSVReportWriter().render(SampleReport.make())
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 4)
        #expect(rows[0].hasPrefix("rule_id,rule_name,severity"))
        #expect(!csv.contains(SampleReport.secret))
        #expect(CSVReportWriter().field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVReportWriter().field("a,b") == "\"a,b\"")
        #expect(CSVReportWriter().field("plain") == "plain")
        let revealed = try CSVReportWriter(revealsSecrets: true).render(SampleReport.make())
        #expect(revealed.contains(SampleReport.secret))
    }
}

@Suite struct JSONReportWriterTests {
    private static func whole(_ report: ScanReport, reveal: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[.revealSecrets] = reveal
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    /// The streamed report is the same text as encoding the whole report at once, empty
    /// arrays included, and arrives in many pieces.
    @Test(arguments: [false, true]) func streamedEqualsWholeEncoding(reveal: Bool) throws {
        let full = SampleReport.make()
        let empty = ScanReport(version: "0.0.0-test", roots: [], findings: [], stats: ScanStats(), errors: [])
        for report in [full, empty] {
            var pieces: [String] = []
            try JSONReportWriter(revealsSecrets: reveal).write(report) { pieces.append($0) }
            let streamed = pieces.joined(), whole = try Self.whole(report, reveal: reveal)
            let same = zip(streamed, whole).prefix { $0 == $1 }.count
            #expect(streamed == whole, "differs at \(same): \(streamed.dropFirst(max(0, same - 80)).prefix(160)) ### \(whole.dropFirst(max(0, same - 80)).prefix(160))")
            #expect(pieces.count >= 10)
        }
    }

    /// One secret kept in a file across five edits is one sighting: the first version's
    /// commit, how many versions, the newest commit, the commits summed.
    @Test func versionsOfOnePathAreGrouped() throws {
        let base = SampleReport.make().findings.first { $0.location.commit != nil }!
        let versions: [Finding] = (1...5).map { n in
            var finding = base
            finding.location.line = n
            finding.location.blob = ObjectID(hex: String(repeating: "\(n)", count: 40))
            finding.location.commit = CommitInfo(id: ObjectID(hex: String(repeating: "abcde"[String.Index(utf16Offset: n - 1, in: "abcde")], count: 40))!,
                                                 author: "Dev", date: "2024-01-0\(n)T00:00:00Z", isInHEAD: n == 5,
                                                 reach: n == 3 ? .defaultBranch : .branch, refCount: n, refs: ["r\(n)"], commitCount: 2)
            return finding
        }
        var other = base
        other.location.path = "elsewhere.env"
        let report = ScanReport(version: "t", roots: ["."], findings: versions.reversed() + [other], stats: ScanStats(), errors: [])
        #expect(report.findings.count == 2)
        let grouped = try #require(report.findings.first { $0.location.path == base.location.path })
        let commit = try #require(grouped.location.commit)
        #expect(grouped.location.line == 1)
        #expect(commit.id.description == String(repeating: "a", count: 40))
        #expect(commit.versions == 5)
        #expect(commit.lastCommit?.description == String(repeating: "e", count: 40))
        #expect(commit.lastDate == "2024-01-05T00:00:00Z")
        #expect(commit.commitCount == 10)
        #expect(commit.isInHEAD)
        #expect(commit.reach == .defaultBranch && commit.refs == ["r3"] && commit.refCount == 5)
        #expect(report.credentials.first?.locations.count == 2)
    }
}
