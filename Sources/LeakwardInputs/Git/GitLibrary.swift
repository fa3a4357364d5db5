import CGit2

/// libgit2's process-wide set-up, done once. This is the one sanctioned global: it is set
/// before any repository opens and never changes after.
enum GitLibrary {
    static let ready: Bool = {
        git_libgit2_init()
        // Hash verification doubles blob-read cost; git has verified these objects already.
        _ = cgit_set_strict_hash_verification(0)
        // Scanning someone else's checkout (CI, a downloaded repo) must not fail on ownership.
        _ = cgit_set_owner_validation(0)
        // Never read the user's or the system's git config: a scan is hermetic.
        for level in [GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA] {
            _ = cgit_set_search_path(Int32(level.rawValue), "")
        }
        // Commits are read once each by the planning walk and trees come from our own pack
        // reader, so libgit2's object cache saves little; at 64 MB it held 100 MB of heap at
        // the planning peak of a 160,000-commit history.
        _ = cgit_set_cache_max_size(8 * 1024 * 1024)
        return true
    }()
}
