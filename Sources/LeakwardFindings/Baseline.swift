import Foundation
import LeakwardModel
import LeakwardSupport

/// Known findings a project has accepted, so only new ones are reported (`--baseline FILE`).
///
/// An entry is identified by a fingerprint, HMAC-SHA256 keyed with the baseline's own random key
/// over the rule id and the secret: never the secret, and useless for checking a guessed token
/// without the file's key. Line and path are not part of the identity, so inserting lines or
/// moving a file never changes the file; `path` and `note` are there for the people reading it.
/// Entries are sorted and written one per line, so concurrent edits merge cleanly.
public struct Baseline: Sendable, Equatable {
    public static let schemaVersion = "leakward.baseline/1"

    /// One accepted secret.
    public struct Entry: Sendable, Equatable, Codable {
        public var fingerprint: String
        public var rule: String
        /// Where it was first seen when the entry was added (not updated when the file moves).
        public var path: String
        /// Why it is accepted; written by people, kept by `baseline update`.
        public var note: String

        public init(fingerprint: String, rule: String, path: String, note: String = "") {
            self.fingerprint = fingerprint
            self.rule = rule
            self.path = path
            self.note = note
        }
    }

    /// The HMAC key, 32 random bytes per baseline, stored as `salt` (it protects fingerprints
    /// from precomputed dictionaries of leaked tokens; the fingerprints need it to be checked).
    public let key: [UInt8]
    public private(set) var entries: [Entry]

    public init(key: [UInt8], entries: [Entry] = []) {
        self.key = key
        self.entries = Baseline.sorted(entries)
    }

    /// A fresh baseline with a random key, holding every finding (one entry per rule and secret).
    public static func create(from findings: [Finding]) -> Baseline {
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var baseline = Baseline(key: key)
        _ = baseline.update(with: findings, prune: false)
        return baseline
    }

    public func fingerprint(of finding: Finding) -> String {
        fingerprint(rule: finding.ruleID, secret: finding.secret.bytes)
    }

    public func fingerprint(rule: String, secret: [UInt8]) -> String {
        SHA256.hexString(SHA256.hmac(key: key, message: Array(rule.utf8) + [0] + secret))
    }

    /// Splits findings into those the baseline does not know (to report) and the count it does.
    public func filter(_ findings: [Finding]) -> (new: [Finding], baselined: Int) {
        let known = Set(entries.map(\.fingerprint))
        let new = findings.filter { !known.contains(fingerprint(of: $0)) }
        return (new, findings.count - new.count)
    }

    /// Adds entries for findings it does not know and, with `prune`, drops entries no finding
    /// matches any more. Existing entries are kept byte for byte (path and note included).
    public mutating func update(with findings: [Finding], prune: Bool = true) -> (added: Int, removed: Int) {
        var seen = Set<String>()
        var additions: [String: Entry] = [:]
        // Sorted findings make the recorded path deterministic when a secret appears twice.
        for finding in findings.sorted(by: { ($0.location, $0.ruleID) < ($1.location, $1.ruleID) }) {
            let print = fingerprint(of: finding)
            seen.insert(print)
            if additions[print] == nil {
                additions[print] = Entry(fingerprint: print, rule: finding.ruleID, path: finding.location.displayPath)
            }
        }
        let existing = Set(entries.map(\.fingerprint))
        let kept = prune ? entries.filter { seen.contains($0.fingerprint) } : entries
        let added = additions.values.filter { !existing.contains($0.fingerprint) }
        entries = Baseline.sorted(kept + added)
        return (added.count, existing.count - kept.count)
    }

    public static func sorted(_ entries: [Entry]) -> [Entry] {
        entries.sorted { ($0.path, $0.rule, $0.fingerprint) < ($1.path, $1.rule, $1.fingerprint) }
    }

    /// The file's text: a small JSON object with one entry per line.
    public func serialized() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let lines = entries.map { entry in
            "    " + String(decoding: (try? encoder.encode(entry)) ?? Data(), as: UTF8.self)
        }
        var out = "{\n"
        out += "  \"schema\": \"\(Baseline.schemaVersion)\",\n"
        out += "  \"salt\": \"\(SHA256.hexString(key))\",\n"
        out += lines.isEmpty ? "  \"entries\": []\n" : "  \"entries\": [\n" + lines.joined(separator: ",\n") + "\n  ]\n"
        out += "}\n"
        return out
    }

    /// Why a baseline file was refused.
    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ text: String, path: String) throws -> Baseline {
        struct File: Decodable {
            var schema: String
            var salt: String
            var entries: [Entry]
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(text.utf8))
        } catch {
            throw FormatError(description: "\(path): not a Leakward baseline (\(Baseline.describe(error))); recreate it with `leakward baseline create`")
        }
        guard file.schema == schemaVersion else {
            throw FormatError(description: "\(path): baseline schema '\(file.schema)' is not \(schemaVersion)")
        }
        guard let key = hexBytes(file.salt), key.count >= 16 else {
            throw FormatError(description: "\(path): baseline salt must be at least 32 hex digits")
        }
        return Baseline(key: key, entries: file.entries)
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing key '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "invalid JSON"
        }
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }
}
