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

start() {  # NAME GROUP_COMMIT: starts a server in the background (not in a subshell, so
           # cleanup() knows its pid) and waits for its port in $WORK/NAME.port
  "$BIN" serve --listen 127.0.0.1:0 --data-dir "$work/$1" --web-root "$work/none" \
    --seed-content tests/integration/fixtures --threads "$THREADS" --cookie-secure false \
    --auth-rate-per-minute 1000000 --group-commit "$2" >"$work/$1.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 100); do grep -q '"port"' "$work/$1.log" 2>/dev/null && break; sleep 0.1; done
  grep -o '"port":[0-9]*' "$work/$1.log" | head -1 | grep -o '[0-9]*$' >"$work/$1.port"
}

tokens() {  # PORT FILE: sign up LEARNERS learners, one access token per line
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

run() {  # NAME PORT → "attempts/s p99 non2xx"
  TOKENS="$work/$1.tokens" ATTEMPT_PATH=/api/exercises/drills.truth/attempts \
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/attempts.lua \
    "http://127.0.0.1:$2" >"$work/$1.wrk"
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

stored() {  # NAME → attempt rows on disk
  python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from attempts').fetchone()[0])" "$work/$1/practica.db"
}

start group true
start naive false
gport=$(cat "$work/group.port")
nport=$(cat "$work/naive.port")
tokens "$gport" "$work/group.tokens"
tokens "$nport" "$work/naive.tokens"

read -r g_rps g_p99 g_bad < <(run group "$gport")
read -r n_rps n_p99 n_bad < <(run naive "$nport")
echo "POST attempt, wrk -t2 -c$CONNECTIONS -d$DURATION, $LEARNERS learners, unique Idempotency-Keys, $(nproc) cores"
printf '%-28s %12s %9s %8s %10s\n' mode 'attempts/s' 'p99 ms' 'non-2xx' 'rows'
printf '%-28s %12.0f %9s %8s %10s\n' 'group commit' "$g_rps" "$g_p99" "$g_bad" "$(stored group)"
printf '%-28s %12.0f %9s %8s %10s\n' 'one commit per attempt' "$n_rps" "$n_p99" "$n_bad" "$(stored naive)"
python3 -c "print(f'group commit / naive: {$g_rps / $n_rps:.1f}x  (goal: >= 10000 attempts/s, p99 <= 20 ms)')"
