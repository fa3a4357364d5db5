import LeakwardModel
import LeakwardRules

/// A config's allowlist for git objects, which have no path an `[allowlist] paths` glob could
/// name: sightings only in objects no ref reaches (`unreachable = true`), and sightings in
/// listed commits or blobs (`objects`). Applied once provenance has said which commit and ref
/// class each sighting has; what it allows is counted as suppressed, never silently dropped.
public struct ObjectAllowlist: Sendable {
    public let allowsUnreachable: Bool
    /// Lower-case hex ids or prefixes (at least 7 digits, checked when the config was read).
    public let prefixes: [String]

    public init(allowsUnreachable: Bool = false, prefixes: [String] = []) {
        self.allowsUnreachable = allowsUnreachable
        self.prefixes = prefixes
    }

    public init(_ config: ProjectConfig) {
        self.init(allowsUnreachable: config.allowsUnreachable, prefixes: config.allowlistObjects)
    }

    public var isEmpty: Bool { !allowsUnreachable && prefixes.isEmpty }

    /// Whether a sighting is allowed: it is in an object no ref reaches (a blob no commit holds,
    /// or a commit whose history no ref has), or its blob, its commit or the commit whose
    /// message holds it is listed. A working-tree file is never unreachable, but a listed blob
    /// id allows its content wherever it is (the id is the content's).
    public func allows(_ finding: Finding) -> Bool {
        let location = finding.location
        if allowsUnreachable {
            if case .unreachableBlob = location.origin { return true }
            if location.commit?.reach == .unreachable { return true }
        }
        guard !prefixes.isEmpty else { return false }
        var ids: [ObjectID] = []
        if let blob = location.blob { ids.append(blob) }
        if let commit = location.commit { ids.append(commit.id) }
        switch location.origin {
        case .commitMessage(_, let commit): ids.append(commit)
        case .unreachableBlob(_, let blob): ids.append(blob)
        case .file, .history: break
        }
        return ids.contains { id in
            let hex = id.description
            return prefixes.contains { hex.hasPrefix($0) }
        }
    }

    /// `findings` without the allowed ones, and how many were allowed.
    public func filter(_ findings: [Finding]) -> (kept: [Finding], allowed: Int) {
        guard !isEmpty else { return (findings, 0) }
        let kept = findings.filter { !allows($0) }
        return (kept, findings.count - kept.count)
    }
}
