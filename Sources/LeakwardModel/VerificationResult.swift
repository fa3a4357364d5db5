/// What a credential's provider said when asked whether the key works (`--verify`).
public struct VerificationResult: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// The provider accepted the key.
        case live
        /// The provider refused it as invalid or revoked.
        case revoked
        /// No clear answer: rate-limited, timed out, a redirect, a server error, a body that did not parse.
        case unknown
    }

    public var status: Status
    /// The verifier (`rules/verify/*.toml` id) that asked.
    public var verifier: String
    /// The host that was asked (the provider's documented host, or a loopback test override).
    public var host: String
    /// ISO 8601 UTC.
    public var checkedAt: String
    /// Who the key belongs to, when the answer says (a login, an account id, an ARN).
    public var identity: String?
    /// Scopes or permissions, when the answer says.
    public var scopes: [String]
    /// How the answer was read: `HTTP 200`, `HTTP 401`, `timed out after 5 s`, `redirect refused`.
    public var detail: String

    public init(status: Status, verifier: String, host: String, checkedAt: String, identity: String? = nil,
                scopes: [String] = [], detail: String) {
        self.status = status
        self.verifier = verifier
        self.host = host
        self.checkedAt = checkedAt
        self.identity = identity
        self.scopes = scopes
        self.detail = detail
    }

    public enum CodingKeys: String, CodingKey { case status, verifier, host, checkedAt = "checked_at", identity, scopes, detail }

    /// Live first, then unknown (and unchecked), then revoked: the order within an urgency tier.
    public static func orderRank(_ result: VerificationResult?) -> Int {
        switch result?.status {
        case .live: 0
        case .revoked: 2
        default: 1
        }
    }

    /// One word for tables: `live`, `revoked`, `unknown`, or `not checked`.
    public static func label(_ result: VerificationResult?) -> String { result?.status.rawValue ?? "not checked" }
}
