import COpenSSL
import Foundation
import LeakwardModel
import LeakwardRules
import LeakwardSupport
#if canImport(Glibc)
import Glibc
#endif

/// Why a database exchange ended without an answer about the password: a network failure, a
/// timeout, a server that spoke something else. Always read as `unknown`.
struct DatabaseFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One resolved address of a database host.
struct SocketAddress: Sendable, Hashable {
    var storage: [UInt8]
    var length: socklen_t
    var family: Int32
    /// Numeric form (`203.0.113.7`, `2001:db8::1`), what the host rules judge.
    var numeric: String

    /// Every address `host` resolves to (numeric hosts are not looked up). getaddrinfo is the
    /// one DNS question verification asks; the connection then goes to an address judged here,
    /// never to a name resolved again.
    static func resolve(_ host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw DatabaseFailure("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr, entry.pointee.ai_family == AF_INET || entry.pointee.ai_family == AF_INET6 {
                let length = Int(entry.pointee.ai_addrlen)
                let bytes = [UInt8](UnsafeRawBufferPointer(start: address, count: length))
                var name = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                _ = getnameinfo(address, entry.pointee.ai_addrlen, &name, socklen_t(name.count), nil, 0, NI_NUMERICHOST)
                let numeric = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(where: { $0.numeric == numeric }) {
                    addresses.append(SocketAddress(storage: bytes, length: entry.pointee.ai_addrlen, family: entry.pointee.ai_family,
                                                   numeric: numeric))
                }
            }
            cursor = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw DatabaseFailure("cannot resolve \(host)") }
        return addresses
    }
}

/// A blocking TCP connection to one database server with a deadline for every step, which a
/// handshake may upgrade to TLS in place (PostgreSQL's SSLRequest, MySQL's SSL packet) or
/// start in TLS (`rediss://`). The only OpenSSL user; it also lends OpenSSL's MD5, SHA-1 and
/// PBKDF2 to the handshakes (`LegacyDigest`).
final class DatabaseSocket {
    private var descriptor: Int32
    private var context: OpaquePointer?
    private var session: OpaquePointer?
    private let timeout: Double
    /// Whether the bytes now go through TLS.
    private(set) var isEncrypted = false

    /// Connects with a short timeout; reads and writes each wait at most `timeout` seconds.
    init(connectingTo address: SocketAddress, timeout: Double) throws {
        self.timeout = timeout
        descriptor = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw DatabaseFailure("no socket: \(String(cString: strerror(errno)))") }
        let flags = fcntl(descriptor, F_GETFL, 0)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        let started = address.storage.withUnsafeBytes { raw in
            connect(descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), address.length)
        }
        if started != 0 {
            guard errno == EINPROGRESS else { let reason = String(cString: strerror(errno)); close(); throw DatabaseFailure(reason) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(timeout * 1000))
            guard ready == 1 else { close(); throw DatabaseFailure("connect timed out after \(HTTPSClient.seconds(timeout))") }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &size)
            guard error == 0 else { close(); throw DatabaseFailure(String(cString: strerror(error))) }
        }
        _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK)
        var wait = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close() }

    func close() {
        if let session { SSL_shutdown(session); SSL_free(session) }
        if let context { SSL_CTX_free(context) }
        session = nil
        context = nil
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    /// Starts TLS on the open connection. `trust`: nil accepts any certificate (PostgreSQL's
    /// `sslmode=require` and MySQL's preferred TLS encrypt without checking, as the drivers do);
    /// otherwise the chain must verify against the system CAs (or a loopback test's CA file)
    /// and, with `name`, the certificate must be the host's.
    func startTLS(serverName: String, trust: TLSTrust?) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw DatabaseFailure("TLS could not start") }
        self.context = context
        _ = leakward_ssl_ctx_min_tls12(context)
        if let trust {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            if let file = trust.caFile {
                _ = SSL_CTX_load_verify_locations(context, file, nil)
            } else {
                _ = SSL_CTX_set_default_verify_paths(context)
            }
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
        guard let session = SSL_new(context) else { throw DatabaseFailure("TLS could not start") }
        self.session = session
        _ = SSL_set_fd(session, descriptor)
        if !DatabaseHostRule.isNumeric(serverName) {  // SNI carries names only
            _ = leakward_ssl_set_server_name(session, serverName)
        }
        if let name = trust?.name { _ = SSL_set1_host(session, name) }
        guard SSL_connect(session) == 1 else {
            let verify = SSL_get_verify_result(session)
            if verify != X509_V_OK {
                throw DatabaseFailure("TLS certificate not trusted: \(String(cString: X509_verify_cert_error_string(verify)))")
            }
            throw DatabaseFailure("TLS handshake failed")
        }
        isEncrypted = true
    }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { raw -> Int in
                if let session { return Int(SSL_write(session, raw.baseAddress, Int32(raw.count))) }
                return Glibc.send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw DatabaseFailure(count == 0 ? "connection closed" : "write failed: \(String(cString: strerror(errno)))") }
            sent += count
        }
    }

    /// Exactly `count` bytes, or a failure (closed, timed out).
    func read(_ count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        guard count <= 1 << 20 else { throw DatabaseFailure("answer larger than 1 MiB") }
        var out = [UInt8](repeating: 0, count: count)
        var have = 0
        while have < count {
            let got = out[have...].withUnsafeMutableBytes { raw -> Int in
                if let session { return Int(SSL_read(session, raw.baseAddress, Int32(raw.count))) }
                return Glibc.recv(descriptor, raw.baseAddress, raw.count, 0)
            }
            if got <= 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { throw DatabaseFailure("timed out after \(HTTPSClient.seconds(timeout))") }
                throw DatabaseFailure("connection closed by the server")
            }
            have += got
        }
        return out
    }
}

/// What a TLS certificate must be: signed by a trusted CA (the system's, or a loopback test's
/// CA file) and, with `name`, issued for that host.
struct TLSTrust {
    var caFile: String?
    var name: String?
}

/// The digests old database handshakes need, from OpenSSL: MD5 (PostgreSQL md5), SHA-1
/// (mysql_native_password) and PBKDF2-HMAC-SHA-256 (SCRAM-SHA-256).
enum LegacyDigest {
    static func md5(_ bytes: [UInt8]) -> [UInt8] { digest(bytes, EVP_md5()) }
    static func sha1(_ bytes: [UInt8]) -> [UInt8] { digest(bytes, EVP_sha1()) }

    static func digest(_ bytes: [UInt8], _ kind: OpaquePointer?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var size: UInt32 = 0
        _ = EVP_Digest(bytes, bytes.count, &out, &size, kind, nil)
        return Array(out.prefix(Int(size)))
    }

    static func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = password.withUnsafeBufferPointer { pw in
            PKCS5_PBKDF2_HMAC(pw.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, Int32(password.count),
                              salt, Int32(salt.count), Int32(iterations), EVP_sha256(), 32, &out)
        }
        return ok == 1 ? out : []
    }
}
