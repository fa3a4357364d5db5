import Foundation
import LeakwardModel

/// The documented score of docs/exposure.md: where a credential sits in the plan and why.
public struct Urgency: Sendable, Hashable, Codable {
    public var tier: UrgencyTier
    /// The rule's severity (blast radius by provider and kind, already lowered for test and public keys).
    public var baseSeverity: Severity
    /// Base plus the worst channel's adjustment, capped for public-by-design (info) and test keys (low).
    public var effectiveSeverity: Severity
    public var channelAdjustment: Int
    /// 2 checksum-valid, 1 structure-valid, 0 unchecked.
    public var validationPoints: Int
    /// Days since the first commit that holds the secret; nil without git history.
    public var exposureDays: Int?
    /// 0 unknown or under 7 days, 1 up to 90 days, 2 longer.
    public var windowPoints: Int
    /// Higher is more urgent: tier, then effective severity, channel, validation, window (see docs/exposure.md).
    public var score: Int
    /// Plain-English reasons, in the order they weigh.
    public var reasons: [String]

    public enum CodingKeys: String, CodingKey {
        case tier, baseSeverity = "base_severity", effectiveSeverity = "effective_severity"
        case channelAdjustment = "channel_adjustment", validationPoints = "validation_points"
        case exposureDays = "exposure_days", windowPoints = "window_points", score, reasons
    }

    /// Scores one credential's exposure as of `now`.
    public init(_ exposure: CredentialExposure, now: Date) {
        let credential = exposure.credential
        let worst = exposure.worstChannel
        baseSeverity = credential.severity
        channelAdjustment = worst.severityAdjustment
        var effective = credential.severity.adjusted(by: channelAdjustment)
        var reasons: [String] = []
        if exposure.role == .publicByDesign {
            effective = .info
            reasons.append("public by design: \(credential.provider) expects this key in browsers, so exposure alone is not a leak")
        } else if credential.kind == .testKey {
            effective = min(effective, .low)
            reasons.append("a test or sandbox key: capped at low")
        }
        effectiveSeverity = effective

        switch exposure.validation {
        case .checksumValid: validationPoints = 2
        case .structureValid: validationPoints = 1
        case .unchecked: validationPoints = 0
        }
        // A key that opened the encrypted file beside it is proven real, as a checksum proves a token.
        if exposure.opens != nil { validationPoints = 2 }
        if let date = exposure.firstSeen.flatMap({ Urgency.parse($0.date) }) {
            let days = max(0, Int(now.timeIntervalSince(date) / 86_400))
            exposureDays = days
            windowPoints = days > 90 ? 2 : (days >= 7 ? 1 : 0)
        } else {
            exposureDays = nil
            windowPoints = 0
        }

        if exposure.role == .publicByDesign || credential.kind == .testKey {
            tier = .low
        } else if exposure.isClientExposed {
            tier = .urgent
        } else if [.committed, .historyOnly, .ciLog, .containerConfig, .serverBundle].contains(worst) {
            tier = .rotate
        } else {
            tier = .review
        }
        if exposure.role == .serverOnly {
            let sign = channelAdjustment > 0 ? "+\(channelAdjustment)" : "\(channelAdjustment)"
            reasons.insert("worst channel \(worst.title) (E\(worst.rank), \(sign) severity)", at: 0)
        }
        reasons.append("\(credential.provider) \(credential.category.rawValue) credential: base severity \(baseSeverity.name)")
        if let opened = exposure.opens {
            reasons.append("the key opens \(opened.path) beside it (checked offline), so it is a real key and every secret in that file is exposed with it")
        } else if validationPoints > 0 {
            reasons.append("\(exposure.validation.rawValue): the format's own check passed, so it is a real token shape")
        }
        if let days = exposureDays {
            reasons.append("exposed for \(days) day\(days == 1 ? "" : "s") since \(exposure.firstSeen!.date.prefix(10))")
        }
        if !exposure.isStillPresent { reasons.append("no longer in HEAD or the working tree, only in history") }
        self.reasons = reasons
        score = (UrgencyTier.allCases.count - 1 - tier.rank) * 1000 + effective.rawValue * 100
            + (ExposureChannel.allCases.count + 1 - worst.rank) * 10 + validationPoints * 3 + windowPoints
    }

    /// One line: "critical, rank in tier by: …".
    public var summary: String { "\(effectiveSeverity.name) — " + reasons.joined(separator: "; ") }

    /// ISO 8601 dates as CommitInfo writes them (with or without fractional seconds, or a bare day).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: String(text.prefix(10)))
    }
}

extension CredentialExposure {
    /// The credential's offline-check result.
    public var validation: Validation { credential.validation }
}
