#!/usr/bin/env bash
# Lays out the demo under OUT (default .build/demo): a copy of testdata/demo/app.
# Everything is generated here, so no .git directory is ever committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-.build/demo}
rm -rf "$out"
mkdir -p "$out"
cp -R "$here/app" "$out/app"

# A git history for the demo app, made here (never a committed .git): the app is committed,
# then a deploy script with a GitHub token is committed and removed the next day, so the scan
# shows the token as "history only" with the commit that introduced it.
demo_git_history() {
  local app=$1 token
  command -v git >/dev/null || { echo "make-demo: git not installed, demo history skipped" >&2; return 0; }
  token=$(python3 "$here/../../scripts/fake-token.py" github ghp_ demo-history)
  local -a g=(git -C "$app" -c user.name="Dana Developer" -c user.email=dana@example.com -c init.defaultBranch=main
              -c core.hooksPath=/dev/null -c commit.gpgsign=false)
  export GIT_CONFIG_NOSYSTEM=1
  "${g[@]}" init -q
  GIT_AUTHOR_DATE="2025-03-03T09:00:00Z" GIT_COMMITTER_DATE="2025-03-03T09:00:00Z" "${g[@]}" add -A
  GIT_AUTHOR_DATE="2025-03-03T09:00:00Z" GIT_COMMITTER_DATE="2025-03-03T09:00:00Z" "${g[@]}" commit -qm "Initial commit"
  mkdir -p "$app/scripts"
  printf '#!/bin/sh\n# deploy the release notes\nGITHUB_TOKEN=%s gh release create "$1"\n' "$token" > "$app/scripts/deploy.sh"
  "${g[@]}" add scripts/deploy.sh
  GIT_AUTHOR_DATE="2025-03-04T17:30:00Z" GIT_COMMITTER_DATE="2025-03-04T17:30:00Z" "${g[@]}" commit -qm "Add deploy script"
  "${g[@]}" rm -q scripts/deploy.sh
  GIT_AUTHOR_DATE="2025-03-05T08:10:00Z" GIT_COMMITTER_DATE="2025-03-05T08:10:00Z" "${g[@]}" commit -qm "Remove deploy script"
}
demo_git_history "$out/app"
# --- Built artifacts (issue 4: decoders) -----------------------------------------------
# A static export of the app with a minified client chunk, its .gz/.br twins (as a CDN serves
# them) and its source map, plus a CI log and its GitHub Actions zip download, so the scan
# shows each decode chain: gzip, brotli, sourcesContent[…], ci-log, zip[…].
demo_artifacts() {
  local app=$1
  python3 "$here/bundle/build.py" "$app"
  local chunk="$app/out/_next/static/chunks/app-page-8f3c2a.js"
  gzip -9 -n -k -f "$chunk"
  if command -v brotli >/dev/null 2>&1; then
    brotli -f -k -q 11 "$chunk"
  else
    echo "note: brotli CLI not installed (apt-get install brotli): no .br twin in the demo" >&2
  fi
}
demo_artifacts "$out/app"
