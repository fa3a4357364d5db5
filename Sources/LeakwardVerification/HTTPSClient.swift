import CCurl
import Foundation

/// One HTTPS request as a verifier builds it.
public struct HTTPSRequest: Sendable, Hashable {
    public var method: String
    /// Always `https://`; the host is the provider's documented one (or a loopback test override).
    public var url: String
    public var host: String
    public var headers: [String]
    public var body: String?
    /// PEM file of the CA that signed a loopback mock's certificate; only ever set for loopback overrides.
    public var testCAFile: String?

    /// The URL's own host (not `host`, which may carry a port) is a loopback address.
    public var isLoopback: Bool {
        guard let name = URLComponents(string: url)?.host else { return false }
        return VerifierCatalog.isLoopback(name) || VerifierCatalog.isLoopback("[\(name)]")
    }
}

/// What came back, or why nothing did.
public enum HTTPSAnswer: Sendable, Hashable {
    case response(status: Int, headers: [String: String], body: [UInt8])
    case failed(String)
}

/// The only libcurl user (libcurl is loaded on the first request, see Sources/CCurl/shim.h): one blocking HTTPS exchange per call, on the calling thread (the
/// verification run in `Pipeline/` decides how many run at once). HTTPS only, redirects never
/// followed, no cookies, no `.netrc`, the body capped at 1 MiB, connect and total timeouts.
public struct HTTPSClient: Sendable {
    public var timeoutSeconds: Double
    public var userAgent: String

    public init(timeoutSeconds: Double, userAgent: String) {
        self.timeoutSeconds = timeoutSeconds
        self.userAgent = userAgent
    }

    static let maxBody = 1 << 20

    /// Collects the body and headers while libcurl runs; reached through the callbacks' context pointer.
    public final class Collector {
        public var body: [UInt8] = []
        var headers: [String: String] = [:]
        var isTruncated = false
    }

    public func send(_ request: HTTPSRequest) -> HTTPSAnswer {
        guard request.url.hasPrefix("https://") else { return .failed("refused: not HTTPS") }
        guard let handle = ccurl_easy_init() else { return .failed("libcurl could not be loaded or started (install libcurl4)") }
        defer { ccurl_easy_cleanup(handle) }
        let collector = Collector()
        let context = Unmanaged.passRetained(collector)
        defer { context.release() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers { headerList = ccurl_slist_append(headerList, header) }
        defer { ccurl_slist_free_all(headerList) }

        _ = ccurl_setopt_string(handle, CURLOPT_URL, request.url)
        _ = ccurl_setopt_long(handle, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTPS))
        _ = ccurl_setopt_long(handle, CURLOPT_REDIR_PROTOCOLS, Int(CURLPROTO_HTTPS))
        _ = ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_NETRC, Int(CURL_NETRC_IGNORED.rawValue))
        _ = ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        _ = ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        _ = ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeoutSeconds * 1000))
        _ = ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(timeoutSeconds, 5) * 1000))
        _ = ccurl_setopt_string(handle, CURLOPT_USERAGENT, userAgent)
        _ = ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        if request.isLoopback {
            // A loopback mock: never through a proxy, trusting only the test's own CA.
            _ = ccurl_setopt_string(handle, CURLOPT_NOPROXY, "*")
            if let ca = request.testCAFile { _ = ccurl_setopt_string(handle, CURLOPT_CAINFO, ca) }
        }
        if let headerList { _ = ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }
        if let body = request.body {
            // Copied by libcurl (text bodies only: a form or a JSON query), size set first.
            _ = ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.utf8.count)
            _ = ccurl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, body)
        }
        _ = ccurl_setopt_write(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let collector = Unmanaged<Collector>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard collector.body.count + length <= HTTPSClient.maxBody else { collector.isTruncated = true; return 0 }
            data!.withMemoryRebound(to: UInt8.self, capacity: length) { collector.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
            return length
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque())
        _ = ccurl_setopt_write(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let collector = Unmanaged<Collector>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            let line = data!.withMemoryRebound(to: UInt8.self, capacity: length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
            }
            if line.hasPrefix("HTTP/") { collector.headers = [:] }  // a new response (after a 100 Continue)
            if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                collector.headers[name] = value
            }
            return length
        }
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque())

        let code = ccurl_easy_perform(handle)
        if collector.isTruncated { return .failed("answer larger than 1 MiB") }
        guard code == CURLE_OK else {
            if code == CURLE_OPERATION_TIMEDOUT { return .failed("timed out after \(Self.seconds(timeoutSeconds))") }
            return .failed(String(cString: ccurl_easy_strerror(code)))
        }
        var status = 0
        _ = ccurl_response_code(handle, &status)
        return .response(status: status, headers: collector.headers, body: collector.body)
    }

    public static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
