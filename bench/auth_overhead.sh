#!/usr/bin/env bash
# The cost of authentication: GET lesson with a verified bearer token against the same GET
# without one (same server, same run, same wrk settings), then sign-in latency and throughput,
# which Argon2id (m = 19 MiB, t = 2) dominates.
#
# The server runs one I/O thread and wrk one thread, so on a two-core machine each has a core and
# the server is what limits requests/s: with two of each, the four threads share the cores and
# wrk's own work for the longer request (it writes 350 more bytes each time) is counted against
# the token too, along with the scheduler's placement of four busy threads.
#
# Usage: bench/auth_overhead.sh
#   (env: DURATION=1s ROUNDS=30 CONNECTIONS=64 THREADS=1 WRK_THREADS=1 LOGINS=40)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-1s}
ROUNDS=${ROUNDS:-30}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
WRK_THREADS=${WRK_THREADS:-1}
LOGINS=${LOGINS:-40}
BIN=${PRACTICA_BIN:-build/release/src/practica}
[ -x "$BIN" ] || { echo "bench: build the release first (make build-release)" >&2; exit 1; }
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

# One wrk round: "requests server-CPU-ticks". The server's CPU time (user + system, from /proc)
# is summed per kind over all rounds, which gives what one request costs the server.
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
round() {
  local before after requests
  before=$(ticks)
  requests=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" "$@" | awk '/ requests in /{print $1}')
  after=$(ticks)
  echo "$requests $((after - before))"
}
filler=$(python3 -c "print('a' * len('$token'))")
wrk -t1 -c8 -d2s "$url" >/dev/null
# Many short rounds, the three kinds back to back and in reverse order every other round, so the
# shared machine's drift (other work on the two cores moves requests/s by 20 % from one stretch
# of a few seconds to the next) falls on all three alike instead of on whichever ran then.
: >"$work/rounds"
for i in $(seq "$ROUNDS"); do
  kinds=(plain padded token)
  [ $((i % 2)) = 0 ] && kinds=(token padded plain)
  for kind in "${kinds[@]}"; do
    case $kind in
      plain) echo "$kind $(round "$url")" ;;
      padded) echo "$kind $(round -H "X-Padding: $filler" "$url")" ;;
      token) echo "$kind $(round -H "Authorization: Bearer $token" "$url")" ;;
    esac >>"$work/rounds"
  done
done
python3 - "$work/rounds" "$DURATION" "$(getconf CLK_TCK)" <<'PY'
import collections, statistics, sys
rounds, duration, hz = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = collections.defaultdict(list)
for line in open(rounds):
    kind, requests, ticks = line.split()
    runs[kind].append((int(requests), int(ticks)))
plain, padded, token = runs["plain"], runs["padded"], runs["token"]
def total(kind):
    return sum(requests for requests, _ in kind)
def cpu(kind):  # server CPU µs per request
    return sum(ticks for _, ticks in kind) / hz / total(kind) * 1e6
def cost(base, other):  # the share of requests lost over all rounds, and in the median round
    whole = 1 - total(other) / total(base)
    median = statistics.median(1 - o / b for (b, _), (o, _) in zip(base, other))
    return 100 * whole, 100 * median
seconds = float(duration.rstrip("s"))
print(f"{len(plain)} rounds of {duration} per kind, interleaved")
for name, kind in (("no token", plain), ("a header as long as the token", padded),
                   ("verified bearer token", token)):
    print(f"GET lesson, {name + ':':31} {total(kind) / len(kind) / seconds:8.0f} req/s, "
          f"server CPU {cpu(kind):.2f} µs per request")
whole, median = cost(plain, token)
print(f"cost of the token against no token: {whole:.1f}% of requests/s "
      f"(median round {median:.1f}%)  (goal <= 5%)")
whole, median = cost(padded, token)
print(f"cost of verification alone (against the same-size header): {whole:.1f}% "
      f"(median round {median:.1f}%)")
print(f"cost of the token in server CPU per request: {100 * (cpu(token) / cpu(plain) - 1):.1f}%")
PY
