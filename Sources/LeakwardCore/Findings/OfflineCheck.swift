import Foundation

/// What an offline validator concluded: keep or drop the candidate, how sure, and what it learnt.
public struct OfflineVerdict: Sendable, Equatable {
    public var isPlausible: Bool
    public var validation: Validation
    public var notes: [String] = []
    /// Overrides the rule's kind (a JWT whose role says `anon` is public by design).
    public var kind: FindingKind?

    public static let unchecked = OfflineVerdict(isPlausible: true, validation: .unchecked)
    public static let rejected = OfflineVerdict(isPlausible: false, validation: .unchecked)
}

/// Offline checks: checksums and structure that tell a real token from a look-alike, with no network.
public enum OfflineCheck {
    public static func verdict(_ kind: ValidatorKind, secret: [UInt8]) -> OfflineVerdict {
        switch kind {
        case .githubChecksum, .npmChecksum: return base62Checksum(secret)
        case .jwt: return jwt(secret, requiredRole: nil)
        case .supabaseServiceRole: return jwt(secret, requiredRole: "service_role")
        case .supabaseAnon: return jwt(secret, requiredRole: "anon")
        case .awsKeyID: return awsKeyID(secret)
        case .privateKey: return privateKey(secret)
        case .pypiMacaroon: return pypi(secret)
        case .openAIMarker: return openAI(secret)
        case .standardWebhook: return standardWebhook(secret)
        case .laravelKey: return laravel(secret)
        case .urlPassword: return .unchecked
        }
    }

    // MARK: - Checksums

    /// GitHub and npm: the last 6 characters are the base62 CRC32 of the 30 random ones before them.
    static func base62Checksum(_ secret: [UInt8]) -> OfflineVerdict {
        guard let underscore = secret.lastIndex(of: UInt8(ascii: "_")) else { return .rejected }
        let body = Array(secret[(underscore + 1)...])
        guard body.count == 36 else { return .rejected }
        let expected = base62(CRC32.checksum(body.prefix(30)), width: 6)
        return Array(body.suffix(6)) == expected ? OfflineVerdict(isPlausible: true, validation: .checksumValid) : .rejected
    }

    static func base62(_ value: UInt32, width: Int) -> [UInt8] {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var digits: [UInt8] = []
        var n = value
        while n > 0 { digits.append(alphabet[Int(n % 62)]); n /= 62 }
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        return digits.reversed()
    }

    /// Makes a format-valid fake GitHub/npm token from a prefix and 30 body characters (tests, fixtures).
    public static func tokenWithChecksum(prefix: String, body: String) -> String {
        let bytes = Array(body.utf8)
        return prefix + body + String(decoding: base62(CRC32.checksum(bytes), width: 6), as: UTF8.self)
    }

    // MARK: - Structure

    static func jwt(_ secret: [UInt8], requiredRole: String?) -> OfflineVerdict {
        let parts = secret.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3,
              let header = Base64.decode(parts[0]).flatMap(json),
              let payload = Base64.decode(parts[1]).flatMap(json),
              header["alg"] != nil else { return .rejected }
        var notes = ["alg=\(header["alg"] ?? "")"]
        let role = payload["role"] as? String
        if let role { notes.append("role=\(role)") }
        if let iss = payload["iss"] as? String { notes.append("iss=\(iss)") }
        if let exp = payload["exp"] as? Double {
            let date = Date(timeIntervalSince1970: exp)
            notes.append("exp=\(ISO8601DateFormatter().string(from: date))" + (date < Date() ? " (expired)" : ""))
        }
        if let requiredRole, role != requiredRole { return .rejected }
        var verdict = OfflineVerdict(isPlausible: true, validation: .structureValid, notes: notes)
        if role == "anon" { verdict.kind = .publicByDesign }
        return verdict
    }

    private static func json(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    /// AWS key ids: a known 4-letter prefix and 16 base32 characters.
    static func awsKeyID(_ secret: [UInt8]) -> OfflineVerdict {
        let base32 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        guard secret.count == 20, secret.dropFirst(4).allSatisfy(base32.contains) else { return .rejected }
        let kind = secret.starts(with: Array("ASIA".utf8)) ? "temporary STS key" : "long-term key"
        return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: [kind])
    }

    static func privateKey(_ secret: [UInt8]) -> OfflineVerdict {
        let text = String(decoding: secret, as: UTF8.self)
        guard text.contains("-----BEGIN"), text.contains("-----END") else {
            return OfflineVerdict(isPlausible: true, validation: .unchecked, notes: ["truncated key block"])
        }
        let bodyLines = text.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") && !$0.contains(":") }
        let body = bodyLines.joined().filter { !$0.isWhitespace && $0 != "\\" }
        guard let decoded = Base64.decode(body.replacingOccurrences(of: "\\n", with: "")), decoded.count >= 64 else {
            return .rejected
        }
        var notes: [String] = []
        if text.contains("ENCRYPTED") || text.contains("Proc-Type: 4,ENCRYPTED") {
            notes.append("encrypted with a passphrase")
        } else if text.contains("OPENSSH PRIVATE KEY") {
            let cipher = openSSHCipher(decoded)
            notes.append(cipher == "none" ? "not encrypted" : "encrypted (\(cipher ?? "unknown cipher"))")
        } else {
            notes.append("not encrypted")
        }
        return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: notes)
    }

    /// Reads the cipher name of an `openssh-key-v1` blob.
    private static func openSSHCipher(_ blob: [UInt8]) -> String? {
        let magic = Array("openssh-key-v1\0".utf8)
        guard blob.starts(with: magic), blob.count > magic.count + 4 else { return nil }
        let i = magic.count
        let length = Int(blob[i]) << 24 | Int(blob[i + 1]) << 16 | Int(blob[i + 2]) << 8 | Int(blob[i + 3])
        guard length < 64, blob.count >= i + 4 + length else { return nil }
        return String(decoding: blob[(i + 4)..<(i + 4 + length)], as: UTF8.self)
    }

    /// PyPI tokens are macaroons whose first caveat names the index they work on.
    static func pypi(_ secret: [UInt8]) -> OfflineVerdict {
        let prefix = Array("pypi-".utf8)
        guard secret.starts(with: prefix), let decoded = Base64.decode(secret.dropFirst(prefix.count).prefix(28)) else {
            return .rejected
        }
        let text = String(decoding: decoded, as: UTF8.self)
        if text.contains("test.pypi.org") {
            return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: ["index: test.pypi.org"])
        }
        if text.contains("pypi.org") {
            return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: ["index: pypi.org"])
        }
        return .rejected
    }

    /// OpenAI keys carry `T3BlbkFJ` (base64 of "OpenAI") between two random halves.
    static func openAI(_ secret: [UInt8]) -> OfflineVerdict {
        guard let range = secret.firstRange(of: Array("T3BlbkFJ".utf8)) else { return .unchecked }
        let isPlausible = range.lowerBound >= 20 && secret.count - range.upperBound >= 20
        return isPlausible ? OfflineVerdict(isPlausible: true, validation: .structureValid) : .rejected
    }

    static func standardWebhook(_ secret: [UInt8]) -> OfflineVerdict {
        guard let decoded = Base64.decode(secret.drop { $0 != UInt8(ascii: "_") }.dropFirst()),
              (24...64).contains(decoded.count) else { return .unchecked }
        return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: ["\(decoded.count)-byte key"])
    }

    static func laravel(_ secret: [UInt8]) -> OfflineVerdict {
        let prefix = Array("base64:".utf8)
        guard secret.starts(with: prefix), let decoded = Base64.decode(secret.dropFirst(prefix.count)),
              decoded.count == 32 || decoded.count == 16 else { return .rejected }
        return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: ["\(decoded.count * 8)-bit key"])
    }
}
