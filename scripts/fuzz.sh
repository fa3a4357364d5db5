#!/usr/bin/env bash
# Builds the libFuzzer harness with ASan and runs every target for N seconds (default 60).
# Prints executions per target; crashes are kept under .build-fuzz/crashes/TARGET/.
# Leak detection is off so runs are about crashes and hangs (the compiled rule set lives in
# statics for the whole process); the TOML targets were run once with it on and leaked nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
swift build -c release --scratch-path .build-fuzz --product LeakwardFuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld >/dev/null
bin=.build-fuzz/release/LeakwardFuzz
targets=${FUZZ_TARGETS:-}
[ -n "$targets" ] || targets=$(swift build -c release --scratch-path .build-fuzz-list --product LeakwardFuzz >/dev/null 2>&1 && \
  .build-fuzz-list/release/LeakwardFuzz | sed 's/.*Targets: //; s/, / /g')
status=0
for target in $targets; do
  corpus=testdata/fuzz/$target
  mkdir -p "$corpus" ".build-fuzz/crashes/$target" ".build-fuzz/corpus/$target"
  log=.build-fuzz/$target.log
  if ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no LEAKWARD_FUZZ_TARGET=$target "$bin" ".build-fuzz/corpus/$target" "$corpus" -max_total_time="$seconds" \
      -rss_limit_mb=2048 -detect_leaks=0 -max_len=65536 -timeout=10 -artifact_prefix=".build-fuzz/crashes/$target/" >"$log" 2>&1; then
    result=ok
  else
    result=CRASH; status=1
  fi
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
  [ -n "$execs" ] || execs=$(grep -Eo '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  printf '%-28s %-6s %12s executions\n' "$target" "$result" "${execs:-?}"
done
exit $status
