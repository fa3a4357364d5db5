#!/usr/bin/env bash
# Lays out the demo under OUT (default .build/demo): a copy of testdata/demo/app.
# Everything is generated here, so no .git directory is ever committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-.build/demo}
rm -rf "$out"
mkdir -p "$out"
cp -R "$here/app" "$out/app"

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
