import Foundation
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// A database URL taken apart (`postgres://user:password@host:5432/db?sslmode=require`): what
/// `--verify-db` needs to log in once. Built from a finding's whole match, never saved.
public struct DatabaseTarget: Sendable, Hashable {
    /// Lowercased: `postgres`, `postgresql`, `mysql`, `redis`, `rediss`, …
    public var scheme: String
    public var host: String
    public var port: Int?
    public var user: String
    public var password: String
    public var database: String
    /// The query's parameters, names lowercased (`sslmode`, `ssl-mode`, `sslaccept`).
    public var parameters: [String: String]

    /// Takes the URL apart by hand: a driver accepts passwords URLComponents would refuse
    /// (`#`, `?`, `%` not encoded), and the rule never lets one hold `@`, `/` or `:`.
    public init?(url text: String) {
        guard let separator = text.range(of: "://") else { return nil }
        scheme = text[..<separator.lowerBound].lowercased()
        let rest = text[separator.upperBound...]
        guard let at = rest.firstIndex(of: "@") else { return nil }
        let userInfo = rest[..<at]
        let parts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        user = Self.decode(parts[0])
        password = Self.decode(parts[1])
        let location = rest[rest.index(after: at)...]
        let hostEnd = location.firstIndex { $0 == "/" || $0 == "?" } ?? location.endIndex
        let hostPort = location[..<hostEnd]
        // Several hosts (`h1,h2:5433`) are a failover list; the first one is asked.
        let first = hostPort.split(separator: ",").first.map(String.init) ?? ""
        if first.hasPrefix("["), let close = first.firstIndex(of: "]") {
            host = String(first[first.index(after: first.startIndex)..<close])
            let after = first[first.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        } else if let colon = first.lastIndex(of: ":") {
            host = String(first[..<colon])
            port = Int(first[first.index(after: colon)...])
        } else {
            host = first
            port = nil
        }
        guard !host.isEmpty else { return nil }
        var path = location[hostEnd...]
        var query = Substring("")
        if let question = path.firstIndex(of: "?") {
            query = path[path.index(after: question)...]
            path = path[..<question]
        }
        database = Self.decode(path.drop { $0 == "/" })
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { Self.decode($0) }
            if kv.count == 2 { parameters[kv[0].lowercased()] = kv[1] }
        }
        self.parameters = parameters
    }

    static func decode(_ text: Substring) -> String { String(text).removingPercentEncoding ?? String(text) }

    /// `db.example.com:5432/app`, for reports (no user, no password).
    public func display(defaultPort: Int) -> String {
        let name = host.contains(":") ? "[\(host)]" : host
        return "\(name):\(port ?? defaultPort)" + (database.isEmpty ? "" : "/\(database)")
    }
}

/// Which database hosts `--verify-db` may connect to: public ones only. A name with no domain
/// (`db`, a compose service), a local suffix (`.internal`, `.local`, `.localhost`, …) or an
/// address in a private, loopback, link-local, shared or reserved range is refused before any
/// packet is sent, so a scanned repository cannot make leakward probe the user's own network.
public enum DatabaseHostRule {
    static let localSuffixes = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home", ".corp", ".private",
                                ".localdomain", ".home.arpa", ".svc", ".cluster.local", ".consul"]

    /// Why `host` (a name or a numeric address, as written) is refused, or nil when it may be looked up.
    public static func refusal(ofName host: String) -> String? {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        if let reason = refusal(ofAddress: name) { return reason }
        if isNumeric(name) { return nil }
        if name == "localhost" { return "refused: localhost is this machine" }
        if !name.contains(".") { return "refused: \(name) has no domain (a local service name)" }
        if let suffix = localSuffixes.first(where: { name.hasSuffix($0) }) { return "refused: \(suffix) is a private name" }
        return nil
    }

    /// Why a numeric address is refused (private, loopback, link-local, …), or nil for a public
    /// one. Non-numeric text gives nil.
    public static func refusal(ofAddress text: String) -> String? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let b = withUnsafeBytes(of: v4) { Array($0) }
            return refusal(v4: b).map { "refused: \(text) is \($0)" }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let b = withUnsafeBytes(of: v6) { Array($0) }
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged as IPv4.
            if b[0..<10].allSatisfy({ $0 == 0 }) && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0 && b[12...].contains { $0 != 0 })) {
                return refusal(v4: Array(b[12...])).map { "refused: \(text) is \($0)" }
            }
            if b.allSatisfy({ $0 == 0 }) { return "refused: \(text) is unspecified" }
            if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return "refused: \(text) is loopback" }
            if b[0] & 0xfe == 0xfc { return "refused: \(text) is a private (unique local) address" }
            if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return "refused: \(text) is link-local" }
            if b[0] == 0xff { return "refused: \(text) is multicast" }
            if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return "refused: \(text) is a documentation address" }
            return nil
        }
        return nil
    }

    static func refusal(v4 b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (0, _): return "unspecified"
        case (10, _), (172, 16...31), (192, 168): return "a private address"
        case (127, _): return "loopback"
        case (169, 254): return "link-local"
        case (100, 64...127): return "a shared (carrier-grade NAT) address"
        case (192, 0) where b[2] == 0 || b[2] == 2, (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return "a reserved address"
        case (198, 18...19): return "a benchmarking address"
        case (224...255, _): return "multicast or reserved"
        default: return nil
        }
    }

    static func isNumeric(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
