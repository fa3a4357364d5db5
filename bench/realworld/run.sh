#!/usr/bin/env bash
# `make realworld`: Leakward and the peers (Kingfisher, Betterleaks) on the public repositories
# listed in bench/realworld/repos.txt, brought into the realworld directory beforehand with
# bench/realworld/import.sh (nothing is fetched here). Reports go to $OUT; score.py prints, per
# repository and mode, the credentials failing CI, labelled false positives and unlabelled
# findings for each tool, judged by bench/realworld/labels/*.toml.
# Usage: bench/realworld/run.sh LEAKWARD_BIN [NAME...]   (REALWORLD_MODES="tree" skips histories)
set -uo pipefail
bin=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${REALWORLD_DIR:-$root/.build/realworld}
[ -d "$dir" ] || dir=/work/main/.build/realworld
out=${OUT:-$root/.build/realworld-reports}
peers=${PEERS_RUN:-/work/shared/peers/run-peers.sh}
modes=${REALWORLD_MODES:-tree git}
mkdir -p "$out"
# Betterleaks runs git with GIT_CONFIG_GLOBAL and GIT_CONFIG_SYSTEM set to /dev/null. Where /dev/null
# is not the device but a plain file something wrote to (it happens in containers), git refuses
# that "config" ("bad config line 1 in file /dev/null", git log exit 128) and the history scan ends
# empty. A `git` first on the peers' PATH points those two at an empty file instead.
shim="$out/.git-shim"
mkdir -p "$shim"
: > "$shim/empty.gitconfig"
real_git=$(command -v git)
cat > "$shim/git" <<EOF
#!/bin/sh
[ "\${GIT_CONFIG_GLOBAL:-}" = /dev/null ] && export GIT_CONFIG_GLOBAL="$shim/empty.gitconfig"
[ "\${GIT_CONFIG_SYSTEM:-}" = /dev/null ] && export GIT_CONFIG_SYSTEM="$shim/empty.gitconfig"
exec "$real_git" "\$@"
EOF
chmod +x "$shim/git"
# The panel sits inside this checkout (.build/realworld), so a tree scan would find Leakward's own
# .leakward.toml above it and apply its allowlist to other people's code: each scan gets an empty
# config instead, as a fresh clone of that repository would have.
: > "$shim/empty.leakward.toml"
names=("$@")
[ ${#names[@]} -eq 0 ] && mapfile -t names < <(grep -v '^#' "$here/repos.txt" | awk 'NF {print $1}')
for name in "${names[@]}"; do
  line=$(grep -E "^$name " "$here/repos.txt")
  for mode in $modes; do
    case " $line " in *" $mode "*) ;; *) continue ;; esac
    if [ "$mode" = tree ]; then target="$dir/$name-tree"; lw=(scan --no-git --config "$shim/empty.leakward.toml"); pm=dir
    else target="$dir/$name.git"; lw=(git); pm=git; fi
    [ -e "$target" ] || { echo "realworld: $target missing (bench/realworld/import.sh)" >&2; continue; }
    # The scan root is the repository itself, so paths are relative to it as in a checkout.
    (cd "$target" && "$bin" "${lw[@]}" . --format json > "$out/$name.$mode.leakward.json" 2> "$out/$name.$mode.leakward.err")
    if [ -z "${SKIP_PEERS:-}" ]; then
      for tool in kingfisher betterleaks; do
        [ -s "$out/$name.$mode.$tool.json" ] && [ -z "${RERUN_PEERS:-}" ] && continue
        PATH="$shim:$PATH" "$peers" "$tool" "$pm" "$target" "$out/$name.$mode.$tool.json" > "$out/$name.$mode.$tool.log" 2>&1 || echo "realworld: $tool $mode $name failed" >&2
      done
    fi
  done
done
python3 "$here/score.py" "$out" "$here/labels" "${names[@]}"
