/// Where a blob's bytes came from, as fields. Paths are `/`-separated and relative to `root`
/// (never starting with `./`); nothing in the core builds a path string to take it apart
/// again: allowlists, exposure, baselines and the plan read these fields, and only the
/// writers (through `displayPath`) turn them into text.
public enum Origin: Sendable, Hashable {
    /// A file under a scanned directory. `root` is the directory as given on the command line
    /// (`.` for the current one; the directory of a single file named on the command line).
    case file(root: String, path: String)
    /// A blob of a repository's history. `root` is the repository's work tree (or git
    /// directory) as given; `path` is relative to its top (a submodule's blobs carry the
    /// submodule's path in front), the path the blob was first seen at.
    case history(root: String, path: String)
    /// The message of `commit`, in the repository at `root`.
    case commitMessage(root: String, commit: ObjectID)
    /// A blob of the repository at `root` that no commit holds (a dropped stash, a rewritten
    /// branch not yet collected): only its id is known.
    case unreachableBlob(root: String, blob: ObjectID)

    /// The scanned directory or repository, as given.
    public var root: String {
        switch self {
        case .file(let root, _), .history(let root, _), .commitMessage(let root, _), .unreachableBlob(let root, _): root
        }
    }

    /// The path relative to `root`; "" for a commit message or an unreachable blob.
    public var path: String {
        switch self {
        case .file(_, let path), .history(_, let path): path
        case .commitMessage, .unreachableBlob: ""
        }
    }

    /// The commit whose message this is.
    public var messageCommit: ObjectID? {
        if case .commitMessage(_, let commit) = self { commit } else { nil }
    }

    /// Kind names used in reports.
    public enum Kind: String, Sendable, Codable {
        case file, history
        case commitMessage = "commit-message"
        case unreachableBlob = "unreachable-blob"
    }

    public var kind: Kind {
        switch self {
        case .file: .file
        case .history: .history
        case .commitMessage: .commitMessage
        case .unreachableBlob: .unreachableBlob
        }
    }

    /// A file origin for `path` as typed on the command line: split into its directory (the
    /// root) and its name, so allowlists and exposure see a relative path like any other.
    public static func namedFile(_ path: String) -> Origin {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return .file(root: ".", path: path) }
        return .file(root: String(path[..<slash]), path: String(path[path.index(after: slash)...]))
    }

    /// The one path convention of every output: the root as given joined with the relative
    /// path (the root left out when it is `.`), so a shown path opens from the directory the
    /// command ran in, for working-tree files and history blobs alike. A commit message is
    /// shown as `commit-message:<id>`, a blob no commit holds as `unreachable-blob:<id>`. Text,
    /// not structure: nothing parses it back.
    public var displayPath: String {
        switch self {
        case .file(let root, let path), .history(let root, let path):
            if root == "." || root.isEmpty { return path }
            if path.isEmpty { return root }
            return root.hasSuffix("/") ? root + path : root + "/" + path
        case .commitMessage(_, let commit):
            return "commit-message:\(commit)"
        case .unreachableBlob(_, let blob):
            return "unreachable-blob:\(blob)"
        }
    }

    /// The display path of `members` inside this origin: archive members follow their
    /// container after `!` (`dist.zip!assets/app.js`), as gitleaks and Kingfisher show them.
    public func displayPath(members: [String]) -> String {
        ([displayPath] + members).joined(separator: "!")
    }
}

extension Origin: Comparable {
    public static func < (a: Origin, b: Origin) -> Bool { a.displayPath < b.displayPath }
}

extension Origin: Codable {
    public enum CodingKeys: String, CodingKey { case kind, root, path, commit, blob }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let root = try c.decode(String.self, forKey: .root)
        switch try c.decode(Kind.self, forKey: .kind) {
        case .file: self = .file(root: root, path: try c.decode(String.self, forKey: .path))
        case .history: self = .history(root: root, path: try c.decode(String.self, forKey: .path))
        case .commitMessage: self = .commitMessage(root: root, commit: try c.decode(ObjectID.self, forKey: .commit))
        case .unreachableBlob: self = .unreachableBlob(root: root, blob: try c.decode(ObjectID.self, forKey: .blob))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(root, forKey: .root)
        switch self {
        case .file(_, let path), .history(_, let path): try c.encode(path, forKey: .path)
        case .commitMessage(_, let commit): try c.encode(commit, forKey: .commit)
        case .unreachableBlob(_, let blob): try c.encode(blob, forKey: .blob)
        }
    }
}
