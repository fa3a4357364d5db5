#!/usr/bin/env bash
# Installs the tools some tests need (never the network at test time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# Decoder tests build archives with the system's own tools (zip, brotli), and the fixture
# script's brotli twins need the brotli CLI (Debian packages; installed only when missing).
bash "$here/install-deps.sh" zip brotli
# --verify tests make their mock provider's certificate with openssl; the HTML plan's browser
# test runs Debian's chromium through Debian's chromedriver (no browser download).
bash "$here/install-deps.sh" openssl chromium chromium-driver
# git identity for fixture repositories made by tests (only when none is set).
git config --global user.email >/dev/null 2>&1 || git config --global user.email "tests@leakward.invalid"
git config --global user.name >/dev/null 2>&1 || git config --global user.name "Leakward Tests"

# Python tools for the integration tests, in a throwaway virtualenv inside .build (never on
# the system): `pre-commit` for the hook test, `jsonschema` to validate SARIF against the
# official schema. Tests find them at .build/test-tools/venv and never install anything.
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.build/test-tools/venv"
if ! "$venv/bin/python" -c 'import jsonschema, selenium' >/dev/null 2>&1 || [ ! -x "$venv/bin/pre-commit" ]; then
  python3 -m venv "$venv" 2>/dev/null || {
    bash "$here/install-deps.sh" python3-venv && python3 -m venv "$venv"
  }
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'pre-commit>=3.5' 'jsonschema>=4' 'selenium>=4.15'
fi
exit 0
