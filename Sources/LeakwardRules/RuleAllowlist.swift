/// A conditional allowlist attached to a rule (gitleaks `[[rules.allowlists]]` and global
/// `[[allowlists]]`): a finding it matches is counted as suppressed, not reported.
public struct RuleAllowlist: Sendable, Hashable {
    /// What `regexes` are matched against.
    public enum Target: String, Sendable, Hashable {
        case secret, match, line
    }

    public var description: String?
    public var regexes: [String]
    public var target: Target
    /// Regexes on the finding's path.
    public var paths: [String]
    /// Substrings that, found (case-insensitively) in the secret, allow it.
    public var stopwords: [String]
    /// true: every non-empty check must match (gitleaks `condition = "AND"`); false: any one.
    public var requiresAll: Bool

    public init(description: String? = nil, regexes: [String] = [], target: Target = .secret, paths: [String] = [],
                stopwords: [String] = [], requiresAll: Bool = false) {
        self.description = description
        self.regexes = regexes
        self.target = target
        self.paths = paths
        self.stopwords = stopwords
        self.requiresAll = requiresAll
    }

    public var isEmpty: Bool { regexes.isEmpty && paths.isEmpty && stopwords.isEmpty }
}
