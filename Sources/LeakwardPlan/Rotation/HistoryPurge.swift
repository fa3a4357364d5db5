/// What it takes to remove secrets from git history with `git filter-repo --replace-text`.
public struct HistoryPurge: Sendable, Hashable, Codable {
    /// The contents of the replace-text file: one expression per secret. Without `--reveal` each
    /// line is a regex built from the redacted preview (prefix, length, suffix), never the secret.
    public var replaceText: String
    public var command: String
    public var warning: String
    /// Every path the secrets sat at in git history (working-tree paths excluded), so the
    /// person purging knows which files the rewrite touches.
    public var paths: [String] = []

    public enum CodingKeys: String, CodingKey { case replaceText = "replace_text", command, warning, paths }

    public init(replaceText: String, command: String, warning: String, paths: [String] = []) {
        self.replaceText = replaceText
        self.command = command
        self.warning = warning
        self.paths = paths
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        replaceText = try c.decode(String.self, forKey: .replaceText)
        command = try c.decode(String.self, forKey: .command)
        warning = try c.decode(String.self, forKey: .warning)
        paths = try c.decodeIfPresent([String].self, forKey: .paths) ?? []
    }

    /// The history paths of a credential's sightings: each commit sighting's path and every
    /// other path its blob sat at.
    public static func paths(of exposures: [Exposure]) -> [String] {
        var paths = Set<String>()
        for location in exposures.map(\.location) {
            guard let commit = location.commit else { continue }
            paths.insert(location.displayPath)
            for site in commit.paths ?? [] { paths.insert(site.path) }
        }
        return paths.sorted()
    }

    public static let warning = "Rewriting history does not reach forks, clones, CI caches or GitHub's cached views; "
        + "rotate first, then purge (git filter-repo 2.47+ also takes --sensitive-data-removal), force-push, and ask collaborators to re-clone."
    public static let command = "git filter-repo --replace-text leakward-replace.txt"

    /// The replace-text line for one credential: the literal secret with `reveal`, else a regex
    /// from the preview (`sk-pro…Xz (164 chars)`) that matches the secret without containing it.
    public static func line(preview: String, fingerprint: String, secret: String?) -> String {
        let replacement = "***REMOVED-\(fingerprint.replacingOccurrences(of: "sha256:", with: ""))***"
        if let secret, !secret.isEmpty { return "\(secret)==>\(replacement)" }
        guard let pattern = regex(fromPreview: preview) else {
            return "# \(fingerprint): the value is too short to describe without revealing it; re-run with --reveal to fill this line"
        }
        return "regex:\(pattern)==>\(replacement)"
    }

    /// `sk-pro…Xz (164 chars)` → `sk\-pro\S{156}Xz`.
    public static func regex(fromPreview preview: String) -> String? {
        guard let ellipsis = preview.firstIndex(of: "…"), let open = preview.range(of: " ("),
              let count = Int(preview[open.upperBound...].prefix { $0.isNumber }) else { return nil }
        let head = String(preview[..<ellipsis])
        let tail = String(preview[preview.index(after: ellipsis)..<open.lowerBound])
        let middle = count - head.count - tail.count
        guard middle > 0 else { return nil }
        return escape(head) + "\\S{\(middle)}" + escape(tail)
    }

    /// Escapes Python `re` metacharacters.
    public static func escape(_ text: String) -> String {
        let special = Set("\\.^$*+?{}[]|()-/")
        return text.map { special.contains($0) ? "\\\($0)" : String($0) }.joined()
    }
}
