import Foundation
import LeakwardModel
import LeakwardRules
import LeakwardSupport

/// How a database answered one login (`--verify-db`).
enum DatabaseAnswer: Equatable {
    /// The server accepted the password.
    case accepted(String)
    /// The server refused the password (PostgreSQL 28P01, MySQL 1045, Redis WRONGPASS).
    case refused(String)
    /// Anything else: the server refused us for another reason, or spoke no clear answer.
    case unclear(String)
}

/// How TLS is used for one login, from the URL (`sslmode`, `rediss://`) as the drivers read it.
struct TLSPlan {
    enum Use { case never, ifOffered, required, immediately }
    var use: Use
    /// nil: encrypt without checking the certificate (libpq's `prefer`/`require`, MySQL's preferred).
    var trust: TLSTrust?
}

/// Logins of the database protocols `rules/verify/database.toml` names: PostgreSQL (startup
/// message, SCRAM-SHA-256 or md5, TLS through SSLRequest), MySQL (native password or
/// caching_sha2 fast path, TLS through the SSL packet) and Redis (`AUTH`). Each logs in once,
/// runs no query and closes. A password is sent in clear only where the URL already says so
/// (`redis://`) or inside TLS.
enum DatabaseLogin {
    // MARK: PostgreSQL

    static func postgres(_ target: DatabaseTarget, on socket: DatabaseSocket, serverName: String, tls: TLSPlan) throws -> DatabaseAnswer {
        if tls.use != .never {
            // SSLRequest: length 8, code 80877103; the server answers one byte, S or N.
            try socket.write(int32(8) + int32(80_877_103))
            let reply = try socket.read(1)
            if reply == [UInt8(ascii: "S")] {
                try socket.startTLS(serverName: serverName, trust: tls.trust)
            } else if tls.use == .required {
                return .unclear("the server offers no TLS and the URL's sslmode requires it")
            }
        }
        let user = target.user.isEmpty ? "postgres" : target.user
        var startup = int32(196_608)  // protocol 3.0
        for (key, value) in [("user", user), ("database", target.database.isEmpty ? user : target.database),
                             ("application_name", "leakward-verify")] {
            startup += cString(key) + cString(value)
        }
        startup += [0]
        try socket.write(int32(startup.count + 4) + startup)
        let password = Array(target.password.utf8)
        var scram: SCRAMClient?
        let over = socket.isEncrypted ? " over TLS" : ""
        while true {
            let (type, body) = try readPostgresMessage(socket)
            switch type {
            case UInt8(ascii: "R"):
                guard body.count >= 4 else { throw DatabaseFailure("malformed authentication message") }
                let code = readInt32(body, at: 0)
                let data = Array(body[4...])
                switch code {
                case 0: return .accepted("password accepted\(scram != nil ? " (SCRAM-SHA-256)" : "")\(over)")
                case 3:
                    // Cleartext password: only inside TLS, never in the clear.
                    guard socket.isEncrypted else { return .unclear("the server asks for the password in clear without TLS: not sent") }
                    try sendPostgres(socket, "p", password + [0])
                case 5:
                    guard data.count >= 4 else { throw DatabaseFailure("malformed md5 request") }
                    let inner = hex(LegacyDigest.md5(password + Array(user.utf8)))
                    let outer = "md5" + hex(LegacyDigest.md5(Array(inner.utf8) + Array(data.prefix(4))))
                    try sendPostgres(socket, "p", Array(outer.utf8) + [0])
                case 10:
                    let mechanisms = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                    guard mechanisms.contains("SCRAM-SHA-256") else {
                        return .unclear("the server offers only \(mechanisms.joined(separator: ", "))")
                    }
                    let client = SCRAMClient(password: password)
                    scram = client
                    let first = Array(client.clientFirst.utf8)
                    try sendPostgres(socket, "p", cString("SCRAM-SHA-256") + int32(first.count) + first)
                case 11:
                    guard var client = scram, let final = client.clientFinal(serverFirst: String(decoding: data, as: UTF8.self)) else {
                        throw DatabaseFailure("malformed SCRAM challenge")
                    }
                    scram = client
                    try sendPostgres(socket, "p", Array(final.utf8))
                case 12:
                    guard let client = scram, client.verifies(serverFinal: String(decoding: data, as: UTF8.self)) else {
                        return .unclear("the server's SCRAM signature is wrong: it does not know the password")
                    }
                default:
                    return .unclear("the server asks for authentication method \(code), which leakward does not speak")
                }
            case UInt8(ascii: "E"):
                let fields = postgresError(body)
                let code = fields["C"] ?? "?"
                let message = fields["M"] ?? "error"
                // 28P01 invalid_password; a role that does not exist answers the same, on purpose.
                if code == "28P01" { return .refused("\(message) (\(code))") }
                return .unclear("\(message) (\(code))")
            case UInt8(ascii: "N"):
                continue
            default:
                throw DatabaseFailure("unexpected message '\(Character(UnicodeScalar(type)))' before authentication")
            }
        }
    }

    static func readPostgresMessage(_ socket: DatabaseSocket) throws -> (UInt8, [UInt8]) {
        let header = try socket.read(5)
        let length = Int(readInt32(header, at: 1))
        guard length >= 4, length < 1 << 20 else { throw DatabaseFailure("not a PostgreSQL server (message length \(length))") }
        return (header[0], try socket.read(length - 4))
    }

    static func sendPostgres(_ socket: DatabaseSocket, _ type: Character, _ body: [UInt8]) throws {
        try socket.write([type.asciiValue!] + int32(body.count + 4) + body)
    }

    static func postgresError(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        var index = 0
        while index < body.count, body[index] != 0 {
            let key = String(UnicodeScalar(body[index]))
            index += 1
            let end = body[index...].firstIndex(of: 0) ?? body.count
            fields[key] = String(decoding: body[index..<end], as: UTF8.self)
            index = end + 1
        }
        return fields
    }

    // MARK: MySQL

    static let clientLongPassword: UInt32 = 0x1, clientConnectWithDB: UInt32 = 0x8, clientProtocol41: UInt32 = 0x200
    static let clientSSL: UInt32 = 0x800, clientSecureConnection: UInt32 = 0x8000, clientPluginAuth: UInt32 = 0x80000

    static func mysql(_ target: DatabaseTarget, on socket: DatabaseSocket, serverName: String, tls: TLSPlan) throws -> DatabaseAnswer {
        var (sequence, greeting) = try readMySQLPacket(socket)
        if greeting.first == 0xff { return .unclear("the server refused the connection: \(mysqlError(greeting))") }
        guard greeting.first == 10, let versionEnd = greeting[1...].firstIndex(of: 0), greeting.count >= versionEnd + 32 else {
            throw DatabaseFailure("not a MySQL server")
        }
        var index = versionEnd + 1 + 4
        var scramble = Array(greeting[index..<index + 8])
        index += 9
        var capabilities = UInt32(greeting[index]) | UInt32(greeting[index + 1]) << 8
        index += 2 + 1 + 2
        capabilities |= (UInt32(greeting[index]) | UInt32(greeting[index + 1]) << 8) << 16
        let scrambleLength = Int(greeting[index + 2])
        index += 3 + 10
        let rest = max(13, scrambleLength - 8)
        if greeting.count >= index + rest {
            scramble += greeting[index..<index + rest]
            index += rest
        }
        scramble = Array(scramble.prefix(20))
        var plugin = "mysql_native_password"
        if index < greeting.count, let end = greeting[index...].firstIndex(of: 0) ?? Optional(greeting.count), end > index {
            plugin = String(decoding: greeting[index..<end], as: UTF8.self)
        }
        var flags = clientLongPassword | clientProtocol41 | clientSecureConnection | clientPluginAuth
        if !target.database.isEmpty { flags |= clientConnectWithDB }
        let serverTLS = capabilities & clientSSL != 0
        if tls.use != .never && serverTLS {
            flags |= clientSSL
            sequence &+= 1
            try writeMySQLPacket(socket, sequence, le32(flags) + le32(1 << 24) + [45] + [UInt8](repeating: 0, count: 23))
            try socket.startTLS(serverName: serverName, trust: tls.trust)
        } else if tls.use == .required || tls.use == .immediately {
            return .unclear("the server offers no TLS and the URL requires it")
        }
        let password = Array(target.password.utf8)
        var response = le32(flags) + le32(1 << 24) + [45] + [UInt8](repeating: 0, count: 23) + cString(target.user)
        let auth = mysqlScramble(plugin: plugin, password: password, scramble: scramble)
        response += [UInt8(auth.count)] + auth
        if !target.database.isEmpty { response += cString(target.database) }
        response += cString(plugin)
        sequence &+= 1
        try writeMySQLPacket(socket, sequence, response)
        let over = socket.isEncrypted ? " over TLS" : ""
        for _ in 0..<4 {
            let (next, packet) = try readMySQLPacket(socket)
            sequence = next
            switch packet.first {
            case 0x00: return .accepted("password accepted (\(plugin))\(over)")
            case 0xff:
                let code = packet.count >= 3 ? Int(packet[1]) | Int(packet[2]) << 8 : 0
                // 1045 access denied (wrong password or unknown user); 1044 and 1049 come after the
                // password was accepted (no rights on the database, or no such database).
                if code == 1045 { return .refused(mysqlError(packet)) }
                if code == 1044 || code == 1049 { return .accepted("password accepted; \(mysqlError(packet))") }
                return .unclear(mysqlError(packet))
            case 0xfe:
                // Auth switch: another plugin with a fresh scramble.
                let end = packet[1...].firstIndex(of: 0) ?? packet.count
                plugin = String(decoding: packet[1..<end], as: UTF8.self)
                scramble = Array(packet[min(end + 1, packet.count)...].prefix(20))
                if plugin == "mysql_clear_password" {
                    guard socket.isEncrypted else { return .unclear("the server asks for the password in clear without TLS: not sent") }
                    sequence &+= 1
                    try writeMySQLPacket(socket, sequence, password + [0])
                    continue
                }
                guard ["mysql_native_password", "caching_sha2_password"].contains(plugin) else {
                    return .unclear("the server asks for \(plugin), which leakward does not speak")
                }
                sequence &+= 1
                try writeMySQLPacket(socket, sequence, mysqlScramble(plugin: plugin, password: password, scramble: scramble))
            case 0x01:
                // caching_sha2_password: 3 = fast path passed (an OK follows), 4 = full authentication.
                if packet.count >= 2 && packet[1] == 3 { continue }
                if packet.count >= 2 && packet[1] == 4 {
                    guard socket.isEncrypted else {
                        return .unclear("the server wants the password in full (not cached), which leakward sends only over TLS")
                    }
                    sequence &+= 1
                    try writeMySQLPacket(socket, sequence, password + [0])
                    continue
                }
                throw DatabaseFailure("unexpected MySQL auth data")
            default:
                throw DatabaseFailure("unexpected MySQL packet")
            }
        }
        throw DatabaseFailure("MySQL login did not finish")
    }

    /// mysql_native_password: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))); caching_sha2_password:
    /// SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble). An empty password sends nothing.
    static func mysqlScramble(plugin: String, password: [UInt8], scramble: [UInt8]) -> [UInt8] {
        guard !password.isEmpty else { return [] }
        if plugin == "caching_sha2_password" {
            let once = SHA256.digest(password)
            let mix = SHA256.digest(SHA256.digest(once) + scramble)
            return zip(once, mix).map { $0 ^ $1 }
        }
        let once = LegacyDigest.sha1(password)
        let mix = LegacyDigest.sha1(scramble + LegacyDigest.sha1(once))
        return zip(once, mix).map { $0 ^ $1 }
    }

    static func readMySQLPacket(_ socket: DatabaseSocket) throws -> (UInt8, [UInt8]) {
        let header = try socket.read(4)
        let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16
        return (header[3], try socket.read(length))
    }

    static func writeMySQLPacket(_ socket: DatabaseSocket, _ sequence: UInt8, _ payload: [UInt8]) throws {
        let n = payload.count
        try socket.write([UInt8(n & 0xff), UInt8(n >> 8 & 0xff), UInt8(n >> 16 & 0xff), sequence] + payload)
    }

    static func mysqlError(_ packet: [UInt8]) -> String {
        guard packet.count >= 3 else { return "error" }
        let code = Int(packet[1]) | Int(packet[2]) << 8
        var start = 3
        if packet.count > 9 && packet[3] == UInt8(ascii: "#") { start = 9 }
        return "\(String(decoding: packet[start...], as: UTF8.self)) (\(code))"
    }

    // MARK: Redis

    static func redis(_ target: DatabaseTarget, on socket: DatabaseSocket, serverName: String, tls: TLSPlan) throws -> DatabaseAnswer {
        if tls.use == .immediately { try socket.startTLS(serverName: serverName, trust: tls.trust) }
        // `redis://:pw@host` and `redis://default:pw@host` are the default user; any other name is an ACL user (Redis 6).
        var command = ["AUTH"]
        if !target.user.isEmpty && target.user != "default" { command.append(target.user) }
        command.append(target.password)
        var request = Array("*\(command.count)\r\n".utf8)
        for part in command { request += Array("$\(part.utf8.count)\r\n".utf8) + Array(part.utf8) + Array("\r\n".utf8) }
        try socket.write(request)
        let line = try readLine(socket)
        try? socket.write(Array("*1\r\n$4\r\nQUIT\r\n".utf8))
        let over = socket.isEncrypted ? " over TLS" : ""
        if line == "+OK" { return .accepted("AUTH accepted\(over)") }
        if line.hasPrefix("-WRONGPASS") || line.hasPrefix("-ERR invalid password") || line.hasPrefix("-ERR invalid username-password") {
            return .refused(String(line.dropFirst()))
        }
        if line.contains("without any password configured") || line.contains("no password is set") {
            return .unclear("the server has no password (anyone can connect)")
        }
        guard line.hasPrefix("-") || line.hasPrefix("+") else { throw DatabaseFailure("not a Redis server") }
        return .unclear(String(line.dropFirst().prefix(200)))
    }

    static func readLine(_ socket: DatabaseSocket) throws -> String {
        var bytes: [UInt8] = []
        while bytes.count < 4096 {
            let byte = try socket.read(1)[0]
            if byte == 10 { break }
            if byte != 13 { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Bytes

    static func int32(_ value: Int) -> [UInt8] {
        let v = UInt32(truncatingIfNeeded: value)
        return [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
    }

    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }

    static func readInt32(_ bytes: [UInt8], at index: Int) -> Int32 {
        Int32(bitPattern: UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3]))
    }

    static func cString(_ text: String) -> [UInt8] { Array(text.utf8) + [0] }

    static func hex(_ bytes: [UInt8]) -> String { SHA256.hexString(bytes) }
}

/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it: no channel
/// binding (`n,,`), the user name left empty (the startup message carries it). The password
/// is used as given (SASLprep of non-ASCII passwords is not applied, as PostgreSQL itself
/// falls back to the raw bytes when a password is not valid SASLprep input).
struct SCRAMClient {
    let password: [UInt8]
    let nonce: String
    /// Empty for PostgreSQL (the startup message names the user); RFC 7677's example names one.
    let user: String
    var clientFirstBare: String { "n=\(user),r=\(nonce)" }
    var clientFirst: String { "n,," + clientFirstBare }
    private(set) var serverSignature: [UInt8] = []

    init(password: [UInt8], nonce: String? = nil, user: String = "") {
        self.password = password
        self.user = user
        var generator = SystemRandomNumberGenerator()
        self.nonce = nonce ?? Data((0..<18).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
    }

    /// `c=biws,r=…,p=…` for the server's first message, or nil when it is malformed or its
    /// nonce does not extend ours.
    mutating func clientFinal(serverFirst: String) -> String? {
        var fields: [Character: String] = [:]
        for part in serverFirst.split(separator: ",") where part.count >= 2 && part.dropFirst().first == "=" {
            fields[part.first!] = String(part.dropFirst(2))
        }
        guard let combined = fields["r"], combined.hasPrefix(nonce), let saltText = fields["s"], let salt = Data(base64Encoded: saltText),
              let iterationText = fields["i"], let iterations = Int(iterationText), iterations > 0, iterations <= 1_000_000 else { return nil }
        let salted = LegacyDigest.pbkdf2SHA256(password: password, salt: Array(salt), iterations: iterations)
        guard !salted.isEmpty else { return nil }
        let withoutProof = "c=biws,r=\(combined)"
        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let clientKey = SHA256.hmac(key: salted, message: Array("Client Key".utf8))
        let signature = SHA256.hmac(key: SHA256.digest(clientKey), message: authMessage)
        let proof = zip(clientKey, signature).map { $0 ^ $1 }
        serverSignature = SHA256.hmac(key: SHA256.hmac(key: salted, message: Array("Server Key".utf8)), message: authMessage)
        return "\(withoutProof),p=\(Data(proof).base64EncodedString())"
    }

    /// The server's `v=` proves it knows the password too.
    func verifies(serverFinal: String) -> Bool {
        guard serverFinal.hasPrefix("v="), let value = Data(base64Encoded: String(serverFinal.dropFirst(2))) else { return false }
        return !serverSignature.isEmpty && Array(value) == serverSignature
    }
}
