#!/usr/bin/env bash
# Runs the libFuzzer targets long: `make fuzz`, or fuzz/run.sh [TARGET...] after the fuzz preset is
# built (docs/FUZZING.md). Each target starts from its committed seeds (fuzz/corpus/TARGET, only
# read) and what earlier runs found (build/fuzz/fuzz/corpus/TARGET, where new inputs go), with its
# dictionary if it has one. A crash is saved under build/fuzz/fuzz/artifacts/TARGET/.
#
#   FUZZ_SECONDS   how long each target fuzzes (default 600)
#   FUZZ_PARALLEL  how many targets run at once (default 1)
#
# Prints one line per target (executions, speed, coverage, corpus size) and exits 1 if any found
# a crash, leak, timeout or broken invariant.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-600}
parallel=${FUZZ_PARALLEL:-1}
bin=build/fuzz/fuzz
logs=$bin/logs
mkdir -p "$logs"
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi

if (($#)); then
  targets=("$@")
else
  targets=()
  for source in fuzz/*_fuzz.cc; do
    name=$(basename "$source" _fuzz.cc)
    targets+=("$name")
  done
fi

run_one() {
  local target=$1
  local options=(-max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1
                 -artifact_prefix="$bin/artifacts/$target/")
  [ -f "fuzz/dict/$target.dict" ] && options+=(-dict="fuzz/dict/$target.dict")
  mkdir -p "$bin/corpus/$target" "$bin/artifacts/$target"
  local started status=0 start_date
  started=$(date +%s)
  start_date=$(date -u +%Y-%m-%dT%H:%MZ)
  "$bin/fuzz_$target" "${options[@]}" "$bin/corpus/$target" "fuzz/corpus/$target" \
    >"$logs/$target.log" 2>&1 || status=$?
  local wall=$(($(date +%s) - started))
  # libFuzzer's last status line ("#N DONE cov: C ft: F corp: K/...") and its final stats.
  local done execs speed
  done=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$logs/$target.log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$target.log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$target.log")
  printf '%-13s %s  %s  wall %ss  execs %s  exec/s %s  %s\n' "$target" \
    "$([ $status -eq 0 ] && echo ok || echo "FOUND (exit $status)")" "$start_date" "$wall" "${execs:-?}" \
    "${speed:-?}" "$(echo "$done" | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*')"
  return $status
}

failed=0
running=0
for target in "${targets[@]}"; do
  if [ ! -x "$bin/fuzz_$target" ]; then
    echo "fuzz/run.sh: $bin/fuzz_$target is not built (cmake --build --preset fuzz)" >&2
    exit 2
  fi
  run_one "$target" &
  running=$((running + 1))
  if ((running >= parallel)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done
[ $failed -eq 0 ] || echo "fuzz/run.sh: a target found something; see $logs/ and $bin/artifacts/" >&2
exit $failed
