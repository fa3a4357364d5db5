#!/usr/bin/env bash
# Prepares the JavaScript monorepo tree for the directory benchmark: getsentry/sentry-javascript
# at HEAD (about 10,000 files, 68 MB, 163 nested .gitignore files) under .build/realworld/.
# The repository itself is brought in once with the research `fetch` tool (see
# ../shared/guide/REALWORLD.md) as .build/realworld/sentry-javascript.git, or cloned here when
# the network allows: git clone --mirror https://github.com/getsentry/sentry-javascript.
# Prints the tree's path, or nothing when the repository is not there (the bench then skips it).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
realworld=${REALWORLD:-"$here/.build/realworld"}
# From a linked worktree, the repositories sit in the main checkout.
[ -d "$realworld" ] || realworld="$(cd "$(git -C "$here" rev-parse --path-format=absolute --git-common-dir)/.." && pwd)/.build/realworld"
repo="$realworld/sentry-javascript.git"
tree="$realworld/sentry-javascript-tree"
[ -d "$repo" ] || exit 0
if [ ! -f "$tree/.complete" ]; then
  rm -rf "$tree"; mkdir -p "$tree"
  git --git-dir="$repo" archive HEAD | tar -x -C "$tree"
  touch "$tree/.complete"
fi
echo "$tree"
