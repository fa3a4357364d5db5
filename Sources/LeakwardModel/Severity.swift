/// How bad a credential is, from 1 (public by design) to 5 (critical), as in `reference/providers.md`.
public enum Severity: Int, Sendable, Codable, Comparable, CaseIterable, CustomStringConvertible {
    case info = 1, low, medium, high, critical

    public init?(name: String) {
        switch name.lowercased() {
        case "info": self = .info
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        case "critical": self = .critical
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .info: "info"
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }

    public var description: String { name }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Adds `delta` steps, staying within info...critical.
    public func adjusted(by delta: Int) -> Severity {
        Severity(rawValue: min(5, max(1, rawValue + delta)))!
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Severity(name: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown severity \(text)"))
        }
        self = value
    }
}
