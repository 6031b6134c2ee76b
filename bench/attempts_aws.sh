#!/usr/bin/env bash
# POST attempts through the AWS data tier, beside the SQLite figure of the same run: content and
# progress in DynamoDB (a local stand-in: dynalite by default, or moto with STAND_IN=moto), users
# in a throw-away PostgreSQL. The stand-ins are slow single processes, far from DynamoDB's own
# latency and throughput, so the figure is informational: it shows the path works under load and
# where its cost goes, not what AWS would do.
#
# Usage: bench/attempts_aws.sh   (env: DURATION=10s CONNECTIONS=64 LEARNERS=50 STAND_IN=dynalite)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PRACTICA_TEST_POSTGRES_URL:-}" ]; then
  exec python3 tests/services/run_with.py "--${STAND_IN:-dynalite}" --postgres -- "$0" "$@"
fi

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
LEARNERS=${LEARNERS:-50}
BIN=${PRACTICA_BIN:-build/release/src/practica}
[ -x "$BIN" ] || { echo "bench: build the release first (make build-release)" >&2; exit 1; }

work=$(mktemp -d /tmp/practica-bench-aws.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=bench/attempts_lib.sh
source bench/attempts_lib.sh

start() {  # NAME STORE-FLAGS...: a server in the background; its port in $work/NAME.port
  local name=$1
  shift
  "$BIN" migrate --data-dir "$work/$name" "$@" >/dev/null
  "$BIN" serve --listen 127.0.0.1:0 --data-dir "$work/$name" --web-root "$work/none" \
    --seed-content tests/integration/fixtures --cookie-secure false \
    --auth-rate-per-minute 1000000 "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 200); do grep -q '"port"' "$work/$name.log" 2>/dev/null && break; sleep 0.1; done
  grep -o '"port":[0-9]*' "$work/$name.log" | head -1 | grep -o '[0-9]*$' >"$work/$name.port"
}


run() {  # NAME → "attempts/s p99-ms non-2xx"
  local port
  port=$(cat "$work/$1.port")
  tokens "$port" "$work/$1.tokens"
  wrk_attempts "$1" "$port"
}

start sqlite
start aws --content-store dynamodb:bench --progress-store dynamodb:bench \
  --user-store "postgres:$PRACTICA_TEST_POSTGRES_URL"
read -r s_rps s_p99 s_bad < <(run sqlite)
read -r a_rps a_p99 a_bad < <(run aws)
echo "POST attempt, wrk -t2 -c$CONNECTIONS -d$DURATION, $LEARNERS learners, $(nproc) cores"
printf '%-44s %12s %9s %8s\n' stores 'attempts/s' 'p99 ms' 'non-2xx'
printf '%-44s %12.0f %9s %8s\n' 'SQLite (group commit)' "$s_rps" "$s_p99" "$s_bad"
printf '%-44s %12.0f %9s %8s\n' "DynamoDB ($(basename "${STAND_IN:-dynalite}")) + PostgreSQL" \
  "$a_rps" "$a_p99" "$a_bad"
