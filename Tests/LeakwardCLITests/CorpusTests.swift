import Foundation
import Testing

/// Detection quality on the labelled corpus (`testdata/corpus`, written by
/// `scripts/make-corpus.py`): planted fake secrets of every category in realistic files, next
/// to decoys (placeholders, references, UUIDs, hashes, lockfiles, data: URIs, minified code).
@Suite struct CorpusTests {
    struct Key: Hashable {
        var path: String
        var line: Int
        var category: String
    }

    struct Score {
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }
        var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    }

    static let corpus = "testdata/corpus"

    /// path, line, category of every planted secret, and its expected rule id.
    static func truth() throws -> [Key: String] { try rows().mapValues(\.rule) }

    /// The planted values that must be reported at `info` and nothing higher (a weak sample
    /// secret in a test or a doc: visible, failing no CI).
    static func expectedAtInfo() throws -> Set<Key> { Set(try rows().filter(\.value.atInfo).keys) }

    static func rows() throws -> [Key: (rule: String, atInfo: Bool)] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("\(corpus)/truth.tsv"), encoding: .utf8)
        var rows: [Key: (rule: String, atInfo: Bool)] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count == 4 || fields.count == 5, let number = Int(fields[1]) else { continue }
            rows[Key(path: fields[0], line: number, category: fields[2])] = (fields[3], fields.count == 5 && fields[4] == "info")
        }
        return rows
    }

    @Test func recallAndPrecisionMeetTheBar() throws {
        let truth = try Self.truth()
        let atInfo = try Self.expectedAtInfo()
        #expect(truth.count >= 100, "the corpus lost its ground truth")
        let result = try CLI.run(["scan", Self.corpus, "--format", "json"], in: CLI.packageRoot)
        #expect(result.status == 1)
        // The corpus labels secrets; config problems (its tracked `.env` files) are scored elsewhere.
        let findings = try #require(try CLI.json(result.stdout)["findings"] as? [[String: Any]])
            .filter { $0["category"] as? String != "config" }
        // A secret also seen through a decoder (an unescaped JSON string, say) is one secret:
        // only its raw sighting is scored.
        let rawSightings = Set(findings.compactMap { finding -> String? in
            let location = finding["location"] as? [String: Any]
            let decoders = location?["decoders"] as? [Any] ?? []
            return decoders.isEmpty ? "\(location?["path"] ?? "")|\(finding["secret_sha256"] ?? "")" : nil
        })
        var found: [Key: String] = [:]
        var severities: [Key: String] = [:]
        for finding in findings {
            let location0 = finding["location"] as? [String: Any]
            if !(location0?["decoders"] as? [Any] ?? []).isEmpty,
               rawSightings.contains("\(location0?["path"] ?? "")|\(finding["secret_sha256"] ?? "")") { continue }
            let location = try #require(finding["location"] as? [String: Any])
            let path = (location["path"] as? String ?? "").replacingOccurrences(of: Self.corpus + "/", with: "")
            let key = Key(path: path, line: location["line"] as? Int ?? 0, category: finding["category"] as? String ?? "")
            found[key] = finding["rule_id"] as? String
            severities[key] = finding["severity"] as? String
        }
        var scores: [String: Score] = [:]
        var overall = Score()
        var misses: [String] = []
        for key in found.keys {
            // A value planted to be seen at info that fails CI is reported wrongly: a false positive.
            if truth[key] != nil, !atInfo.contains(key) || severities[key] == "info" {
                scores[key.category, default: Score()].truePositives += 1
                overall.truePositives += 1
            } else {
                scores[key.category, default: Score()].falsePositives += 1
                overall.falsePositives += 1
                misses.append("false positive \(key.path):\(key.line) \(found[key] ?? "") \(severities[key] ?? "")")
            }
        }
        for (key, rule) in truth where found[key] == nil || (atInfo.contains(key) && severities[key] != "info") {
            scores[key.category, default: Score()].falseNegatives += 1
            overall.falseNegatives += 1
            misses.append("missed \(key.path):\(key.line) \(rule)")
        }
        var table = "category      planted  found  fp  fn  recall  precision\n"
        func row(_ name: String, _ s: Score) -> String {
            let cells = [name.padding(toLength: 12, withPad: " ", startingAt: 0),
                         String(format: "%7d", s.truePositives + s.falseNegatives), String(format: "%6d", s.truePositives),
                         String(format: "%3d", s.falsePositives), String(format: "%3d", s.falseNegatives),
                         String(format: "%7.3f", s.recall), String(format: "%10.3f", s.precision)]
            return cells.joined(separator: " ") + "\n"
        }
        for (category, score) in scores.sorted(by: { $0.key < $1.key }) { table += row(category, score) }
        table += row("overall", overall)
        print(table + misses.sorted().joined(separator: "\n"))

        #expect(overall.recall >= 0.97, "\(table)\(misses)")
        #expect(overall.precision >= 0.95, "\(table)\(misses)")
        for (category, score) in scores {
            #expect(score.recall >= 0.9 && score.precision >= 0.9, "\(category): \(table)")
        }
        // Every category the catalogue knows is measured.
        #expect(Set(scores.keys).isSuperset(of: ["model", "database", "session", "webhook", "smtp", "cloud", "payment",
                                                 "vcs", "messaging", "private-key", "generic"]))
    }

    /// The decoys stay quiet one by one, so a regression names the decoy that broke.
    @Test func decoyFilesProduceNothing() throws {
        for path in [".env.example", "docs/setup.md", "package-lock.json", "yarn.lock", "src/i18n/en.json",
                     "src/generated/graphql.ts", "db/migrations/001_seed.sql", "tests/auth.test.ts", "docker-compose.yml",
                     "certs/server.crt", "certs/jwt.pub"] {
            let truth = try Self.truth().keys.filter { $0.path == path }
            let atInfo = try Self.expectedAtInfo().filter { $0.path == path }
            let result = try CLI.run(["scan", "\(Self.corpus)/\(path)", "--format", "json"], in: CLI.packageRoot)
            let findings = try CLI.json(result.stdout)["findings"] as? [[String: Any]] ?? []
            #expect(Set(findings.compactMap { $0["secret_sha256"] as? String }).count == truth.count, "\(path): \(findings.map { "\($0["rule_id"]!) line \(($0["location"] as? [String: Any])?["line"] ?? 0)" })")
            // A file whose only planted values are info samples fails no CI.
            if !truth.isEmpty, truth.count == atInfo.count { #expect(result.status == 0, "\(path)") }
        }
    }
}
