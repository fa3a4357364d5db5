/// Which part of a repository a history scan reads.
public enum GitSelection: Sendable, Hashable {
    /// Every ref: branches, tags, remote-tracking refs, stash, detached HEAD.
    case allRefs
    /// Only what these revisions reach (`main`, `refs/tags/v1`, an id).
    case refs([String])
    /// The index against HEAD (pre-commit).
    case staged
    /// Commits reachable from `tip` and not from `base` (`base..tip`).
    case range(base: String, tip: String)
}
