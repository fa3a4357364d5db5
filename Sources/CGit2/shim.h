#ifndef LEAKWARD_CGIT2_SHIM_H
#define LEAKWARD_CGIT2_SHIM_H
#include <git2.h>
/* git_libgit2_opts is variadic, which Swift does not import: one wrapper per option we set. */
static inline int cgit_set_strict_hash_verification(int on) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, on);
}
static inline int cgit_set_owner_validation(int on) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, on);
}
static inline int cgit_set_cache_max_size(ssize_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, bytes);
}
/* Never let a scanned repository's configuration search reach the user's or system files. */
static inline int cgit_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}
#endif
