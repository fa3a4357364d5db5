#!/usr/bin/env bash
# Installs the tools some tests need (never the network at test time).
set -euo pipefail
# git identity for fixture repositories made by tests (only when none is set).
git config --global user.email >/dev/null 2>&1 || git config --global user.email "tests@leakward.invalid"
git config --global user.name >/dev/null 2>&1 || git config --global user.name "Leakward Tests"
exit 0
