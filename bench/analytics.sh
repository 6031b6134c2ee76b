#!/usr/bin/env bash
# Analytics on PostgreSQL: a year of events (1,000,000 attempts by 20,000 learners in 10 courses,
# and their sign-ups, logins, enrolments and lesson views) recorded through
# PostgresAnalyticsStore::Record, then every query timed on the biggest course for the last 90
# days and for the whole year (bench/analytics_bench.cc says how the events are made). Runs
# against a throw-away PostgreSQL 15 (tests/services/run_with.py --postgres), release build.
#
# Usage: cmake --build --preset release --target analytics_bench
#        bench/analytics.sh [--attempts N] [--learners N] [--batch N] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${ANALYTICS_BENCH_BIN:-build/release/src/store/postgres/analytics_bench}
[ -x "$BIN" ] || {
  echo "bench: build it first: cmake --build --preset release --target analytics_bench" >&2
  exit 1
}
if [ -z "${PRACTICA_TEST_POSTGRES_URL:-}" ]; then
  exec python3 tests/services/run_with.py --postgres -- "$0" "$@"
fi
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
"$BIN" --url "$PRACTICA_TEST_POSTGRES_URL" "$@"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the run"
