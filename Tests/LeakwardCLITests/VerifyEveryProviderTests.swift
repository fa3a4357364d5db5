import Foundation
import LeakwardCore
import Testing

/// `plan --verify` end to end for every provider of rules/verify/*.toml: a project holding one
/// key per provider (each rule's own first example), every verifier pointed at the local mock,
/// and the plan must read live, revoked and unknown for 25+ providers as the mock answers.
@Suite(.serialized) struct VerifyEveryProviderTests {
    struct Planted {
        var verifier: VerifierSpec
        var secret: String
        /// The text the mock sees in the request that names this key (the AWS key id for SigV4).
        var token: String
        var expected: String
    }

    /// The first example of a rule the verifier covers, with its secret (between ⟦ ⟧) and the line without the marks.
    static func example(for ruleEntry: String, in rules: [Rule]) -> (line: String, secret: String)? {
        for rule in rules where VerifierCatalog.ruleMatches(rule.id, ruleEntry) {
            for example in rule.examples {
                guard let open = example.range(of: "⟦"), let close = example.range(of: "⟧"), open.upperBound <= close.lowerBound else { continue }
                let secret = String(example[open.upperBound..<close.lowerBound])
                return (example.replacingOccurrences(of: "⟦", with: "").replacingOccurrences(of: "⟧", with: ""), secret)
            }
        }
        return nil
    }

    @Test func planVerifyReadsEveryProviderFromTheMock() throws {
        let rules = try RuleSet.builtIn().rules
        let catalog = try VerifierCatalog.builtIn()
        let dir = try Scratch()
        var planted: [Planted] = []
        var behaviours: [String: String] = [:]
        for (index, spec) in catalog.verifiers.enumerated() {
            guard let key = spec.rules.lazy.compactMap({ Self.example(for: $0, in: rules) }).first else { continue }
            var text = key.line + "\n"
            var token = key.secret
            if let companion = spec.companion, let other = Self.example(for: companion, in: rules) {
                text += other.line + "\n"
                if spec.auth == "sigv4" { token = other.secret }
            }
            try dir.write("config/\(spec.id).txt", text)
            // Every third provider refuses the key, every seventh is busy; the rest accept it.
            let expected = index % 7 == 3 ? "unknown" : index % 3 == 1 ? "revoked" : "live"
            switch expected {
            case "revoked":
                behaviours[token] = spec.id == "linear" ? "revoked400"
                    : spec.revokedStatus.contains(401) || !spec.revokedBody.isEmpty ? "revoked" : "revoked403"
            case "unknown": behaviours[token] = "busy"
            default: break
            }
            planted.append(Planted(verifier: spec, secret: key.secret, token: token, expected: expected))
        }
        let mock = try ProviderMock(behaviours: behaviours)
        let result = try CLI.run(["plan", dir.path, "--verify", "--format", "json"], environment: mock.environment(catalog.verifiers.map(\.id)))
        #expect(result.status == 1, "\(result.stderr)")
        let items = try CLI.json(result.stdout)["items"] as? [[String: Any]] ?? []
        var answers: [String: [String: Any]] = [:]
        for item in items {
            if let verification = item["verification"] as? [String: Any], let verifier = verification["verifier"] as? String {
                answers[verifier] = verification
            }
        }
        var read: [String: Int] = [:]
        for key in planted {
            guard let answer = answers[key.verifier.id] else { continue }
            #expect(answer["status"] as? String == key.expected, "\(key.verifier.id): \(answer)")
            if answer["status"] as? String == key.expected { read[key.expected, default: 0] += 1 }
        }
        let providers = read.values.reduce(0, +)
        #expect(providers >= 25, "read as planted for \(providers) providers: \(read); asked \(answers.keys.sorted())")
        #expect(read["live", default: 0] >= 10 && read["revoked", default: 0] >= 8 && read["unknown", default: 0] >= 3, "\(read)")
        // Live first within a tier: no revoked item before a live one of the same tier.
        let order = items.map { (($0["urgency"] as? [String: Any])?["tier"] as? String ?? "", ($0["verification"] as? [String: Any])?["status"] as? String) }
        for (i, a) in order.enumerated() {
            for b in order[(i + 1)...] where a.0 == b.0 { #expect(!(a.1 == "revoked" && b.1 == "live"), "\(order)") }
        }
        for key in planted { #expect(!result.stdout.contains(key.secret), "\(key.verifier.id) leaked") }
    }
}
