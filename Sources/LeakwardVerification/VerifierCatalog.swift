import Foundation
import LeakwardRules

/// Every verifier of `rules/verify/*.toml`, and how a request is built from one: placeholders
/// filled, the host checked against the provider's documented one, test overrides only for
/// loopback addresses. Nothing here is configurable from the scanned project.
public struct VerifierCatalog: Sendable {
    public let verifiers: [VerifierSpec]
    /// Database logins (`[[database]]`), used only with `--verify-db`.
    public let databases: [DatabaseVerifierSpec]

    public init(verifiers: [VerifierSpec], databases: [DatabaseVerifierSpec] = []) {
        self.verifiers = verifiers
        self.databases = databases
    }

    public static func builtIn() throws -> VerifierCatalog {
        let files = BundledRules.files.filter { $0.path.hasPrefix("rules/verify/") && $0.path.hasSuffix(".toml") }
        return try VerifierCatalog(verifiers: files.flatMap { try VerifierFile.verifiers(fromTOML: $0.text, path: $0.path) },
                                   databases: files.flatMap { try VerifierFile.databases(fromTOML: $0.text, path: $0.path) })
    }

    /// The database login for a URL found by `ruleID`, by its scheme.
    public func database(ruleID: String, scheme: String) -> DatabaseVerifierSpec? {
        databases.first { spec in spec.schemes.contains(scheme) && spec.rules.contains { Self.ruleMatches(ruleID, $0) } }
    }

    /// The verifier for a rule: an entry ending in `.` is a prefix (`openai.`), any other names
    /// one rule exactly (`twilio.api-key` must not take `twilio.api-key-sid`); the longest wins.
    public func verifier(ruleID: String) -> VerifierSpec? {
        verifiers.compactMap { spec -> (Int, VerifierSpec)? in
            spec.rules.filter { Self.ruleMatches(ruleID, $0) }.map(\.count).max().map { ($0, spec) }
        }.max { $0.0 < $1.0 }?.1
    }

    public static func ruleMatches(_ ruleID: String, _ entry: String) -> Bool {
        entry.hasSuffix(".") ? ruleID.hasPrefix(entry) : ruleID == entry
    }

    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return bare == "127.0.0.1" || bare == "::1" || bare == "localhost"
    }

    /// `openai=https://127.0.0.1:8443,github=https://[::1]:9000`: verifier id → scheme, host and
    /// port to use instead of the documented host. Entries that are not loopback HTTPS are
    /// ignored and reported, so the variable cannot send a key anywhere else.
    public static func overrides(from text: String) -> (overrides: [String: URLComponents], refused: [String]) {
        var overrides: [String: URLComponents] = [:]
        var refused: [String] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let url = URLComponents(string: parts[1]), url.scheme == "https",
                  let host = url.host, isLoopback(host) || isLoopback("[\(host)]") else {
                refused.append(entry)
                continue
            }
            overrides[parts[0]] = url
        }
        return (overrides, refused)
    }
}

/// What a request is built from: the secret, the companion value when the verifier needs one.
public struct VerificationSubject: Sendable {
    public var secret: String
    public var companion: String?

    public init(secret: String, companion: String? = nil) {
        self.secret = secret
        self.companion = companion
    }
}

extension VerifierSpec {
    public enum BuildError: Error, Equatable, CustomStringConvertible {
        case missingCompanion(String)
        case missingValue(String)
        case wrongHost(String)

        public var description: String {
            switch self {
            case .missingCompanion(let rule): "needs a \(rule) value in the same file"
            case .missingValue(let placeholder): "cannot fill \(placeholder) from this key"
            case .wrongHost(let host): "refused: \(host) is not the provider's documented host"
            }
        }
    }

    /// The request for `subject`; with an override (loopback only) the scheme, host and port
    /// are replaced and the path kept. `now` dates an AWS signature.
    public func request(for subject: VerificationSubject, override: URLComponents? = nil, testCAFile: String? = nil,
                        now: Date = Date()) throws -> HTTPSRequest {
        if companion != nil, subject.companion == nil { throw BuildError.missingCompanion(companion!) }
        let filledURL = try fill(url, subject, encode: true)
        guard var components = URLComponents(string: filledURL), components.scheme == "https", let realHost = components.host,
              Self.hostMatches(realHost, pattern: host) else {
            throw BuildError.wrongHost(URLComponents(string: filledURL)?.host ?? filledURL)
        }
        var isOverridden = false
        if let override, let overrideHost = override.host, VerifierCatalog.isLoopback(overrideHost) || VerifierCatalog.isLoopback("[\(overrideHost)]") {
            components.host = overrideHost
            components.port = override.port
            isOverridden = true
        }
        guard let finalURL = components.string else { throw BuildError.wrongHost(realHost) }
        let hostHeader = components.port.map { "\(components.host!):\($0)" } ?? components.host!
        var headers = try headers.map { try fill($0, subject, encode: false) }
        let filledBody = try body.map { try fill($0, subject, encode: false) }
        switch auth {
        case "basic":
            let user = try fill(basicUser ?? "", subject, encode: false)
            headers.append("Authorization: Basic " + Data("\(user):\(subject.secret)".utf8).base64EncodedString())
        case "sigv4":
            headers += SigV4.headers(method: method, host: hostHeader, path: components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath,
                                     query: components.percentEncodedQuery ?? "", body: filledBody ?? "", headers: headers,
                                     accessKeyID: subject.companion ?? "", secretKey: subject.secret,
                                     region: region ?? "us-east-1", service: service ?? "sts", now: now)
        default: break
        }
        return HTTPSRequest(method: method, url: finalURL, host: isOverridden ? hostHeader : realHost, headers: headers,
                            body: filledBody, testCAFile: isOverridden ? testCAFile : nil)
    }

    /// `api.openai.com` equals; `*.supabase.co` allows exactly one more label.
    static func hostMatches(_ host: String, pattern: String) -> Bool {
        let host = host.lowercased()
        guard pattern.hasPrefix("*.") else { return host == pattern.lowercased() }
        let suffix = String(pattern.dropFirst(1)).lowercased()
        guard host.hasSuffix(suffix) else { return false }
        let label = host.dropLast(suffix.count)
        return !label.isEmpty && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
    }

    public func fill(_ template: String, _ subject: VerificationSubject, encode: Bool) throws -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            var value: String
            switch name {
            case "secret": value = subject.secret
            case "companion":
                guard let companion = subject.companion else { throw BuildError.missingCompanion(self.companion ?? "companion") }
                value = companion
            case "secret.after_last_dash":
                guard let dash = subject.secret.lastIndex(of: "-") else { throw BuildError.missingValue(name) }
                value = String(subject.secret[subject.secret.index(after: dash)...])
            default:
                if name.hasPrefix("jwt."), let claim = Self.jwtClaim(String(name.dropFirst(4)), in: subject.secret) {
                    value = claim
                } else {
                    // Not a placeholder (a JSON body's braces): kept as written.
                    out += rest[open...close]
                    rest = rest[rest.index(after: close)...]
                    continue
                }
            }
            if encode { value = value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+/?#"))) ?? value }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// A string claim of a JWT's payload (Supabase keys carry the project `ref`).
    static func jwtClaim(_ claim: String, in token: String) -> String? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        guard let data = Data(base64Encoded: payload),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let value = object[claim] as? String, !value.isEmpty,
              value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
        return value
    }
}
