#!/usr/bin/env bash
# bench/run.sh BINARY — the history-scan benchmark (`make bench`).
#
# 1. Builds (once; cached under .build/bench) a synthetic repository from real text on this
#    machine with bench/make-repo.py: thousands of commits, a few hundred MB of unique blob
#    bytes, churn and renames, planted fake secrets added and later removed, one only on a
#    side branch.
# 2. Times, median of 3 with peak RSS (/usr/bin/time): Leakward's full-history scan, the
#    peers (Kingfisher, Betterleaks) when ../shared/peers is installed, and the ceiling
#    `git cat-file --batch-all-objects --batch` (reading every object, no matching).
# 3. Checks that every planted secret is found with the right first commit, HEAD status and refs,
#    and that the delta-aware scan finds exactly what --full-blobs finds.
# 4. Times `leakward git --staged` on a small staged change (hyperfine, when installed).
set -euo pipefail
BIN=${1:?usage: bench/run.sh path/to/leakward}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${BENCH_CACHE:-$ROOT/.build/bench}
PEERS=${PEERS_DIR:-$ROOT/../shared/peers}
# From a linked worktree, the peers sit beside the main checkout.
[ -d "$PEERS" ] || PEERS="$(cd "$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir)/.." && pwd)/../shared/peers"
RUNS=${BENCH_RUNS:-3}
REPO=$CACHE/history.git
WORK=$CACHE/work
VERSION=v3-${BENCH_COMMITS:-4000}
mkdir -p "$CACHE"

if [ ! -f "$CACHE/ready-$VERSION" ]; then
  echo "== building the benchmark repository (cached in $CACHE)"
  rm -rf "$REPO" "$WORK" "$CACHE"/ready-*
  git init -q --bare "$REPO"
  python3 "$ROOT/bench/make-repo.py" "$REPO" "$CACHE/manifest.json"
  git -C "$REPO" symbolic-ref HEAD refs/heads/main
  # Fresh deltas chosen by pack-objects (by path and size), as a clone from a server has them,
  # not the ones fast-import made against whatever blob it wrote last. (`git repack -adf`
  # does the same, but here it failed reading a stray "revision" from its environment.)
  rm -rf "$CACHE/newpack" && mkdir -p "$CACHE/newpack"
  git -C "$REPO" rev-list --objects --all </dev/null |
    git -C "$REPO" pack-objects -q --no-reuse-delta --delta-base-offset --window=10 --depth=50 "$CACHE/newpack/pack" >/dev/null
  rm -f "$REPO"/objects/pack/*
  mv "$CACHE"/newpack/pack-* "$REPO/objects/pack/"
  git -C "$REPO" prune-packed
  git -C "$REPO" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
    awk '$1=="blob"{n++; s+=$2} END {print n, s}' > "$CACHE/blob-stats"
  git clone -q "$REPO" "$WORK"
  touch "$CACHE/ready-$VERSION"
fi
read -r BLOBS BLOB_BYTES < "$CACHE/blob-stats"
COMMITS=$(git -C "$REPO" rev-list --all | wc -l)
PACK=$(du -sm "$REPO/objects/pack" | cut -f1)
echo "repository: $COMMITS commits, $BLOBS unique blobs, $((BLOB_BYTES / 1048576)) MiB of unique blob bytes, ${PACK} MiB packed"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# measure NAME COMMAND... : median wall time and the peak RSS of RUNS runs
declare -A WALL RSS CPU
measure() {
  local name=$1; shift
  local times=() cpus=() rss=0 wall mem cpu
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -o "$CACHE/time.txt" -f '%e %M %U %S' "$@" >/dev/null 2>&1 || true
    read -r wall mem user sys < <(tail -1 "$CACHE/time.txt")
    times+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc -l)")
    [ "$mem" -gt "$rss" ] && rss=$mem
  done
  WALL[$name]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  CPU[$name]=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  RSS[$name]=$rss
  printf '%-12s %7.2f s wall %7.1f MiB/s  %6.2f s CPU  peak RSS %5d MiB  (wall runs: %s)\n' "$name" "${WALL[$name]}" \
    "$(echo "$BLOB_BYTES / 1048576 / ${WALL[$name]}" | bc -l)" "${CPU[$name]}" $((rss / 1024)) "${times[*]}"
}
tolerate() { "$@" || [ $? -le 1 ]; }   # leakward exits 1 when it finds secrets
export -f tolerate

echo "== full history, every ref (median of $RUNS)"
measure leakward bash -c "tolerate '$BIN' git '$REPO' -f json -o '$CACHE/leakward.json'"
measure cat-file bash -c "git -C '$REPO' cat-file --batch-all-objects --batch >/dev/null"
PEER_LIST=()
if [ -x "$PEERS/run-peers.sh" ] && [ -x /opt/peers/venv-kingfisher/bin/kingfisher ]; then
  for peer in kingfisher betterleaks; do
    measure "$peer" "$PEERS/run-peers.sh" "$peer" git "$REPO" "$CACHE/$peer.json"
    PEER_LIST+=("$peer")
  done
else
  echo "(peers not installed: bash ../shared/peers/install.sh)"
fi
for peer in cat-file "${PEER_LIST[@]}"; do
  printf 'leakward vs %-11s wall %5.2fx faster, CPU %5.2fx less, peak RSS %5.2fx of theirs\n' "$peer" \
    "$(echo "${WALL[$peer]} / ${WALL[leakward]}" | bc -l)" "$(echo "${CPU[$peer]} / ${CPU[leakward]}" | bc -l)" \
    "$(echo "${RSS[leakward]} / ${RSS[$peer]}" | bc -l)"
done
# A peer that stopped early would look fast: say how many planted secrets each report holds.
for peer in "${PEER_LIST[@]}"; do
  python3 - "$CACHE/manifest.json" "$CACHE/$peer.json" "$peer" <<'PY'
import json, os, sys
manifest, path, peer = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
text = open(path, errors="replace").read() if os.path.exists(path) else ""
found = sum(m["secret"] in text for m in manifest)
print(f"  {peer}: {found}/{len(manifest)} planted secrets in its report" + ("" if found else " (the scan failed or stopped early: ratio not meaningful)"))
PY
done

echo "== planted secrets"
python3 - "$CACHE/manifest.json" "$CACHE/leakward.json" <<'PY'
import hashlib, json, sys
manifest, report = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
by_secret = {}
for f in report["findings"]:
    by_secret.setdefault(f["secret_sha256"], []).append(f["location"])
bad = 0
for m in manifest:
    locations = [l for l in by_secret.get(hashlib.sha256(m["secret"].encode()).hexdigest(), []) if l.get("commit")]
    problems = []
    if not locations:
        problems.append("not found")
    else:
        c = locations[0]["commit"]
        if c["id"] != m["commit"]: problems.append(f"first commit {c['id'][:10]} != {m['commit'][:10]}")
        # The path relative to the repository (`location.path` is shown under the root as given).
        relative = locations[0].get("origin", {}).get("path", locations[0]["path"])
        if relative != m["path"]: problems.append(f"path {relative} != {m['path']}")
        if c["in_head"] != m["in_head"]: problems.append(f"in_head {c['in_head']}")
        if m["refs"] and c["refs"] != m["refs"]: problems.append(f"refs {c['refs']}")
    bad += bool(problems)
    print(f"  {'ok  ' if not problems else 'FAIL'} {m['name']:<24} {m['commit'][:10]} {m['path']}  {'; '.join(problems)}")
print(f"  {len(manifest) - bad}/{len(manifest)} planted secrets found with the right first commit; "
      f"{len(report['findings'])} findings in all, {report['stats']['blobs_scanned']} blobs scanned")
sys.exit(1 if bad else 0)
PY

echo "== delta-aware scan against --full-blobs"
tolerate "$BIN" git "$REPO" --full-blobs -f json -o "$CACHE/leakward-full.json"
python3 - "$CACHE/leakward.json" "$CACHE/leakward-full.json" <<'PY'
import json, sys
def load(path):
    report = json.load(open(path))
    keys = {(f["secret_sha256"], f["location"].get("blob"), f["location"]["offset"], f["location"]["line"],
             f["location"]["column"]) for f in report["findings"]}
    return keys, report["stats"]["bytes_scanned"]
delta, delta_bytes = load(sys.argv[1])
full, full_bytes = load(sys.argv[2])
same = delta == full
print(f"  {'ok  ' if same else 'FAIL'} {len(delta)} sightings (secret, blob, offset, line, column) "
      f"{'identical' if same else 'differ'}; matched {delta_bytes / 1048576:.0f} MiB instead of {full_bytes / 1048576:.0f} MiB")
if not same:
    print(f"  only delta-aware: {sorted(delta - full)[:5]}\n  only full: {sorted(full - delta)[:5]}")
sys.exit(0 if same else 1)
PY

if command -v hyperfine >/dev/null; then
  echo "== leakward git --staged on a small change"
  git -C "$WORK" reset -q --hard
  printf 'retries = 3\n' >> "$WORK/$(git -C "$WORK" ls-files | grep -m1 '\.h$')"
  git -C "$WORK" add -A
  hyperfine -N -i --warmup 3 --runs 30 --export-json "$CACHE/staged.json" "$BIN git $WORK --staged -q" | grep -E "Time|Range"
  git -C "$WORK" reset -q --hard
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"staged median {r['median']*1000:.1f} ms\")" "$CACHE/staged.json"
fi
