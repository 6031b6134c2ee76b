#!/usr/bin/env bash
# The cost of authentication: GET lesson with a verified bearer token against the same GET
# without one (same server, same run, same wrk settings), then sign-in latency and throughput,
# which Argon2id (m = 19 MiB, t = 2) dominates.
#
# Usage: bench/auth_overhead.sh   (env: DURATION=5s ROUNDS=7 CONNECTIONS=64 THREADS=2 LOGINS=40)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-7}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
LOGINS=${LOGINS:-40}
BIN=${PRACTICA_BIN:-build/release/src/practica}
[ -x "$BIN" ] || { echo "bench: build the release first (make bench-auth)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/setup)" >&2; exit 1; }

work=$(mktemp -d /tmp/practica-bench-auth.XXXXXX)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$BIN" serve --listen 127.0.0.1:0 --data-dir "$work/data" --web-root "$work/none" \
  --seed-content content --threads "$THREADS" --auth-rate-per-minute 1000000 \
  --cookie-secure false >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q '"msg":"listening"' "$work/log" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '"msg":"listening".*"port":[0-9]*' "$work/log" | grep -o '[0-9]*$')
base="http://127.0.0.1:$port"

python3 - "$base" "$LOGINS" "$work/token" <<'PY'
import concurrent.futures, json, statistics, sys, time, urllib.request
base, logins, token_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def post(path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req) as r:
        return json.load(r)
account = {"email": "bench@example.org", "password": "a long bench passphrase"}
token = post("/api/auth/signup", {**account, "display_name": "Bench"})["access_token"]
open(token_file, "w").write(token)
latencies = []
for _ in range(logins):
    started = time.perf_counter()
    post("/api/auth/login", account)
    latencies.append((time.perf_counter() - started) * 1000)
latencies.sort()
print(f"sign-in latency, one at a time ({logins}): median {statistics.median(latencies):.1f} ms, "
      f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms")
started = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    list(pool.map(lambda _: post("/api/auth/login", account), range(logins)))
elapsed = time.perf_counter() - started
import os
print(f"sign-ins/s with 8 concurrent clients: {logins / elapsed:.1f} "
      f"({logins / elapsed / os.cpu_count():.1f} per core, {os.cpu_count()} cores)")
PY
token=$(cat "$work/token")
course=$(curl -fsS "$base/api/courses" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["slug"])')
lesson=$(curl -fsS "$base/api/courses/$course" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lessons"][0]["slug"])')
url="$base/api/courses/$course/lessons/$lesson"
curl -fsS -H "Authorization: Bearer $token" "$url" -o /dev/null

# One wrk round: "requests/s server-CPU-µs-per-request". The server's CPU time (user + system,
# from /proc) per request is the steadier figure on a shared machine: other load slows every
# round's requests/s, but does not change what one request costs the server.
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
rps() {
  local before after out
  before=$(ticks)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$@")
  after=$(ticks)
  python3 - "$before" "$after" "$(getconf CLK_TCK)" <<PY
import re, sys
before, after, hz = map(int, sys.argv[1:])
out = """$out"""
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
total = int(re.search(r"(\d+) requests in", out).group(1))
print(f"{rps:.0f} {(after - before) / hz / total * 1e6:.3f}")
PY
}
filler=$(python3 -c "print('a' * len('$token'))")
wrk -t1 -c8 -d2s "$url" >/dev/null
# Interleaved rounds, so drift of the shared machine hits all three alike. The cost is the median
# of each round's own ratio: a slow minute then shifts a round's three figures together instead
# of tipping one median.
plain=() padded=() authed=() plain_cpu=() padded_cpu=() authed_cpu=()
for _ in $(seq "$ROUNDS"); do
  read -r r c < <(rps "$url"); plain+=("$r"); plain_cpu+=("$c")
  read -r r c < <(rps -H "X-Padding: $filler" "$url"); padded+=("$r"); padded_cpu+=("$c")
  read -r r c < <(rps -H "Authorization: Bearer $token" "$url"); authed+=("$r"); authed_cpu+=("$c")
done
python3 - "${plain_cpu[*]}" "${padded_cpu[*]}" "${authed_cpu[*]}" <<'PY'
import statistics, sys
plain, padded, authed = (list(map(float, a.split())) for a in sys.argv[1:])
p, f, a = (statistics.median(x) for x in (plain, padded, authed))
print(f"server CPU per request: no token {p:.2f} µs, same-size header {f:.2f} µs, "
      f"verified token {a:.2f} µs")
print(f"cost of the token in server CPU per request, median of {len(plain)} paired rounds: "
      f"{100 * statistics.median(y / x - 1 for x, y in zip(plain, authed)):.1f}%  (goal <= 5%)")
PY
python3 - "${plain[*]}" "${padded[*]}" "${authed[*]}" <<'PY'
import statistics, sys
plain, padded, authed = (list(map(float, a.split())) for a in sys.argv[1:])
p, f, a = (statistics.median(x) for x in (plain, padded, authed))
token_cost = statistics.median(1 - y / x for x, y in zip(plain, authed))
verify_cost = statistics.median(1 - y / x for x, y in zip(padded, authed))
print(f"GET lesson, no token:                         {p:8.0f} req/s  (runs {plain})")
print(f"GET lesson, a header as long as the token:    {f:8.0f} req/s  (runs {padded})")
print(f"GET lesson, verified bearer token:            {a:8.0f} req/s  (runs {authed})")
print(f"cost of the token against no token, median of {len(plain)} paired rounds: "
      f"{100 * token_cost:.1f}%  (goal <= 5%)")
print(f"cost of verification alone (against the same-size header): {100 * verify_cost:.1f}%")
PY
