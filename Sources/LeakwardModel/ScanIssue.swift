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
    /// The stage that gave up: `read`, `walk`, `git`, `match`, or a decoder (`gzip`, `zip`…).
    public var stage: IssueStage
    public var reason: String

    public init(path: String, level: Level, stage: IssueStage, reason: String) {
        self.path = path
        self.level = level
        self.stage = stage
        self.reason = reason
    }

    public static func < (lhs: ScanIssue, rhs: ScanIssue) -> Bool {
        (lhs.path, lhs.stage.description, lhs.reason) < (rhs.path, rhs.stage.description, rhs.reason)
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

/// Where an input gave up. Reports print the names (`git`, `zip`), so they stay stable.
public enum IssueStage: Sendable, Hashable, CustomStringConvertible {
    /// Listing a directory.
    case walk
    /// Reading a file or git object.
    case read
    /// Matching rules (a time or PCRE2 limit).
    case match
    /// A source that failed to list its inputs at all.
    case enumerate
    /// Planning a history: refs, commits, trees, submodules.
    case git
    /// Attributing history findings to commits.
    case provenance
    /// An entry of a `--repos` list.
    case repos
    /// The config checks (`rules/checks/*.toml`) run on a blob.
    case check
    /// A decoder that could not read (part of) its input.
    case decoder(DecoderKind)

    public var description: String {
        switch self {
        case .walk: "walk"
        case .read: "read"
        case .match: "match"
        case .enumerate: "enumerate"
        case .git: "git"
        case .provenance: "provenance"
        case .repos: "repos"
        case .check: "check"
        case .decoder(let kind): kind.rawValue
        }
    }

    /// The stage a report names, or nil for a name no stage has.
    public init?(name: String) {
        let fixed: [IssueStage] = [.walk, .read, .match, .enumerate, .git, .provenance, .repos, .check]
        if let stage = fixed.first(where: { $0.description == name }) {
            self = stage
        } else if let kind = DecoderKind(rawValue: name) {
            self = .decoder(kind)
        } else {
            return nil
        }
    }
}

extension IssueStage: Codable {
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let stage = IssueStage(name: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown stage '\(name)'"))
        }
        self = stage
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
