import Foundation
import LeakwardModel
import LeakwardRules
import LeakwardSupport

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
        case .discordToken: return discord(secret)
        case .sesSMTPPassword: return sesSMTP(secret)
        case .sentryOrgToken: return sentryOrg(secret)
        case .clerkPublishableKey: return clerkPublishable(secret)
        case .zhipuKey: return zhipu(secret)
        case .puttyKey: return putty(secret)
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

    public static func jwt(_ secret: [UInt8], requiredRole: String?) -> OfflineVerdict {
        let parts = secret.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3,
              let header = Base64.decode(parts[0]).flatMap(json),
              let payload = Base64.decode(parts[1]).flatMap(json),
              header["alg"] != nil else { return .rejected }
        // jwt.io's debugger opens on a sample token (`sub` 1234567890, `iat` 1516239022, John
        // Doe): tutorials and default settings re-sign it with another name or secret, and the
        // subject and issue time stay. Its claims say sample wherever the signature came from.
        if payload["sub"] as? String == "1234567890", (payload["iat"] as? NSNumber)?.int64Value == 1_516_239_022 {
            return .rejected
        }
        var notes = ["alg=\(header["alg"] ?? "")"]
        let role = payload["role"] as? String
        if let role { notes.append("role=\(role)") }
        if let iss = payload["iss"] as? String { notes.append("iss=\(iss)") }
        if let exp = payload["exp"] as? Double {
            let date = Date(timeIntervalSince1970: exp)
            notes.append("exp=\(ISO8601DateFormatter().string(from: date))" + (date < Date() ? " (expired)" : ""))
        }
        if let requiredRole, role != requiredRole { return .rejected }
        // Supabase signs every hosted project's keys with `iss` (and `ref`, the project); a
        // service-role JWT with neither names no project: a local or sample stack's, judged like
        // a value with no format of its own (still reported where production code holds it).
        if requiredRole == "service_role", payload["iss"] == nil, payload["ref"] == nil {
            return OfflineVerdict(isPlausible: true, validation: .unchecked, notes: notes + ["no issuer or project ref: not a hosted project's key"])
        }
        var verdict = OfflineVerdict(isPlausible: true, validation: .structureValid, notes: notes)
        if role == "anon" { verdict.kind = .publicByDesign }
        return verdict
    }

    /// Zhipu AI keys are `id.secret`: the id 32 lower-case hex digits holding letters and digits,
    /// the secret (the JWT signing key the SDK splits off) 16 base62 characters of both cases.
    /// A typed or cut sample (`….1`, an all-lower-case word) fails. The shape is no checksum:
    /// a passing key stays unchecked, judged by where it sits (docs show real-looking samples).
    static func zhipu(_ secret: [UInt8]) -> OfflineVerdict {
        guard secret.count == 49, secret[32] == UInt8(ascii: ".") else { return .rejected }
        let id = secret[..<32], key = secret[33...]
        let hex: (UInt8) -> Bool = { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
        guard id.allSatisfy(hex), id.contains(where: { $0 >= 97 }), id.contains(where: { $0 <= 57 }),
              key.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }),
              key.contains(where: { $0 >= 65 && $0 <= 90 }), key.contains(where: { $0 >= 97 && $0 <= 122 }) else { return .rejected }
        return OfflineVerdict(isPlausible: true, validation: .unchecked)
    }

    /// A PuTTY key file (`PuTTY-User-Key-File-2/3: ssh-rsa`, `Encryption:`, `Public-Lines: n`
    /// and n lines of base64, …): structure-valid when the public blob decodes to an SSH key of
    /// the header's algorithm (a string of that name first, as every SSH public key starts), so
    /// the file is a key PuTTY made, not a sample's text. Noted: encrypted or not. Never
    /// rejected: a cut or padded sample stays plausible, unchecked.
    static func putty(_ secret: [UInt8]) -> OfflineVerdict {
        let lines = String(decoding: secret, as: UTF8.self).split(whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        func value(_ key: String) -> String? {
            lines.first { $0.hasPrefix(key + ":") }.map { $0.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces) }
        }
        guard let algorithm = lines.first.flatMap({ $0.split(separator: ":", maxSplits: 1).last })?.trimmingCharacters(in: .whitespaces),
              let encryption = value("Encryption"), let count = value("Public-Lines").flatMap({ Int($0) }),
              let start = lines.firstIndex(where: { $0.hasPrefix("Public-Lines:") }), start + count < lines.count,
              let blob = Base64.decode(lines[(start + 1)...(start + count)].joined()), blob.count > 4 else {
            return .unchecked
        }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length == algorithm.utf8.count, blob.count >= 4 + length, Array(blob[4..<(4 + length)]) == Array(algorithm.utf8) else {
            return .unchecked
        }
        return OfflineVerdict(isPlausible: true, validation: .structureValid,
                              notes: [encryption == "none" ? "not encrypted" : "encrypted (\(encryption))"])
    }

    private static func json(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    /// AWS key ids: a known 4-letter prefix and 16 base32 characters.
    public static func awsKeyID(_ secret: [UInt8]) -> OfflineVerdict {
        let base32 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        guard secret.count == 20, secret.dropFirst(4).allSatisfy(base32.contains) else { return .rejected }
        var notes = [secret.starts(with: Array("ASIA".utf8)) ? "temporary STS key" : "long-term key"]
        if let account = awsAccountID(secret) { notes.append("account \(account)") }
        return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: notes)
    }

    /// The AWS account id inside a key id (newer keys only): base32-decode the 16 characters
    /// after the prefix, take the first 6 bytes, mask with 0x7fffffffff80 and shift by 7.
    static func awsAccountID(_ secret: [UInt8]) -> String? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var value: UInt64 = 0
        var bits = 0
        var bytes: [UInt8] = []
        for c in secret.dropFirst(4) {
            guard let index = alphabet.firstIndex(of: c) else { return nil }
            value = value << 5 | UInt64(index)
            bits += 5
            if bits >= 8 { bits -= 8; bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(bits))) }
        }
        guard bytes.count >= 6 else { return nil }
        let head = bytes.prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let account = (head & 0x7fff_ffff_ff80) >> 7
        // Old key ids (AKIAI…, AKIAJ…) predate the encoding and decode to nonsense.
        guard secret.count > 4, secret[4] != UInt8(ascii: "I"), secret[4] != UInt8(ascii: "J"), account <= 999_999_999_999 else { return nil }
        let digits = String(account)
        return String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// PEM, OpenSSH and PGP blocks: the armoured body must decode, and the headers (or the
    /// OpenSSH cipher name, or the PGP S2K usage byte) say whether a passphrase protects it.
    /// Blocks escaped inside JSON or code strings (`\\n` for newlines) are unescaped first.
    public static func privateKey(_ secret: [UInt8]) -> OfflineVerdict {
        let text = String(decoding: secret, as: UTF8.self)
            .replacingOccurrences(of: "\\r\\n", with: "\n").replacingOccurrences(of: "\\n", with: "\n")
        guard text.contains("-----BEGIN"), text.contains("-----END") else {
            // A key's DER body in base64 with no armour (`MIIEv…` as an Alipay SDK takes it): an
            // RSA key whose numbers fit together (n = p·q) is a real key, as its PEM would be.
            if text.hasPrefix("MI"), let der = Base64.decode(text.filter { !$0.isWhitespace }), der.first == 0x30 {
                switch RSAKeyNumbers.fit(der) {
                case true?: return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: ["an RSA key whose numbers fit (n = p·q)"])
                case false?: return OfflineVerdict(isPlausible: true, validation: .unchecked, notes: ["made up: its RSA numbers do not fit together (n ≠ p·q)"])
                case nil: return OfflineVerdict(isPlausible: true, validation: .unchecked, notes: [])
                }
            }
            return OfflineVerdict(isPlausible: true, validation: .unchecked, notes: ["truncated key block"])
        }
        let isPGP = text.contains("PGP PRIVATE KEY")
        // Armour headers (`Proc-Type:`, `Version:`) and the PGP CRC line (`=abcd`) are not body.
        let bodyLines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.hasPrefix("-----") && !$0.contains(":") && !(isPGP && $0.hasPrefix("="))
        }
        let body = bodyLines.joined().filter { !$0.isWhitespace && $0 != "\\" }
        guard let decoded = Base64.decode(body), decoded.count >= 32 else { return .rejected }
        var notes: [String] = []
        // PKCS#1, PKCS#8 (plain and encrypted), SEC 1 and DSA bodies are one DER SEQUENCE whose
        // header says how many bytes it holds. A test's mock (`MIIEvQ…` then a line of words,
        // `test-private-key-content`) keeps a real key's first line and so its header, but not
        // its bytes: cut short, it is no key, judged like any formatless value (as a made-up RSA
        // key is, below). Legacy encrypted PEM (`Proc-Type: 4,ENCRYPTED`) is ciphertext, not DER.
        let isDER = !isPGP && !text.contains("OPENSSH PRIVATE KEY") && !text.contains("Proc-Type:")
        if isDER, decoded.first == 0x30, let declared = derLength(decoded), declared > decoded.count {
            return OfflineVerdict(isPlausible: true, validation: .unchecked,
                                  notes: ["cut short: its DER header says \(declared) bytes, the body holds \(decoded.count)"])
        }
        if text.contains("ENCRYPTED") || text.contains("Proc-Type: 4,ENCRYPTED") {
            notes.append("encrypted with a passphrase")
        } else if text.contains("OPENSSH PRIVATE KEY") {
            guard let cipher = openSSHCipher(decoded) else { return .rejected }
            notes.append(cipher == "none" ? "not encrypted" : "encrypted (\(cipher))")
        } else if isPGP {
            notes.append(pgpIsProtected(decoded) ? "protected with a passphrase" : "not protected by a passphrase")
        } else {
            // PKCS#1, PKCS#8, SEC 1 and DSA keys are DER: an ASN.1 SEQUENCE. A body that decodes
            // to anything else (documentation pads samples with base64 of prose) parsed as
            // base64 only: plausible, not checked.
            guard decoded.first == 0x30 else {
                return OfflineVerdict(isPlausible: true, validation: .unchecked, notes: ["body is not a DER key"])
            }
            // An RSA key whose modulus is not the product of its primes was made up (a test's
            // mock): plausible as text, but no check passed, so it is judged like any formatless value.
            if RSAKeyNumbers.fit(decoded) == false {
                return OfflineVerdict(isPlausible: true, validation: .unchecked, notes: ["made up: its RSA numbers do not fit together (n ≠ p·q)"])
            }
            notes.append("not encrypted")
        }
        return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: notes)
    }

    /// The whole length (header included) an ASN.1 DER element at the start of `der` declares:
    /// short form (one byte under 0x80) or long form (0x81…0x84 and that many length bytes).
    /// Nil when the header itself is cut or malformed.
    static func derLength(_ der: [UInt8]) -> Int? {
        guard der.count >= 2 else { return nil }
        let first = Int(der[1])
        if first < 0x80 { return 2 + first }
        let count = first - 0x80
        guard (1...4).contains(count), der.count >= 2 + count else { return nil }
        let length = der[2..<(2 + count)].reduce(0) { $0 << 8 | Int($1) }
        return 2 + count + length
    }

    /// RFC 4880 §5.5.3: after the public-key fields of a secret-key packet comes the S2K usage
    /// byte (0 = unprotected). Finding it needs the algorithm's MPI layout, so this reads the
    /// common case (RSA, v4) and otherwise assumes protection (the safer claim to make).
    private static func pgpIsProtected(_ packet: [UInt8]) -> Bool {
        guard packet.count > 12, packet[0] & 0x80 != 0 else { return true }
        var i = 1
        if packet[0] & 0x40 != 0 {  // new format length
            let first = Int(packet[1])
            i = first < 192 ? 2 : (first < 224 ? 3 : 6)
        } else {
            let lengthType = packet[0] & 0x03
            i = 1 + [1, 2, 4, 0][Int(lengthType)]
        }
        guard packet.count > i + 6, packet[i] == 4, packet[i + 5] == 1 else { return true }  // v4, RSA
        i += 6
        for _ in 0..<2 {  // n, e
            guard packet.count > i + 2 else { return true }
            let bits = Int(packet[i]) << 8 | Int(packet[i + 1])
            i += 2 + (bits + 7) / 8
        }
        return packet.count > i ? packet[i] != 0 : true
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

    /// PyPI tokens are macaroons whose first caveat names the index they work on, and which end
    /// with their signature (`MacaroonV2`): a token cut short (`pypi-AgEIcHlwaS5vcmcCJGQ4…KCl...`
    /// in a README's "Format" section) stops before it and opens nothing.
    static func pypi(_ secret: [UInt8]) -> OfflineVerdict {
        let prefix = Array("pypi-".utf8)
        guard secret.starts(with: prefix), let decoded = Base64.decode(secret.dropFirst(prefix.count).prefix(28)) else {
            return .rejected
        }
        guard let whole = Base64.decode(secret.dropFirst(prefix.count)), MacaroonV2.endsWithSignature(whole) else {
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

    public static func standardWebhook(_ secret: [UInt8]) -> OfflineVerdict {
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

    /// Discord bot tokens: segment one is base64 of the bot's snowflake, whose top bits are
    /// milliseconds since 2015-01-01, so the creation date is readable offline.
    static func discord(_ secret: [UInt8]) -> OfflineVerdict {
        guard let dot = secret.firstIndex(of: UInt8(ascii: ".")), let decoded = Base64.decode(secret[..<dot]),
              (17...20).contains(decoded.count), decoded.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let snowflake = UInt64(String(decoding: decoded, as: UTF8.self)) else { return .rejected }
        let created = Date(timeIntervalSince1970: Double((snowflake >> 22) + 1_420_070_400_000) / 1000)
        let day = ISO8601DateFormatter.string(from: created, timeZone: .gmt, formatOptions: [.withFullDate])
        return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: ["bot id \(snowflake)", "bot created \(day)"])
    }

    /// SES SMTP passwords are base64 of a version byte and a 32-byte HMAC (AWS SES docs).
    static func sesSMTP(_ secret: [UInt8]) -> OfflineVerdict {
        guard let decoded = Base64.decode(secret), decoded.count == 33, decoded[0] == 0x04 || decoded[0] == 0x02 else {
            return .rejected
        }
        return OfflineVerdict(isPlausible: true, validation: .structureValid,
                              notes: [decoded[0] == 0x04 ? "SigV4-derived SMTP password" : "legacy (v2) SMTP password"])
    }

    /// `sntrys_<base64 JSON>_<secret>`: the JSON carries the org slug and region URL.
    static func sentryOrg(_ secret: [UInt8]) -> OfflineVerdict {
        let prefix = Array("sntrys_".utf8)
        guard secret.starts(with: prefix), let end = secret.lastIndex(of: UInt8(ascii: "_")), end > prefix.count,
              let decoded = Base64.decode(secret[prefix.count..<end]),
              let claims = (try? JSONSerialization.jsonObject(with: Data(decoded))) as? [String: Any] else { return .rejected }
        var notes: [String] = []
        if let org = claims["org"] as? String { notes.append("org=\(org)") }
        if let region = claims["region_url"] as? String { notes.append("region=\(region)") }
        return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: notes)
    }

    /// Clerk publishable keys encode `<frontend api host>$`; anything else is some other `pk_`.
    static func clerkPublishable(_ secret: [UInt8]) -> OfflineVerdict {
        guard let underscore = secret.lastIndex(of: UInt8(ascii: "_")),
              let decoded = Base64.decode(secret[(underscore + 1)...]), decoded.last == UInt8(ascii: "$") else { return .rejected }
        let host = String(decoding: decoded.dropLast(), as: UTF8.self)
        let isHost = !host.isEmpty && host.contains(".") && host.utf8.allSatisfy { b in
            (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 45 || b == 46 || (b >= 65 && b <= 90)
        }
        guard isHost else { return .rejected }
        let mode = secret.starts(with: Array("pk_test_".utf8)) ? "development" : "production"
        return OfflineVerdict(isPlausible: true, validation: .structureValid, notes: ["frontend API \(host)", "\(mode) instance"])
    }
}
