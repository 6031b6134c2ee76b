#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind, user space only): they do not drift with the load
# of a shared machine. Prints instructions per request for GET lesson with no token, with a header
# as long as a token, and with a verified token; then per attempt on the I/O thread and on the
# SQLite writer thread (one attempt at a time, so every commit holds one attempt).
#
# Usage: bench/instructions.sh   (env: REQUESTS=2000 ATTEMPTS=1000; needs the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${REQUESTS:-2000}
ATTEMPTS=${ATTEMPTS:-1000}
BIN=${PRACTICA_BIN:-build/release/src/practica}
command -v valgrind >/dev/null || { echo "bench: valgrind is missing" >&2; exit 1; }
[ -x "$BIN" ] || { echo "bench: build the release first (make bench)" >&2; exit 1; }

work=$(mktemp -d /tmp/practica-instructions.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$work/cg.out" \
  "$BIN" serve --listen "127.0.0.1:$port" --data-dir "$work/data" --web-root "$work/none" \
  --seed-content tests/integration/fixtures --threads 1 --auth-rate-per-minute 1000000 \
  >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break; sleep 1; done

python3 - "$port" "$REQUESTS" "$ATTEMPTS" "$work" <<'PY'
import glob, http.client, json, re, subprocess, sys, time
port, requests, attempts, work = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
c.request("POST", "/api/auth/signup", headers={"Content-Type": "application/json"},
          body=json.dumps({"email": "i@example.org", "password": "instruction counts phrase",
                           "display_name": "I"}))
token = json.loads(c.getresponse().read())["access_token"]
def get(n, headers):
    for _ in range(n):
        c.request("GET", "/api/courses/drills/lessons/basics", headers=headers)
        r = c.getresponse(); r.read(); assert r.status == 200, r.status
def attempt(n, first):
    for i in range(n):
        c.request("POST", "/api/exercises/drills.truth/attempts", body='{"answer": false}',
                  headers={"Content-Type": "application/json", "Authorization": "Bearer " + token,
                           "Idempotency-Key": f"k{first + i}"})
        r = c.getresponse(); r.read(); assert r.status == 201, r.status
def measure(name, run):
    subprocess.run(["callgrind_control", "--zero"], capture_output=True, check=True)
    run()
    subprocess.run(["callgrind_control", "--dump=" + name], capture_output=True, check=True)
    time.sleep(1)
auth = {"Authorization": "Bearer " + token}
pad = {"X-Padding": "a" * len(token)}
get(50, {}); get(50, auth); get(50, pad); attempt(50, 0)
phases = [("plain", lambda: get(requests, {})), ("padded", lambda: get(requests, pad)),
          ("token", lambda: get(requests, auth)), ("attempt", lambda: attempt(attempts, 100))]
for name, run in phases:
    measure(name, run)
# One dump file per thread per phase; the trigger names the phase.
totals = {}
for path in glob.glob(work + "/cg.out.*"):
    text = open(path, errors="replace").read()
    phase = re.search(r"^desc: Trigger: dump (\w+)", text, re.M)
    summary = re.search(r"^summary: (\d+)", text, re.M)
    if phase and summary and int(summary.group(1)) > 0:
        totals.setdefault(phase.group(1), []).append(int(summary.group(1)))
per = {k: sorted(v, reverse=True) for k, v in totals.items()}
# A GET runs wholly on the one I/O thread: count that thread (the busiest), not the others, whose
# timers and background flushes would add a few thousand instructions a request of noise.
plain, padded, tokened = (per[k][0] / requests for k in ("plain", "padded", "token"))
print(f"GET lesson, instructions per request: no token {plain:,.0f}, "
      f"same-size header {padded:,.0f}, verified token {tokened:,.0f}")
print(f"  token verification: {tokened - padded:,.0f} per request "
      f"({100 * (tokened - padded) / padded:.1f}% of the user-space work)")
threads = per["attempt"]
print(f"attempt, instructions per attempt by thread (largest first): "
      + ", ".join(f"{t / attempts:,.0f}" for t in threads))
PY
