#!/usr/bin/env bash
# Lays out the demo under OUT (default .build/demo): a copy of testdata/demo/app.
# Everything is generated here, so no .git directory is ever committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-.build/demo}
rm -rf "$out"
mkdir -p "$out"
cp -R "$here/app" "$out/app"
