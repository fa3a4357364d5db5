#!/usr/bin/env bash
# bench/large-histories.sh BINARY — the real-history part of `make bench`: Leakward beside
# Kingfisher on lodash (8,504 commits, a normal clone), on the Ruby on Rails history (about
# 120,000 commits, 1.24 M objects) and on the same objects with GitHub's pull-request refs
# (about 52,000 refs), when they are present.
# Prints wall time, CPU time, peak RSS (and per million objects), report size, PCRE2
# match-limit errors and how many sightings each report holds (a peer that stopped early would
# look fast), the ratios, and the refs variant against the plain clone (at most 1.5x wanted). Skipped (with a note) when the repositories are
# absent: CI does not run the benchmark, and nothing is fetched here.
#
# Bringing the repositories (once, into .build/realworld/, which git ignores):
#   0. lodash: fetch github:lodash/lodash, copy its objects and HEAD to .build/realworld/lodash.git,
#      keep only branches and tags (grep -v ' refs/pull/' on its packed-refs; mkdir refs/heads
#      refs/tags) and write the minimal config of step 1.
#   1. With the research `fetch` tool (../shared/guide/REALWORLD.md): fetch github:rails/rails,
#      copy the snapshot's git directory to .build/realworld/rails-mirror.git and write a
#      minimal `config` ([core] repositoryformatversion = 0, bare = true). Its packed-refs
#      holds refs/pull/*: that is the 50,000-ref variant.
#      Without the tool, where the network allows: git clone --mirror https://github.com/rails/rails
#      .build/realworld/rails-mirror.git && git -C .build/realworld/rails-mirror.git fetch origin '+refs/pull/*:refs/pull/*'
#   2. The normal clone: .build/realworld/rails.git with the same objects and only branches and
#      tags (the pull requests' objects stay in the pack, unreachable, as after a clone that
#      once fetched them):
#        mkdir -p .build/realworld/rails.git && cd .build/realworld/rails.git
#        cp -r ../rails-mirror.git/objects ../rails-mirror.git/HEAD ../rails-mirror.git/config .
#        grep -v ' refs/pull/' ../rails-mirror.git/packed-refs > packed-refs && mkdir -p refs/heads refs/tags
#      (the bench machine's rails-mirror.git links its objects to rails.git's instead).
# Each tool runs RUNS times (default 3; the median is reported: one run on a 2-core machine moves by
# 10-15% with the page cache and whatever else ran); one at a time, never side by side.
# LARGE_HISTORIES="name=path ..." replaces the list (e.g. to try it on a small repository).
set -euo pipefail
BIN=${1:?usage: bench/large-histories.sh path/to/leakward}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REALWORLD=${REALWORLD:-$ROOT/.build/realworld}
# From a linked worktree, the repositories sit in the main checkout.
[ -d "$REALWORLD" ] || REALWORLD="$(cd "$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir)/.." && pwd)/.build/realworld"
PEERS=${PEERS_DIR:-$ROOT/../shared/peers}
# From a linked worktree, the peers sit beside the main checkout.
[ -d "$PEERS" ] || PEERS="$(cd "$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir)/.." && pwd)/../shared/peers"
RUNS=${RUNS:-3}
OUT=${BENCH_CACHE:-$ROOT/.build/bench}/large
mkdir -p "$OUT"
LIST=${LARGE_HISTORIES:-"lodash=$REALWORLD/lodash.git rails=$REALWORLD/rails.git rails-50k-refs=$REALWORLD/rails-mirror.git"}

present=()
for item in $LIST; do
  [ -d "${item#*=}/objects" ] && present+=("$item")
done
if [ ${#present[@]} -eq 0 ]; then
  echo "(large histories skipped: no rails.git / rails-mirror.git under $REALWORLD; see bench/large-histories.sh)"
  exit 0
fi
has_kingfisher=0
[ -x "$PEERS/run-peers.sh" ] && [ -x /opt/peers/venv-kingfisher/bin/kingfisher ] && has_kingfisher=1

# run NAME COMMAND... : median wall, median CPU, max peak RSS (KiB) of RUNS runs → "wall cpu rss"
run() {
  local walls=() cpus=() rss=0 wall mem user sys
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -o "$OUT/time.txt" -f '%e %M %U %S' "$@" >/dev/null 2>"$OUT/stderr.txt" || true
    read -r wall mem user sys < <(tail -1 "$OUT/time.txt")
    walls+=("$wall"); cpus+=("$(echo "$user + $sys" | bc -l)")
    [ "$mem" -gt "$rss" ] && rss=$mem
  done
  local mid=$(( (RUNS + 1) / 2 ))
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p") $rss"
}
tolerate() { "$@" || [ $? -le 1 ]; }   # leakward exits 1 when it finds secrets
export -f tolerate

# sightings FILE TOOL: how many findings a report holds ("?" when it cannot be read)
sightings() {
  python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
print(len(r.get('findings', [])) if isinstance(r, dict) else len(r))" "$1" 2>/dev/null || echo "?"
}
declare -A LW_WALL LW_RSS
printf '%-16s %-10s %9s %9s %10s %11s %12s %12s %10s\n' repository tool "wall s" "CPU s" "RSS MiB" "MiB/M obj" "report MiB" "limit errors" findings
for item in "${present[@]}"; do
  name=${item%%=*}; repo=${item#*=}
  objects=$(git --git-dir="$repo" count-objects -v | awk '/^(count|in-pack):/ {n += $2} END {print n}')
  refs=$(git --git-dir="$repo" for-each-ref | wc -l)
  echo "== $name: $objects objects, $refs refs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  read -r lw_wall lw_cpu lw_rss < <(run bash -c "tolerate '$BIN' git '$repo' -f json -o '$OUT/$name-leakward.json'")
  lw_limits=$(python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
print(sum('match limit' in e.get('reason', '') for e in r.get('errors', [])))" "$OUT/$name-leakward.json" 2>/dev/null || echo "?")
  LW_WALL[$name]=$lw_wall; LW_RSS[$name]=$lw_rss
  printf '%-16s %-10s %9.1f %9.1f %10d %11d %12.2f %12s %10s\n' "$name" leakward "$lw_wall" "$lw_cpu" $((lw_rss / 1024)) \
    $((lw_rss / 1024 * 1000000 / (objects > 0 ? objects : 1))) "$(echo "$(stat -c %s "$OUT/$name-leakward.json" 2>/dev/null || echo 0) / 1048576" | bc -l)" \
    "$lw_limits" "$(sightings "$OUT/$name-leakward.json")"
  if [ "$has_kingfisher" = 1 ]; then
    read -r kf_wall kf_cpu kf_rss < <(run "$PEERS/run-peers.sh" kingfisher git "$repo" "$OUT/$name-kingfisher.json")
    kf_size=$(stat -c %s "$OUT/$name-kingfisher.json" 2>/dev/null || echo 0)
    printf '%-16s %-10s %9.1f %9.1f %10d %11d %12.2f %12s %10s\n' "$name" kingfisher "$kf_wall" "$kf_cpu" $((kf_rss / 1024)) \
      $((kf_rss / 1024 * 1000000 / (objects > 0 ? objects : 1))) "$(echo "$kf_size / 1048576" | bc -l)" "-" "$(sightings "$OUT/$name-kingfisher.json")"
    printf '  leakward vs kingfisher: wall %.2fx faster, CPU %.2fx less, peak RSS %.2fx of theirs\n' \
      "$(echo "$kf_wall / $lw_wall" | bc -l)" "$(echo "$kf_cpu / $lw_cpu" | bc -l)" "$(echo "$lw_rss / $kf_rss" | bc -l)"
  else
    echo "  (Kingfisher not installed: bash ../shared/peers/install.sh)"
  fi
done
# The 50,000-ref variant holds the plain clone's objects: it should cost at most 1.5x.
if [ -n "${LW_WALL[rails]:-}" ] && [ -n "${LW_WALL[rails-50k-refs]:-}" ]; then
  printf 'rails-50k-refs vs rails (leakward): wall %.2fx, peak RSS %.2fx (at most 1.5x wanted)\n' \
    "$(echo "${LW_WALL[rails-50k-refs]} / ${LW_WALL[rails]}" | bc -l)" "$(echo "${LW_RSS[rails-50k-refs]} / ${LW_RSS[rails]}" | bc -l)"
fi
