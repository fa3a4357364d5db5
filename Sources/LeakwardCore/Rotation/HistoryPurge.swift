/// What it takes to remove secrets from git history with `git filter-repo --replace-text`.
public struct HistoryPurge: Sendable, Hashable, Codable {
    /// The contents of the replace-text file: one expression per secret. Without `--reveal` each
    /// line is a regex built from the redacted preview (prefix, length, suffix), never the secret.
    public var replaceText: String
    public var command: String
    public var warning: String

    enum CodingKeys: String, CodingKey { case replaceText = "replace_text", command, warning }

    static let warning = "Rewriting history does not reach forks, clones, CI caches or GitHub's cached views; "
        + "rotate first, then purge (git filter-repo 2.47+ also takes --sensitive-data-removal), force-push, and ask collaborators to re-clone."
    static let command = "git filter-repo --replace-text leakward-replace.txt"

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
    static func regex(fromPreview preview: String) -> String? {
        guard let ellipsis = preview.firstIndex(of: "…"), let open = preview.range(of: " ("),
              let count = Int(preview[open.upperBound...].prefix { $0.isNumber }) else { return nil }
        let head = String(preview[..<ellipsis])
        let tail = String(preview[preview.index(after: ellipsis)..<open.lowerBound])
        let middle = count - head.count - tail.count
        guard middle > 0 else { return nil }
        return escape(head) + "\\S{\(middle)}" + escape(tail)
    }

    /// Escapes Python `re` metacharacters.
    static func escape(_ text: String) -> String {
        let special = Set("\\.^$*+?{}[]|()-/")
        return text.map { special.contains($0) ? "\\\($0)" : String($0) }.joined()
    }
}
