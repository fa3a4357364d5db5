#!/usr/bin/env bash
# The HTML plan of the bundled demo in headless chromium (Tests/browser/plan_report_test.py).
# Needs what scripts/test-setup.sh installs: Debian's chromium and chromium-driver, and
# selenium in .build/test-tools/venv. Usage: browser-test.sh /path/to/leakward
set -euo pipefail
bin=${1:?usage: browser-test.sh LEAKWARD_BIN}
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash "$root/testdata/demo/make-demo.sh" "$work/demo" >/dev/null 2>&1
status=0
"$bin" plan "$work/demo/app" --format html -o "$work/plan.html" || status=$?
[ "$status" -le 1 ] || { echo "leakward plan failed ($status)" >&2; exit 1; }
# The demo's raw secrets, to prove none reaches the page.
"$bin" scan "$work/demo/app" --format json --reveal -o "$work/report.json" || true
python3 -c 'import json,sys; print("\n".join(sorted({f["secret"] for f in json.load(open(sys.argv[1]))["findings"] if f.get("secret")})))' \
  "$work/report.json" > "$work/secrets.txt"
"$root/.build/test-tools/venv/bin/python" "$root/Tests/browser/plan_report_test.py" "$work/plan.html" "$work/secrets.txt" \
  "$bin" "$work/demo/app"
