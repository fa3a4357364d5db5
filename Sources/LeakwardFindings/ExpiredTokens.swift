import Foundation
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// A JWT carries its own expiry (`exp`, seconds since 1970). One that had expired long before it
/// was committed (or, in a working tree, before the scan) authenticates nothing and never did
/// from where it sits: a stale sample pasted into a Postman collection or a fixture. It is
/// reported at info with the date, so it is visible without failing CI. One still valid when it
/// was committed, or expired only days before, is a leak of the session it opened and keeps its
/// severity (the real-world panel labels those true: a token copied from a browser yesterday).
///
/// Runs after provenance, when a history finding knows its commit's date: `ScanSession` applies
/// it to every finding above info. The grace (`grace_days` of `[expired_tokens]` in
/// `rules/context/values.toml`) keeps recently expired tokens.
public struct ExpiredTokens: Sendable {
    /// How long before the reference date a token must have expired to be judged stale.
    public let grace: TimeInterval

    public static let bundled = BundledRules.catalogue(at: "rules/context/values.toml") { text, path in
        let days = try TOMLReader.parse(text, path: path)["expired_tokens"]?.table?["grace_days"]?.int
        return ExpiredTokens(graceDays: days ?? 30)
    }

    public init(graceDays: Int) { grace = TimeInterval(graceDays) * 86_400 }

    /// The finding, at info with a note when its secret is a JWT that had expired more than the
    /// grace before its commit (history) or `now` (a working tree, or no commit known).
    public func judged(_ finding: Finding, now: Date) -> Finding {
        guard finding.severity > .info, let expiry = Self.expiry(ofJWT: Array(finding.secret.revealed.utf8)) else { return finding }
        let committed = finding.location.commit.flatMap { ISO8601DateFormatter().date(from: $0.date) }
        let reference = committed ?? now
        guard expiry < reference.addingTimeInterval(-grace) else { return finding }
        var judged = finding
        judged.severity = .info
        let days = Int(reference.timeIntervalSince(expiry) / 86_400)
        let when = committed == nil ? "before this scan" : "before it was committed"
        let date = ISO8601DateFormatter().string(from: expiry).prefix(10)
        judged.notes.append("a JWT that expired on \(date), \(days) days \(when): it authenticates nothing, reported at info")
        return judged
    }

    /// The `exp` claim of a JWT (`header.payload.signature`, base64url, the payload a JSON object
    /// with a numeric `exp`), or nil for anything else.
    static func expiry(ofJWT bytes: [UInt8]) -> Date? {
        guard bytes.count >= 20, bytes.starts(with: Array("eyJ".utf8)) else { return nil }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].starts(with: Array("eyJ".utf8)) else { return nil }
        var text = String(decoding: parts[1], as: UTF8.self)
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let payload = Data(base64Encoded: text),
              let claims = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
              let exp = (claims["exp"] as? NSNumber)?.doubleValue, exp > 0 else { return nil }
        return Date(timeIntervalSince1970: exp)
    }
}
