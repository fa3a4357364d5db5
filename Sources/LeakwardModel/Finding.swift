import Foundation

/// One sighting of a secret: a candidate that passed every filter, at one place.
public struct Finding: Sendable, Codable, Hashable {
    public var ruleID: String
    public var ruleName: String
    public var category: SecretCategory
    public var provider: String
    public var severity: Severity
    public var kind: FindingKind
    public var validation: Validation
    /// Hex SHA-256 of the raw secret: the key that groups sightings into one credential.
    public var secretSHA256: String
    /// The secret with its middle masked, safe to print.
    public var preview: String
    public var location: Location
    /// Variable the value was assigned to (`OPENAI_API_KEY`), when the text shows one.
    public var variable: String?
    /// Why this finding is what it is: the weak-secret reason, a template-file note, JWT claims.
    public var notes: [String]
    /// The raw secret; written only by reports asked to `--reveal`.
    public var secret: SecretValue
    /// Bytes the rule's whole match spanned (not saved): when two provider rules report one
    /// secret, the one that saw more context (`CLERK_SECRET_KEY=sk_live_…`) is the better name.
    public var matchLength: Int = 0
    /// For a rule whose secret is a URL's password (`validator = "url-password"`), the whole URL
    /// (not saved, never written): its scheme, host, port, user and database are what
    /// `--verify-db` logs in with.
    public var connectionURL: SecretValue?
    /// For a key file (Rails' `master.key`): the encrypted file beside it that it opens.
    public var decrypts: EncryptedSibling?
    /// For one half of a credential pair (an AWS access key ID): the hex SHA-256 of the other
    /// half found beside it (its secret access key). `Credential.group` files this sighting
    /// under that secret's credential when the secret is reported too.
    public var pairedWith: String?

    public init(
        ruleID: String, ruleName: String, category: SecretCategory, provider: String, severity: Severity,
        kind: FindingKind, validation: Validation, secret: SecretValue, location: Location,
        variable: String? = nil, notes: [String] = [], matchLength: Int = 0
    ) {
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.category = category
        self.provider = provider
        self.severity = severity
        self.kind = kind
        self.validation = validation
        self.secret = secret
        self.secretSHA256 = secret.sha256
        self.preview = secret.description
        self.location = location
        self.variable = variable
        self.notes = notes
        self.matchLength = matchLength
    }

    public enum CodingKeys: String, CodingKey {
        case ruleID = "rule_id", ruleName = "rule_name", category, provider, severity, kind, validation
        case secretSHA256 = "secret_sha256", preview, location, variable, notes, decrypts
        case pairedWith = "paired_with"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ruleID = try c.decode(String.self, forKey: .ruleID)
        ruleName = try c.decode(String.self, forKey: .ruleName)
        category = try c.decode(SecretCategory.self, forKey: .category)
        provider = try c.decode(String.self, forKey: .provider)
        severity = try c.decode(Severity.self, forKey: .severity)
        kind = try c.decode(FindingKind.self, forKey: .kind)
        validation = try c.decode(Validation.self, forKey: .validation)
        secretSHA256 = try c.decode(String.self, forKey: .secretSHA256)
        preview = try c.decode(String.self, forKey: .preview)
        location = try c.decode(Location.self, forKey: .location)
        variable = try c.decodeIfPresent(String.self, forKey: .variable)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        decrypts = try c.decodeIfPresent(EncryptedSibling.self, forKey: .decrypts)
        pairedWith = try c.decodeIfPresent(String.self, forKey: .pairedWith)
        // A saved report never holds the raw value; the plan only needs the hash and preview.
        secret = SecretValue([])
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ruleID, forKey: .ruleID)
        try c.encode(ruleName, forKey: .ruleName)
        try c.encode(category, forKey: .category)
        try c.encode(provider, forKey: .provider)
        try c.encode(severity, forKey: .severity)
        try c.encode(kind, forKey: .kind)
        try c.encode(validation, forKey: .validation)
        try c.encode(secretSHA256, forKey: .secretSHA256)
        try c.encode(preview, forKey: .preview)
        try c.encode(location, forKey: .location)
        try c.encodeIfPresent(variable, forKey: .variable)
        if !notes.isEmpty { try c.encode(notes, forKey: .notes) }
        try c.encodeIfPresent(decrypts, forKey: .decrypts)
        try c.encodeIfPresent(pairedWith, forKey: .pairedWith)
        if encoder.userInfo[.revealSecrets] as? Bool == true {
            var extra = encoder.container(keyedBy: RevealKey.self)
            try extra.encode(secret.revealed, forKey: .secret)
        }
    }

    private enum RevealKey: String, CodingKey { case secret }

    /// Where a finding is: its origin (a working-tree file, a history blob, a commit message),
    /// the archive or source-map members inside it, the decode chain, and the line and column
    /// in the text the last decoder produced.
    public struct Location: Sendable, Hashable, Comparable {
        public var origin: Origin
        /// Members from the origin's file down to the text: `["assets/app.js"]` for a zip
        /// member, `["package.tgz", "dist/x.js"]` for a member of a nested archive, the
        /// `sources` name for a source map's `sourcesContent`. Empty for the file itself.
        public var members: [String]
        /// 1-based line in the decoded text.
        public var line: Int
        /// 1-based byte column in that line.
        public var column: Int
        /// The same column counted in UTF-16 code units, as GitHub code scanning reads SARIF
        /// columns; nil when it equals `column` (nothing but ASCII before the secret).
        public var utf16Column: Int?
        /// Byte offset of the secret in the decoded text.
        public var offset: Int
        public var decoders: [DecodeStep]
        /// Set for sightings read from git objects, once provenance has run.
        public var commit: CommitInfo?
        /// The git blob whose content holds the sighting, when known (history blobs, staged
        /// blobs, and working-tree files whose content is a history blob).
        public var blob: ObjectID?
        /// Whether the file is untracked or ignored by git (the working tree's `.env` files).
        public var isUntracked: Bool?
        /// Set when the file is a framework's build output, client or server side.
        public var buildOutput: BuildOutputMark?

        public init(origin: Origin, members: [String] = [], line: Int, column: Int, offset: Int,
                    decoders: [DecodeStep] = [], commit: CommitInfo? = nil, blob: ObjectID? = nil,
                    isUntracked: Bool? = nil) {
            self.origin = origin
            self.members = members
            self.line = line
            self.column = column
            self.offset = offset
            self.decoders = decoders
            self.commit = commit
            self.blob = blob
            self.isUntracked = isUntracked
        }

        /// The path shown for this place (`Origin.displayPath` with the members after `!`).
        /// For writers and evidence sentences only; nothing parses it.
        public var displayPath: String { origin.displayPath(members: members) }

        /// The name file-kind decisions judge: the innermost member, else the origin's path.
        public var innermostPath: String { members.last ?? origin.path }

        /// The origin's path with the members' below it (`dist/app.zip/assets/app.js`): what
        /// judgements by folder and extension read. Joined for those tests only, never split.
        public var nestedPath: String { ([origin.path] + members).joined(separator: "/") }

        public static func < (lhs: Location, rhs: Location) -> Bool { lhs.sortKey < rhs.sortKey }

        /// What locations are ordered by. It builds strings (the display path, the decoders, the
        /// commit's hex id): a sort of many findings makes it once per finding (`sortedByLocation`).
        public var sortKey: (String, Int, Int, String, String) {
            (displayPath, line, column, decoders.description, commit?.id.description ?? "")
        }
    }
}

/// The JSON form: `path` is the display path (readable, what a person opens); `origin` and
/// `members` are the structure, and the only fields read back (`plan --from`).
extension Finding.Location: Codable {
    public enum CodingKeys: String, CodingKey {
        case path, origin, members, line, column, utf16Column = "column_utf16", offset, decoders, commit, blob
        case isUntracked = "untracked"
        case buildOutput = "build_output"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        origin = try c.decode(Origin.self, forKey: .origin)
        members = try c.decodeIfPresent([String].self, forKey: .members) ?? []
        line = try c.decode(Int.self, forKey: .line)
        column = try c.decode(Int.self, forKey: .column)
        utf16Column = try c.decodeIfPresent(Int.self, forKey: .utf16Column)
        offset = try c.decode(Int.self, forKey: .offset)
        decoders = try c.decodeIfPresent([DecodeStep].self, forKey: .decoders) ?? []
        commit = try c.decodeIfPresent(CommitInfo.self, forKey: .commit)
        blob = try c.decodeIfPresent(ObjectID.self, forKey: .blob)
        isUntracked = try c.decodeIfPresent(Bool.self, forKey: .isUntracked)
        buildOutput = try c.decodeIfPresent(BuildOutputMark.self, forKey: .buildOutput)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(displayPath, forKey: .path)
        try c.encode(origin, forKey: .origin)
        if !members.isEmpty { try c.encode(members, forKey: .members) }
        try c.encode(line, forKey: .line)
        try c.encode(column, forKey: .column)
        try c.encodeIfPresent(utf16Column, forKey: .utf16Column)
        try c.encode(offset, forKey: .offset)
        try c.encode(decoders, forKey: .decoders)
        try c.encodeIfPresent(commit, forKey: .commit)
        try c.encodeIfPresent(blob, forKey: .blob)
        try c.encodeIfPresent(isUntracked, forKey: .isUntracked)
        try c.encodeIfPresent(buildOutput, forKey: .buildOutput)
    }
}

/// The git commit a sighting was first seen in, and how present it still is.
public struct CommitInfo: Sendable, Codable, Hashable {
    public var id: ObjectID
    public var author: String
    /// ISO 8601, UTC.
    public var date: String
    public var summary: String?
    /// True when the blob is part of HEAD's tree.
    public var isInHEAD: Bool
    /// The strongest kind of ref whose history reaches the blob (nil in reports written
    /// before refs were summarised).
    public var reach: RefReach?
    /// How many refs reach the blob.
    public var refCount: Int?
    /// A few of those refs (the default branch first, then the shortest names); every one
    /// only when asked (`--all-refs`). `refCount` says how many there are.
    public var refs: [String]
    /// How many commits' trees contain the blob (for grouped versions: any of them).
    public var commitCount: Int
    /// Set when versions of one file holding the same secret were grouped into this sighting
    /// (`PathVersions`): how many blobs, and the newest commit that brought one in.
    public var versions: Int?
    public var lastCommit: ObjectID?
    public var lastDate: String?
    /// Every path the blob sat at in history, first introduced first, when there was more than
    /// one (capped; `pathCount` then says how many there were).
    public var paths: [BlobPath]?
    public var pathCount: Int?

    public init(id: ObjectID, author: String, date: String, summary: String? = nil, isInHEAD: Bool,
                reach: RefReach? = nil, refCount: Int? = nil, refs: [String] = [], commitCount: Int = 1) {
        self.id = id
        self.author = author
        self.date = date
        self.summary = summary
        self.isInHEAD = isInHEAD
        self.reach = reach
        self.refCount = refCount
        self.refs = refs
        self.commitCount = commitCount
    }

    public enum CodingKeys: String, CodingKey {
        case id, author, date, summary, isInHEAD = "in_head", reach, refCount = "ref_count", refs
        case commitCount = "commit_count", versions, lastCommit = "last_commit", lastDate = "last_date"
        case paths, pathCount = "path_count"
    }
}

/// Which kind of ref reaches a sighting's commit, strongest first: what a reader needs to
/// know about a history with thousands of pull-request refs, without the list.
public enum RefReach: String, Sendable, Codable, Hashable, Comparable, CaseIterable {
    /// The default branch (what HEAD, or the remote's HEAD, names).
    case defaultBranch = "default_branch"
    /// Some other branch, local or remote-tracking.
    case branch
    /// A tag, and no branch.
    case tag
    /// Only refs that are neither branches nor tags: pull-request refs, stash, notes.
    case otherRefs = "other_refs"
    /// No ref at all: the object is still in the store (a force-push, a dropped pull request).
    case unreachable

    public static func < (lhs: RefReach, rhs: RefReach) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One path a blob sat at in history: the first commit that put it there and whether HEAD still has it.
public struct BlobPath: Sendable, Codable, Hashable {
    public var path: String
    public var commit: String
    /// ISO 8601, UTC: that commit's date.
    public var date: String
    public var isInHEAD: Bool

    public init(path: String, commit: String, date: String, isInHEAD: Bool) {
        self.path = path
        self.commit = commit
        self.date = date
        self.isInHEAD = isInHEAD
    }

    public enum CodingKeys: String, CodingKey { case path, commit, date, isInHEAD = "in_head" }
}

extension CodingUserInfoKey {
    /// Set to `true` to write raw secrets (`--reveal`); every other path redacts.
    public static let revealSecrets = CodingUserInfoKey(rawValue: "leakward.revealSecrets")!
}
