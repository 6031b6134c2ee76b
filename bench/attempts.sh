#!/usr/bin/env bash
# POST attempts: acknowledged (durable, fsync'ed) attempts per second and p99 latency with group
# commit, and in the same run the naive one-commit-per-attempt figure. Many learners, a unique
# Idempotency-Key per request, 64 connections, release build, loopback.
#
# Usage: bench/attempts.sh   (env: DURATION=10s CONNECTIONS=64 LEARNERS=200 THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
LEARNERS=${LEARNERS:-200}
THREADS=${THREADS:-2}
BIN=${PRACTICA_BIN:-build/release/src/practica}
[ -x "$BIN" ] || { echo "bench: build the release first (make bench)" >&2; exit 1; }

work=$(mktemp -d /tmp/practica-bench-attempts.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=bench/attempts_lib.sh
source bench/attempts_lib.sh

start() {  # NAME GROUP_COMMIT: starts a server in the background (not in a subshell, so
           # cleanup() knows its pid) and waits for its port in $WORK/NAME.port
  "$BIN" serve --listen 127.0.0.1:0 --data-dir "$work/$1" --web-root "$work/none" \
    --seed-content tests/integration/fixtures --threads "$THREADS" --cookie-secure false \
    --auth-rate-per-minute 1000000 --group-commit "$2" >"$work/$1.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 100); do grep -q '"port"' "$work/$1.log" 2>/dev/null && break; sleep 0.1; done
  grep -o '"port":[0-9]*' "$work/$1.log" | head -1 | grep -o '[0-9]*$' >"$work/$1.port"
}



stored() {  # NAME → attempt rows on disk
  python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from attempts').fetchone()[0])" "$work/$1/practica.db"
}

ingested() {  # NAME → attempt events analytics has recorded so far
  python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from attempt_events').fetchone()[0])" "$work/$1/analytics.db"
}

start group true
start naive false
gport=$(cat "$work/group.port")
nport=$(cat "$work/naive.port")
tokens "$gport" "$work/group.tokens"
tokens "$nport" "$work/naive.tokens"

read -r g_rps g_p99 g_bad < <(wrk_attempts group "$gport")
# Does analytics keep up? Its recorder writes every ~200 ms on its own thread: at the end of the
# run it should be a fraction of a second behind the attempts on disk.
g_rows_end=$(stored group)
g_events_end=$(ingested group)
read -r n_rps n_p99 n_bad < <(wrk_attempts naive "$nport")
echo "POST attempt, wrk -t2 -c$CONNECTIONS -d$DURATION, $LEARNERS learners, unique Idempotency-Keys, $(nproc) cores"
printf '%-28s %12s %9s %8s %10s\n' mode 'attempts/s' 'p99 ms' 'non-2xx' 'rows'
printf '%-28s %12.0f %9s %8s %10s\n' 'group commit' "$g_rps" "$g_p99" "$g_bad" "$(stored group)"
printf '%-28s %12.0f %9s %8s %10s\n' 'one commit per attempt' "$n_rps" "$n_p99" "$n_bad" "$(stored naive)"
python3 -c "print(f'group commit / naive: {$g_rps / $n_rps:.1f}x  (goal: >= 10000 attempts/s, p99 <= 20 ms)')"
python3 -c "
rows, events, rps = $g_rows_end, $g_events_end, $g_rps
print(f'analytics ingest (group commit run): {events} attempt events for {rows} attempts when wrk '
      f'stopped, {rows - events} behind = {(rows - events) / rps * 1000:.0f} ms of attempts')"
kill -TERM "${pids[0]}" && wait "${pids[0]}" 2>/dev/null || true
echo "after shutdown: $(ingested group) attempt events for $(stored group) attempts"
