import Foundation
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// A database protocol leakward can log in with (`--verify-db`).
public enum DatabaseProtocol: String, Sendable, Hashable, CaseIterable {
    case postgres, mysql, redis
}

/// One `[[database]]` entry of `rules/verify/database.toml`: which URL schemes of which rules
/// are asked with which protocol, on which default port. The protocols themselves are code
/// (`DatabaseLogin`); which URLs go to them is data.
public struct DatabaseVerifierSpec: Sendable, Hashable {
    public var id: String
    public var rules: [String]
    public var schemes: [String]
    /// Schemes that start in TLS (`rediss`).
    public var tlsSchemes: [String]
    public var protocolKind: DatabaseProtocol
    public var defaultPort: Int
    public var docs: String
    public var source: String
}

/// How `--verify-db` connects: the timeout for each step (connect, TLS, every answer), and the
/// loopback endpoints tests put in place of the URL's host (`LEAKWARD_VERIFY_DB_OVERRIDE`).
public struct DatabaseVerification: Sendable {
    public var timeoutSeconds: Double
    /// Verifier id → a loopback host and port used instead of the URL's host (tests only).
    public var overrides: [String: DatabaseEndpoint]
    /// The test CA, trusted only for loopback overrides.
    public var testCAFile: String?

    public init(timeoutSeconds: Double = 5, overrides: [String: DatabaseEndpoint] = [:], testCAFile: String? = nil) {
        self.timeoutSeconds = timeoutSeconds
        self.overrides = overrides
        self.testCAFile = testCAFile
    }

    /// `postgres=127.0.0.1:5433,redis=[::1]:6380`: entries that are not a loopback address with
    /// a port are ignored and reported, so the variable cannot send a password anywhere else.
    public static func overrides(from text: String) -> (overrides: [String: DatabaseEndpoint], refused: [String]) {
        var overrides: [String: DatabaseEndpoint] = [:]
        var refused: [String] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let colon = parts[1].lastIndex(of: ":"), let port = Int(parts[1][parts[1].index(after: colon)...]),
                  (1...65535).contains(port) else {
                refused.append(entry)
                continue
            }
            var host = String(parts[1][..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard host == "127.0.0.1" || host == "::1" else {
                refused.append(entry)
                continue
            }
            overrides[parts[0]] = DatabaseEndpoint(host: host, port: port)
        }
        return (overrides, refused)
    }
}

public struct DatabaseEndpoint: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

extension DatabaseVerifierSpec {
    /// Logs in once with the URL's user and password and reads the answer: live when the server
    /// accepts the password, revoked when it refuses that password, unknown for everything else
    /// (a host refused by `DatabaseHostRule`, a name that does not resolve, a timeout, a server
    /// that wants something leakward does not speak).
    public func verify(_ target: DatabaseTarget, options: DatabaseVerification, at checkedAt: String) -> VerificationResult {
        let port = target.port ?? defaultPort
        let override = options.overrides[id]
        let shown = override.map { "\($0.host.contains(":") ? "[\($0.host)]" : $0.host):\($0.port)" } ?? target.display(defaultPort: defaultPort)
        func result(_ status: VerificationResult.Status, _ detail: String, identity: String? = nil) -> VerificationResult {
            VerificationResult(status: status, verifier: id, host: shown, checkedAt: checkedAt, identity: identity, detail: detail)
        }
        let addresses: [SocketAddress]
        do {
            if let override {
                addresses = try SocketAddress.resolve(override.host, port: override.port)
            } else {
                if let refusal = DatabaseHostRule.refusal(ofName: target.host) { return result(.unknown, "not asked: \(refusal)") }
                addresses = try SocketAddress.resolve(target.host, port: port)
                // A public name that resolves to a private address is refused too (every address is judged).
                if let refusal = addresses.lazy.compactMap({ DatabaseHostRule.refusal(ofAddress: $0.numeric) }).first {
                    return result(.unknown, "not asked: \(target.host) resolves to a refused address (\(refusal.replacingOccurrences(of: "refused: ", with: "")))")
                }
            }
        } catch {
            return result(.unknown, "\(error)")
        }
        let tls = tlsPlan(for: target, isOverride: override != nil, testCAFile: options.testCAFile)
        var lastFailure = "no address"
        for address in addresses.prefix(2) {
            let socket: DatabaseSocket
            do {
                socket = try DatabaseSocket(connectingTo: address, timeout: options.timeoutSeconds)
            } catch {
                lastFailure = "\(error)"
                continue
            }
            defer { socket.close() }
            do {
                let answer: DatabaseAnswer
                switch protocolKind {
                case .postgres: answer = try DatabaseLogin.postgres(target, on: socket, serverName: target.host, tls: tls)
                case .mysql: answer = try DatabaseLogin.mysql(target, on: socket, serverName: target.host, tls: tls)
                case .redis: answer = try DatabaseLogin.redis(target, on: socket, serverName: target.host, tls: tls)
                }
                let who = target.user.isEmpty ? nil : target.user + (target.database.isEmpty ? "" : "@\(target.database)")
                switch answer {
                case .accepted(let detail): return result(.live, detail, identity: who)
                case .refused(let detail): return result(.revoked, detail)
                case .unclear(let detail): return result(.unknown, detail)
                }
            } catch {
                return result(.unknown, "\(error)")
            }
        }
        return result(.unknown, lastFailure)
    }

    /// TLS as the URL asks, the way the drivers read it. PostgreSQL `sslmode`: disable → never;
    /// allow/prefer (the default) → when the server offers it; require → required, certificate
    /// not checked; verify-ca → checked against the CAs; verify-full → and issued for the host.
    /// MySQL: `ssl-mode`/`sslmode` (disabled, preferred, required, verify_ca, verify_identity) or
    /// PlanetScale's `sslaccept=strict`; the default is TLS when offered. Redis: `rediss://`
    /// starts in TLS with the certificate checked for the host; `redis://` is plain, as written.
    func tlsPlan(for target: DatabaseTarget, isOverride: Bool, testCAFile: String?) -> TLSPlan {
        let caFile = isOverride ? testCAFile : nil
        // A loopback test server's certificate names 127.0.0.1, not the URL's host.
        let name = isOverride ? nil : target.host
        if tlsSchemes.contains(target.scheme) { return TLSPlan(use: .immediately, trust: TLSTrust(caFile: caFile, name: name)) }
        let mode = (target.parameters["sslmode"] ?? target.parameters["ssl-mode"] ?? target.parameters["ssl_mode"] ?? "")
            .lowercased().replacingOccurrences(of: "_", with: "-")
        switch mode {
        case "disable", "disabled": return TLSPlan(use: .never, trust: nil)
        case "require", "required": return TLSPlan(use: .required, trust: nil)
        case "verify-ca": return TLSPlan(use: .required, trust: TLSTrust(caFile: caFile, name: nil))
        case "verify-full", "verify-identity": return TLSPlan(use: .required, trust: TLSTrust(caFile: caFile, name: name))
        default:
            if target.parameters["sslaccept"]?.lowercased() == "strict" || target.parameters["ssl"]?.lowercased() == "true" {
                return TLSPlan(use: .required, trust: nil)
            }
            return TLSPlan(use: .ifOffered, trust: nil)
        }
    }
}

extension VerifierFile {
    static let databaseKeys: Set<String> = ["id", "rules", "schemes", "tls_schemes", "protocol", "port", "docs"]

    /// The `[[database]]` entries of a `rules/verify/*.toml` file.
    public static func databases(fromTOML text: String, path: String) throws -> [DatabaseVerifierSpec] {
        let document = try TOMLReader.parse(text, path: path)
        guard let entries = document["database"]?.array else { return [] }
        return try entries.enumerated().map { index, entry in
            guard let table = entry.table else {
                throw RuleError.badValue(path: path, rule: "#\(index + 1)", key: "database", message: "expected a table")
            }
            let label = table["id"]?.string ?? "#\(index + 1)"
            for key in table.keys where !databaseKeys.contains(key) { throw RuleError.unknownKey(path: path, rule: label, key: key) }
            guard let id = table["id"]?.string, !id.isEmpty else { throw RuleError.missingKey(path: path, rule: label, key: "id") }
            let rules = table["rules"]?.strings ?? []
            let schemes = (table["schemes"]?.strings ?? []).map { $0.lowercased() }
            if rules.isEmpty { throw RuleError.missingKey(path: path, rule: label, key: "rules") }
            if schemes.isEmpty { throw RuleError.missingKey(path: path, rule: label, key: "schemes") }
            guard let name = table["protocol"]?.string, let kind = DatabaseProtocol(rawValue: name) else {
                throw RuleError.badValue(path: path, rule: label, key: "protocol",
                                         message: "use \(DatabaseProtocol.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let port = table["port"]?.int, (1...65535).contains(port) else {
                throw RuleError.badValue(path: path, rule: label, key: "port", message: "expected a port number")
            }
            return DatabaseVerifierSpec(id: id, rules: rules, schemes: schemes, tlsSchemes: (table["tls_schemes"]?.strings ?? []).map { $0.lowercased() },
                                        protocolKind: kind, defaultPort: port, docs: table["docs"]?.string ?? "", source: path)
        }
    }
}
