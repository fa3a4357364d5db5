/// An input that could not be read or was skipped on purpose, kept so nothing is lost silently.
public struct ScanIssue: Sendable, Codable, Hashable, Comparable {
    public enum Level: String, Sendable, Codable {
        /// Deliberately not scanned (binary, too large, ignored kind).
        case skipped
        /// Something went wrong reading or decoding it.
        case error
    }

    public var path: String
    public var level: Level
    /// The stage that gave up: `read`, `walk`, `gzip`, `zip`, `git`, `match`, ...
    public var stage: String
    public var reason: String

    public init(path: String, level: Level, stage: String, reason: String) {
        self.path = path
        self.level = level
        self.stage = stage
        self.reason = reason
    }

    public static func < (lhs: ScanIssue, rhs: ScanIssue) -> Bool {
        (lhs.path, lhs.stage, lhs.reason) < (rhs.path, rhs.stage, rhs.reason)
    }

    /// How many inputs could not be (fully) scanned: distinct paths with an error, since one
    /// input may fail at several stages.
    public static func unscannedInputs(_ issues: [ScanIssue]) -> Int {
        Set(issues.lazy.filter { $0.level == .error }.map(\.path)).count
    }

    /// "3 inputs could not be scanned", the words every summary uses.
    public static func unscannedPhrase(_ count: Int) -> String {
        count == 1 ? "1 input could not be scanned" : "\(count) inputs could not be scanned"
    }
}
