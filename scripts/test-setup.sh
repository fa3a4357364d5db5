#!/usr/bin/env bash
# Installs the tools some tests need (never the network at test time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# Decoder tests build archives with the system's own tools (zip, brotli), and the fixture
# script's brotli twins need the brotli CLI (Debian packages; installed only when missing).
bash "$here/install-deps.sh" zip brotli
# git identity for fixture repositories made by tests (only when none is set).
git config --global user.email >/dev/null 2>&1 || git config --global user.email "tests@leakward.invalid"
git config --global user.name >/dev/null 2>&1 || git config --global user.name "Leakward Tests"
exit 0
