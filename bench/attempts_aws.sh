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

tokens() {  # PORT FILE
  python3 - "$1" "$LEARNERS" "$2" <<'PY'
import concurrent.futures, json, sys, urllib.request
port, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def signup(i):
    body = json.dumps({"email": f"bench{i}@example.org", "password": "a long bench passphrase",
                       "display_name": f"Bench {i}"}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/auth/signup", data=body,
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req) as r:
        return json.load(r)["access_token"]
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    open(out, "w").write("\n".join(pool.map(signup, range(count))) + "\n")
PY
}

run() {  # NAME → "attempts/s p99ms non2xx"
  local port
  port=$(cat "$work/$1.port")
  tokens "$port" "$work/$1.tokens"
  TOKENS="$work/$1.tokens" ATTEMPT_PATH=/api/exercises/drills.truth/attempts \
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/attempts.lua \
    "http://127.0.0.1:$port" >"$work/$1.wrk"
  python3 - "$work/$1.wrk" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", text)
ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {ms:.2f} {bad.group(1) if bad else 0}")
PY
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
