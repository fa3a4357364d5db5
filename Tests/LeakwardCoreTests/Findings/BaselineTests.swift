import Testing
@testable import LeakwardCore
@testable import LeakwardDecoders
@testable import LeakwardFindings
@testable import LeakwardInputs
@testable import LeakwardMatching
@testable import LeakwardModel
@testable import LeakwardReporting
@testable import LeakwardRules
@testable import LeakwardSupport

@Suite struct BaselineTests {
    func finding(_ secret: String, rule: String = "github.pat", path: String = "a.py", line: Int = 1) -> Finding {
        Finding(ruleID: rule, ruleName: rule, category: .vcs, provider: "GitHub", severity: .high, kind: .secret,
                validation: .unchecked, secret: SecretValue(secret), location: .init(path: path, line: line, column: 1, offset: 0))
    }

    @Test func fingerprintIsKeyedAndIgnoresPlace() {
        let baseline = Baseline.create(from: [])
        let other = Baseline.create(from: [])
        let a = finding("s3cr3t-value-one", path: "a.py", line: 1)
        let moved = finding("s3cr3t-value-one", path: "lib/b.py", line: 60)
        #expect(baseline.fingerprint(of: a) == baseline.fingerprint(of: moved))
        #expect(baseline.fingerprint(of: a) != other.fingerprint(of: a), "each baseline has its own key")
        #expect(baseline.fingerprint(of: a) != baseline.fingerprint(of: finding("s3cr3t-value-one", rule: "generic.assignment")))
        #expect(baseline.fingerprint(of: a) != SHA256.hex(of: Array("s3cr3t-value-one".utf8)))
    }

    @Test func filterReportsOnlyNewFindings() {
        let known = finding("known-secret-aaaa")
        let baseline = Baseline.create(from: [known])
        let result = baseline.filter([finding("known-secret-aaaa", path: "moved.py", line: 99), finding("brand-new-secret")])
        #expect(result.baselined == 1)
        #expect(result.new.map(\.secret.revealed) == ["brand-new-secret"])
    }

    @Test func updateAddsPrunesAndKeepsNotesAndPaths() throws {
        var baseline = Baseline.create(from: [finding("keep-me-0000", path: "z.py"), finding("drop-me-0000", path: "a.py")])
        var text = baseline.serialized()
        text = text.replacingOccurrences(of: "\"note\":\"\",\"path\":\"z.py\"", with: "\"note\":\"test fixture, rotated 2024\",\"path\":\"z.py\"")
        baseline = try Baseline.parse(text, path: "b.json")
        let change = baseline.update(with: [finding("keep-me-0000", path: "moved/z.py", line: 40), finding("new-one-0000", path: "m.py")])
        #expect(change.added == 1 && change.removed == 1)
        #expect(baseline.entries.map(\.path) == ["m.py", "z.py"], "sorted; the kept entry keeps its first path")
        #expect(baseline.entries.last?.note == "test fixture, rotated 2024")
        #expect(try Baseline.parse(baseline.serialized(), path: "b.json") == baseline)
        #expect(!baseline.serialized().contains("keep-me-0000"))
    }

    @Test func rejectsOtherFilesWithAClearMessage() {
        #expect(throws: Baseline.FormatError.self) { try Baseline.parse("{\"findings\": []}", path: "report.json") }
        #expect(throws: Baseline.FormatError.self) { try Baseline.parse("not json", path: "x") }
    }
}
