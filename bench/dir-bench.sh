#!/usr/bin/env bash
# Directory-scan benchmark: a copy of real text from this machine (/usr/include, python's
# standard library, /usr/share/doc) with planted fake secrets, cached under .build/bench/dir.
# Runs Leakward and, when installed (../shared/peers/install.sh), Kingfisher and Betterleaks in
# directory mode on the same tree; prints median wall time of RUNS runs, MiB/s, peak RSS and ratios.
# With a second argument, that directory is the corpus instead (nothing planted), e.g. the
# JavaScript monorepo tree bench/monorepo-tree.sh prepares (nested .gitignore files).
# Usage: bench/dir-bench.sh path/to/leakward [TREE]
set -euo pipefail
bin=${1:?usage: dir-bench.sh LEAKWARD_BINARY [TREE]}
runs=${RUNS:-5}   # sub-second runs at 10 ms resolution: five steady a median
here=$(cd "$(dirname "$0")/.." && pwd)
tree=${2:-"$here/.build/bench/dir"}
if [ -n "${2:-}" ] && [ ! -d "$tree" ]; then echo "dir-bench: $tree is not a directory" >&2; exit 1; fi
peers_dir=${PEERS:-/opt/peers}
run_peers="$here/../shared/peers/run-peers.sh"
# From a linked worktree, the peers sit beside the main checkout.
[ -x "$run_peers" ] || run_peers="$(cd "$(git -C "$here" rev-parse --path-format=absolute --git-common-dir)/.." && pwd)/../shared/peers/run-peers.sh"

if [ -z "${2:-}" ] && [ ! -f "$tree/.done" ]; then
  rm -rf "$tree"; mkdir -p "$tree"
  cp -R /usr/include "$tree/include"
  py=$(ls -d /usr/lib/python3.[0-9]* 2>/dev/null | head -1); mkdir -p "$tree/python"; [ -n "$py" ] && cp -R "$py/." "$tree/python/"
  cp -R /usr/share/doc "$tree/doc" 2>/dev/null || true
  find "$tree" -type l -delete
  find "$tree" -name '*.gz' -delete   # text only: peers differ on archives
  # Plant fake secrets of several kinds in a few files.
  for i in 1 2 3 4 5; do
    printf 'GITHUB_TOKEN=%s\n' "$(python3 "$here/scripts/fake-token.py" github ghp_ "dir$i")" >> "$tree/include/planted-$i.env"
    printf 'STRIPE_SECRET_KEY=sk_live_%s\n' "$(python3 "$here/scripts/fake-token.py" alnum 32 "s$i")" >> "$tree/python/planted-$i.py"
  done
  touch "$tree/.done"
fi
bytes=$(du -sb "$tree" | cut -f1)
mib=$(python3 -c "print(round($bytes/1048576, 1))")
echo "corpus: $tree ($mib MiB, $(find "$tree" -type f | wc -l) files)"

measure() {  # name, command... ; prints "name median_s rss_mib"
  local name=$1; shift
  local times=() rss=0
  for _ in $(seq "$runs"); do
    local log; log=$(mktemp)
    /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>&1 || true
    read -r t m < <(tail -1 "$log"); rm -f "$log"
    times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
  done
  local median; median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name $median $((rss / 1024))"
}

results=$(mktemp)
measure leakward "$bin" scan "$tree" --no-git --format json -o /tmp/lw-dir.json >> "$results"
if [ -x "$peers_dir/venv-kingfisher/bin/kingfisher" ] && [ -x "$run_peers" ]; then
  measure kingfisher bash "$run_peers" kingfisher dir "$tree" /tmp/kf-dir.json >> "$results"
fi
if [ -x "$peers_dir/venv-betterleaks/bin/betterleaks" ] && [ -x "$run_peers" ]; then
  measure betterleaks bash "$run_peers" betterleaks dir "$tree" /tmp/bl-dir.json >> "$results"
fi
python3 - "$results" "$bytes" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
size = int(sys.argv[2]) / 1048576
base = float(rows[0][1])
print(f"{'tool':<12} {'median s':>9} {'MiB/s':>8} {'peak RSS MiB':>13} {'vs leakward':>12}")
for name, t, rss in rows:
    t = float(t)
    print(f"{name:<12} {t:>9.2f} {size / t:>8.1f} {int(rss):>13} {t / base:>11.2f}x")
PY
rm -f "$results"
