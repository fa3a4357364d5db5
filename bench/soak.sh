#!/usr/bin/env bash
# make soak: scale test. Generates (once, cached under .build/soak) a tree of SOAK_FILES small
# files (default 1,000,000), a repository of SOAK_COMMITS commits (default 100,000) and a
# history of about SOAK_HISTORY_GIB gibibytes of unique blob bytes (default 5; 0 skips it),
# scans each, and reports throughput, peak RSS and errors (zero expected).
# Usage: bench/soak.sh path/to/leakward
set -euo pipefail
bin=${1:?usage: soak.sh LEAKWARD_BINARY}
files=${SOAK_FILES:-1000000}
commits=${SOAK_COMMITS:-100000}
history_gib=${SOAK_HISTORY_GIB:-5}
root=$(cd "$(dirname "$0")/.." && pwd)/.build/soak
mkdir -p "$root"

tree="$root/tree-$files"
if [ ! -f "$tree/.done" ]; then
  echo "generating $files files under $tree ..."
  rm -rf "$tree"
  python3 - "$tree" "$files" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
words = "const let value return function import export class module config server client route".split()
for i in range(count):
    d = os.path.join(root, f"d{i // 1000:04d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i % 1000:03d}.js"), "w") as f:
        f.write("\n".join(" ".join(rng.choice(words) for _ in range(8)) for _ in range(6)) + "\n")
PY
  # One planted secret, so the scan has something to find.
  printf 'GITHUB_TOKEN=%s\n' "$(python3 "$(dirname "$0")/../scripts/fake-token.py" github ghp_ soak)" > "$tree/d0000/planted.env"
  touch "$tree/.done"
fi

repo="$root/repo-$commits"
if [ ! -f "$repo/.done" ]; then
  echo "generating $commits commits under $repo ..."
  rm -rf "$repo"
  git init -q "$repo"
  python3 - "$commits" <<'PY' | git -C "$repo" fast-import --quiet
import random, sys
count = int(sys.argv[1])
rng = random.Random(11)
out = sys.stdout
for i in range(1, count + 1):
    body = f"// revision {i}\nexport const value{i % 500} = {rng.randrange(10**9)};\n".encode()
    msg = f"change {i}\n".encode()
    out.write(f"commit refs/heads/main\nmark :{i}\ncommitter Soak <soak@example.invalid> {1600000000 + i * 60} +0000\n")
    sys.stdout.write(f"data {len(msg)}\n{msg.decode()}")
    if i > 1:
        sys.stdout.write(f"from :{i - 1}\n")
    sys.stdout.write(f"M 100644 inline src/file{i % 500}.js\ndata {len(body)}\n{body.decode()}\n")
PY
  git -C "$repo" checkout -q main 2>/dev/null || true
  touch "$repo/.done"
fi

big="$root/big-$history_gib"
if [ "$history_gib" != 0 ] && [ ! -f "$big/.done" ]; then
  echo "generating a history of about $history_gib GiB of unique blob bytes under $big ..."
  rm -rf "$big"
  git init -q --bare "$big"
  python3 "$(dirname "$0")/big-history.py" "$history_gib" | git -C "$big" fast-import --quiet </dev/stdin
  git -C "$big" symbolic-ref HEAD refs/heads/main
  git -C "$big" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' </dev/null |
    awk '$1=="blob"{n++; s+=$2} END {printf "%d blobs, %.2f GiB of unique blob bytes\n", n, s / 1073741824}' > "$big/blob-stats"
  touch "$big/.done"
fi

measure() {  # label, command...
  local label=$1; shift
  local log; log=$(mktemp)
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v "$@" --format json -o "$root/$label.json" 2>"$log" >/dev/null || true
  end=$(date +%s.%N)
  local rss; rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$log")
  python3 - "$root/$label.json" "$label" "$start" "$end" "$rss" <<'PY'
import json, sys
path, label, start, end, rss = sys.argv[1:]
wall = float(end) - float(start)
try:
    r = json.load(open(path))
except Exception as e:
    print(f"{label}: no report ({e})"); sys.exit(0)
s = r["stats"]
mb = s["bytes_scanned"] / 1048576
inputs = s["files_scanned"] + s["blobs_scanned"]
print(f"{label}: {inputs} inputs, {mb:.1f} MiB in {wall:.2f} s = {mb / wall:.1f} MiB/s, "
      f"{inputs / wall:.0f} inputs/s, peak RSS {int(rss) / 1024:.0f} MiB, "
      f"findings {len(r['findings'])}, errors {s['errors']}, skipped {s['skipped']}")
PY
  rm -f "$log"
}

measure "tree-$files" "$bin" scan "$tree"
if "$bin" --help | grep -qE "^  +git "; then
  measure "history-$commits" "$bin" git "$repo"
else
  echo "history: this build has no 'leakward git' command"
fi
if [ "$history_gib" != 0 ]; then
  echo "big history: $(cat "$big/blob-stats"), $(du -sm "$big/objects" | cut -f1) MiB on disk"
  measure "history-${history_gib}gib" "$bin" git "$big"
fi
