#!/usr/bin/env bash
# Brings one repository fetched with the search tool's `fetch` (a bare snapshot without a
# config) into .build/realworld/: NAME.git (only refs/heads and refs/tags, as a normal clone
# sees it; pull-request objects stay unreachable in the pack) and NAME-tree (HEAD's files).
# Usage: bench/realworld/import.sh /work/.mirror/OWNER+NAME/repo NAME
# (repos.txt ends each line with the repository's GitHub OWNER/NAME in parentheses: `fetch
# github:OWNER/NAME` brings the snapshot on a new machine.)
set -euo pipefail
src=$1; name=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
dest="$root/.build/realworld"
case "$root" in /work/wt/*) dest=/work/main/.build/realworld ;; esac
dest=${REALWORLD_DIR:-$dest}
mkdir -p "$dest"
git_dir="$dest/$name.git"
if [ ! -d "$git_dir" ]; then
  cp -r "$src" "$git_dir.tmp"
  printf '[core]\n\trepositoryformatversion = 0\n\tbare = true\n' > "$git_dir.tmp/config"
  if [ -f "$git_dir.tmp/packed-refs" ]; then
    grep -E '^#|refs/(heads|tags)/|^\^' "$git_dir.tmp/packed-refs" > "$git_dir.tmp/packed-refs.new" || true
    mv "$git_dir.tmp/packed-refs.new" "$git_dir.tmp/packed-refs"
  fi
  rm -rf "$git_dir.tmp/refs/pull"
  mv "$git_dir.tmp" "$git_dir"
fi
if [ ! -d "$dest/$name-tree" ]; then
  rm -rf "$dest/$name-tree.tmp"; mkdir -p "$dest/$name-tree.tmp"
  if ! git --git-dir="$git_dir" archive HEAD 2>/dev/null | tar -x -C "$dest/$name-tree.tmp" 2>/dev/null; then
    # A snapshot lacks files of 4 MiB and more, so `git archive` stops at the first missing blob:
    # write HEAD's files one by one instead and leave out the missing ones.
    rm -rf "$dest/$name-tree.tmp"; mkdir -p "$dest/$name-tree.tmp"
    git --git-dir="$git_dir" ls-tree -r -z HEAD | while IFS= read -r -d '' entry; do
      meta=${entry%%$'\t'*}; path=${entry#*$'\t'}; set -- $meta
      [ "$2" = blob ] || continue
      mkdir -p "$dest/$name-tree.tmp/$(dirname "$path")"
      git --git-dir="$git_dir" cat-file blob "$3" > "$dest/$name-tree.tmp/$path" 2>/dev/null || { rm -f "$dest/$name-tree.tmp/$path"; echo "import: $path missing from the snapshot" >&2; }
    done
  fi
  mv "$dest/$name-tree.tmp" "$dest/$name-tree"
fi
echo "$dest/$name.git $(git --git-dir="$git_dir" rev-list --count HEAD 2>/dev/null || echo '?') commits; $dest/$name-tree $(find "$dest/$name-tree" -type f | wc -l) files"
