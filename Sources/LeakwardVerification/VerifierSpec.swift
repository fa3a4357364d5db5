import Foundation
import LeakwardModel

/// How to ask one provider whether a key works, as written in `rules/verify/*.toml`: the
/// cheapest read-only call, and how to read its answer. Data, never code per provider.
public struct VerifierSpec: Sendable, Hashable {
    public var id: String
    /// Rule id prefixes it applies to (`openai.`, `github.pat`).
    public var rules: [String]
    /// The provider's documented API host; `url` must be on it. `*.supabase.co` allows one label.
    public var host: String
    public var method: String
    /// `https://…` with `{secret}`, `{companion}`, `{jwt.CLAIM}`, `{secret.after_last_dash}` placeholders.
    public var url: String
    /// `Name: value` lines with the same placeholders.
    public var headers: [String]
    public var body: String?
    /// `basic`: HTTP Basic with `basic_user` (a literal or a placeholder) and the secret as password.
    /// `sigv4`: AWS Signature V4 with the companion access key id (`region`, `service`).
    public var auth: String?
    public var basicUser: String?
    public var region: String?
    public var service: String?
    /// Rule of a second value from the same file that completes the credential (AWS key id, Twilio SID).
    public var companion: String?
    /// Status codes that mean live / revoked.
    public var liveStatus: [Int]
    public var revokedStatus: [Int]
    /// For providers that answer 200 either way: a JSON key path that must be `true` for live.
    public var liveJSON: String?
    /// With `liveJSON`: a JSON key path that is `false` when the provider says the key is invalid
    /// (Cohere's `valid`); without it a false `liveJSON` is unknown (Slack's `ok` is false for rate limits too).
    public var revokedJSON: String?
    /// Substrings of the body that mean revoked (`invalid_auth`, `API_KEY_INVALID`).
    public var revokedBody: [String]
    /// Substrings of the body that mean live despite a refusal status (a key valid but restricted).
    public var liveBody: [String]
    /// JSON key paths (dot-separated) of who the key belongs to; the first present wins.
    public var identity: [String]
    /// A header listing scopes (comma-separated), or a JSON key path of a list of them.
    public var scopesHeader: String?
    public var scopesJSON: String?
    /// Where this came from, for error messages.
    public var source: String
}

extension VerifierSpec {
    /// Reads an answer: live, revoked or unknown, with identity and scopes when the answer has them.
    public func read(_ answer: HTTPSAnswer, host: String, at checkedAt: String) -> VerificationResult {
        func result(_ status: VerificationResult.Status, _ detail: String, identity: String? = nil, scopes: [String] = []) -> VerificationResult {
            VerificationResult(status: status, verifier: id, host: host, checkedAt: checkedAt, identity: identity, scopes: scopes, detail: detail)
        }
        guard case .response(let status, let headers, let body) = answer else {
            if case .failed(let reason) = answer { return result(.unknown, reason) }
            return result(.unknown, "no answer")
        }
        let text = String(decoding: body, as: UTF8.self)
        if (300..<400).contains(status) {
            let target = headers["location"].flatMap { URL(string: $0)?.host } ?? "elsewhere"
            return result(.unknown, "HTTP \(status): redirect to \(target) refused")
        }
        if status == 429 { return result(.unknown, "HTTP 429: rate-limited, try again later") }
        let json = (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]))
        if let marker = revokedBody.first(where: { text.contains($0) }) { return result(.revoked, "HTTP \(status): \(marker)") }
        let isLive: Bool
        if let liveJSON {
            guard liveStatus.contains(status) else {
                return revokedStatus.contains(status) ? result(.revoked, "HTTP \(status)") : result(.unknown, "HTTP \(status)")
            }
            guard let json else { return result(.unknown, "HTTP \(status): malformed answer (not JSON)") }
            isLive = Self.value(at: liveJSON, in: json) as? Bool == true
            if !isLive, let revokedJSON, Self.value(at: revokedJSON, in: json) as? Bool == false {
                return result(.revoked, "HTTP \(status): `\(revokedJSON)` is false")
            }
            if !isLive { return result(.unknown, "HTTP \(status): `\(liveJSON)` is not true") }
        } else {
            isLive = liveStatus.contains(status) || (!liveBody.isEmpty && liveBody.contains { text.contains($0) })
        }
        if isLive {
            // Every provider here answers JSON: anything else is a proxy page or a broken answer.
            guard json != nil else { return result(.unknown, "HTTP \(status): malformed answer (not JSON)") }
            let who = identity.lazy.compactMap { path in json.flatMap { Self.value(at: path, in: $0) }.flatMap(Self.describe) }.first
            var scopes: [String] = []
            if let name = scopesHeader, let value = headers[name.lowercased()] {
                scopes = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            if let path = scopesJSON, let json, let list = Self.value(at: path, in: json) as? [Any] {
                scopes += list.compactMap(Self.describe)
            }
            return result(.live, "HTTP \(status)", identity: who, scopes: Array(scopes.prefix(50)))
        }
        if revokedStatus.contains(status) { return result(.revoked, "HTTP \(status)") }
        return result(.unknown, "HTTP \(status)")
    }

    /// `a.b.0.c` in parsed JSON.
    public static func value(at path: String, in json: Any) -> Any? {
        var current: Any? = json
        for part in path.split(separator: ".") {
            if let object = current as? [String: Any] {
                current = object[String(part)]
            } else if let array = current as? [Any], let index = Int(part), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current
    }

    public static func describe(_ value: Any) -> String? {
        switch value {
        case let text as String: text.isEmpty ? nil : String(text.prefix(200))
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }
}
