/// The parts of a rotation plan, most urgent first.
public enum UrgencyTier: String, Sendable, Codable, CaseIterable, Comparable {
    /// A server-only secret that reached browsers: assume it is harvested.
    case urgent
    /// In git (HEAD or history), a CI log or a container config: rotate now.
    case rotate
    /// Only in files on this machine or outside git: rotate if they ever left it; fix the hygiene.
    case review
    /// Public by design or test keys: nothing to rotate in a hurry.
    case low

    public var rank: Int { UrgencyTier.allCases.firstIndex(of: self)! }
    public static func < (lhs: UrgencyTier, rhs: UrgencyTier) -> Bool { lhs.rank < rhs.rank }

    /// The heading of this part of the plan.
    public var title: String {
        switch self {
        case .urgent: "Rotate now: reached the browser"
        case .rotate: "Rotate now: in git, CI logs or deploy config"
        case .review: "Review: local files and files outside git"
        case .low: "Low: public by design and test keys"
        }
    }
}
