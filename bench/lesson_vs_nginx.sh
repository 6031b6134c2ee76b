#!/usr/bin/env bash
# GET lesson: practica (release) against nginx serving the same JSON bytes as a static file.
# Both get the same number of worker threads/processes, both write an access log to a file, and
# wrk loads each on loopback with the same settings in the same run. Prints requests/s, p99 latency,
# the ratio, and practica's idle RSS.
#
# Usage: bench/lesson_vs_nginx.sh   (env: DURATION=10s CONNECTIONS=64 THREADS=2 WRK_THREADS=2)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WRK_THREADS=${WRK_THREADS:-2}
BIN=${PRACTICA_BIN:-build/release/src/practica}
NGINX=${NGINX:-/usr/sbin/nginx}
for tool in "$BIN" "$NGINX" "$(command -v wrk || true)"; do
  [ -x "$tool" ] || { echo "bench: missing $tool (run make bench)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/practica-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# practica, with the demo course.
"$BIN" serve --listen 127.0.0.1:0 --data-dir "$work/data" --web-root "$work/none" \
  --seed-content content --threads "$THREADS" >"$work/practica.log" 2>&1 &
ppid=$!
pids+=("$ppid")
for _ in $(seq 100); do
  grep -q '"msg":"listening"' "$work/practica.log" 2>/dev/null && break
  sleep 0.1
done
pport=$(grep -o '"msg":"listening".*"port":[0-9]*' "$work/practica.log" | grep -o '[0-9]*$')
course=$(curl -fsS "http://127.0.0.1:$pport/api/courses" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["slug"])')
lesson=$(curl -fsS "http://127.0.0.1:$pport/api/courses/$course" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lessons"][0]["slug"])')
path="/api/courses/$course/lessons/$lesson"
sleep 1
idle_rss=$(rss_kb "$ppid")

# nginx, serving the very bytes practica returns.
mkdir -p "$work/www$(dirname "$path")"
curl -fsS "http://127.0.0.1:$pport$path" -o "$work/www$path"
bytes=$(stat -c %s "$work/www$path")
nport=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes $THREADS;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log $work/nginx-access.log combined buffer=64k;
  default_type application/json;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$nport; root $work/www; }
}
CONF
mkdir -p "$work/tmp"
"$NGINX" -c "$work/nginx.conf" -e "$work/nginx-error.log" &
pids+=("$!")
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$nport$path" -o /dev/null && break; sleep 0.1; done

run_wrk() {  # URL → "requests/s p99_ms"
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$1" >"$work/wrk.out"
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.out")
  # wrk prints 1.23ms, 456.00us or 1.02s; normalise to ms.
  p99=$(python3 -c "v='$p99'; print(round(float(v[:-2])/1000,3) if v.endswith('us') else (round(float(v[:-1])*1000,3) if v.endswith('s') and not v.endswith('ms') else float(v[:-2])))")
  echo "$rps $p99"
}

# Warm both, then measure.
wrk -t1 -c8 -d2s "http://127.0.0.1:$pport$path" >/dev/null
wrk -t1 -c8 -d2s "http://127.0.0.1:$nport$path" >/dev/null
read -r n_rps n_p99 < <(run_wrk "http://127.0.0.1:$nport$path")
read -r p_rps p_p99 < <(run_wrk "http://127.0.0.1:$pport$path")
loaded_rss=$(rss_kb "$ppid")

ratio=$(python3 -c "print(f'{$p_rps/$n_rps:.2f}')")
echo "GET $path ($bytes bytes), wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION, $THREADS server threads, $(nproc) cores"
printf '%-10s %12s %10s\n' server 'requests/s' 'p99 ms'
printf '%-10s %12.0f %10s\n' nginx "$n_rps" "$n_p99"
printf '%-10s %12.0f %10s\n' practica "$p_rps" "$p_p99"
echo "ratio practica/nginx requests/s: $ratio (goal >= 0.80)"
echo "practica RSS: idle $((idle_rss / 1024)) MB (goal <= 20 MB), after load $((loaded_rss / 1024)) MB"
