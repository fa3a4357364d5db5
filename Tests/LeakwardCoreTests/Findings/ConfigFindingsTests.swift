import Testing
@testable import LeakwardFindings
import LeakwardModel

/// Settling config findings after provenance: the same report whatever order the workers
/// handed the findings in.
@Suite struct ConfigFindingsTests {
    private func id(_ digit: Character) -> ObjectID { ObjectID(hex: String(repeating: digit, count: 40))! }

    private func finding(kind: FindingKind, blob: ObjectID, commit: ObjectID?, date: String) -> Finding {
        Finding(ruleID: kind == .secret ? "generic.env-assignment" : "config.tracked-env-file", ruleName: "r", category: .generic,
                provider: "p", severity: .high, kind: kind, validation: .unchecked, secret: SecretValue(Array("payload".utf8)),
                location: .init(origin: .history(root: "/r", path: ".env"), line: 1, column: 1, offset: 0,
                                commit: commit.map { CommitInfo(id: $0, author: "a", date: date, isInHEAD: false) }, blob: blob))
    }

    /// A past env file that held a secret in two versions is one problem: the earliest version.
    @Test func aPastEnvFileKeepsItsEarliestVersionWhateverTheOrder() {
        let early = finding(kind: .envFileTracked, blob: id("a"), commit: id("1"), date: "2021-03-01T10:00:00Z")
        let late = finding(kind: .envFileTracked, blob: id("b"), commit: id("2"), date: "2023-06-01T10:00:00Z")
        let secrets = [finding(kind: .secret, blob: id("a"), commit: id("1"), date: "2021-03-01T10:00:00Z"),
                       finding(kind: .secret, blob: id("b"), commit: id("2"), date: "2023-06-01T10:00:00Z")]
        for input in [secrets + [early, late], secrets + [late, early], [late] + secrets + [early]] {
            let problems = ConfigFindings.settle(input).filter { $0.kind == .envFileTracked }
            #expect(problems.map(\.location.blob) == [id("a")])
        }
    }
}
