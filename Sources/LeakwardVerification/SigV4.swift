import Foundation
import LeakwardSupport

/// AWS Signature Version 4 for one request (STS `GetCallerIdentity`), with the project's own
/// SHA-256 and HMAC: the signed headers are `content-type` (when given), `host` and `x-amz-date`.
public enum SigV4 {
    /// The `X-Amz-Date` and `Authorization` headers to add.
    public static func headers(method: String, host: String, path: String, query: String, body: String, headers: [String],
                               accessKeyID: String, secretKey: String, region: String, service: String, now: Date) -> [String] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let amzDate = formatter.string(from: now)
        let day = String(amzDate.prefix(8))
        var signed: [(String, String)] = [("host", host), ("x-amz-date", amzDate)]
        for header in headers {
            guard let colon = header.firstIndex(of: ":") else { continue }
            let name = header[..<colon].lowercased()
            if name == "content-type" { signed.append((name, header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces))) }
        }
        signed.sort { $0.0 < $1.0 }
        let signedNames = signed.map(\.0).joined(separator: ";")
        let canonical = [method, path, query, signed.map { "\($0.0):\($0.1)\n" }.joined(), signedNames,
                         SHA256.hex(of: Array(body.utf8))].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let toSign = ["AWS4-HMAC-SHA256", amzDate, scope, SHA256.hex(of: Array(canonical.utf8))].joined(separator: "\n")
        let signature = SHA256.hexString(SHA256.hmac(key: signingKey(secretKey: secretKey, day: day, region: region, service: service),
                                                     message: Array(toSign.utf8)))
        return ["X-Amz-Date: \(amzDate)",
                "Authorization: AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedNames), Signature=\(signature)"]
    }

    static func signingKey(secretKey: String, day: String, region: String, service: String) -> [UInt8] {
        var key = Array("AWS4\(secretKey)".utf8)
        for part in [day, region, service, "aws4_request"] { key = SHA256.hmac(key: key, message: Array(part.utf8)) }
        return key
    }
}
