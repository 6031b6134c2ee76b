# Shared by bench/attempts.sh and bench/attempts_aws.sh: signing learners up, and one wrk run of
# POST attempts. Source it after setting LEARNERS, CONNECTIONS, DURATION and work.

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

# NAME PORT → "attempts/s p99-ms non-2xx": wrk against PORT with the tokens in $work/NAME.tokens.
wrk_attempts() {
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
