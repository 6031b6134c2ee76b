"""10,000 idle keep-alive connections at once: ordinary requests are still served quickly, each idle
connection costs little memory, and the idle timeout closes them all.

Each of IDLE connections asks GET /api/health once and then stays open, asking nothing more (a
browser's kept-alive connection). The client raises its own RLIMIT_NOFILE to hold them; practica
raises its soft limit to the hard one at start (server.cc, RaiseFileLimit), which it inherits from
this script. practica runs with an idle timeout of IDLE_TIMEOUT seconds (PRACTICA_IDLE_TIMEOUT_MS;
the default is 30 s, shorter here so that make test stays short). Checks:
  - every connection is served and is still open once all are (no limit below IDLE refuses them);
  - beside them, ordinary clients get every answer, with p99 under P99_LIMIT (printed);
  - server RSS per idle connection (VmRSS with them open, minus before, over IDLE; printed) stays
    under PER_CONNECTION_LIMIT;
  - the idle timeout closes every one of them, no sooner than it should and not much later;
  - then, with its open-file limit lowered (prlimit) and more connections than it has descriptors:
    the server does not spin on the failing accept nor log every failure, still serves the
    connections it has, and takes new ones again once descriptors are free.
Prints "N passed, M failed" and exits non-zero on failure.

Usage: PRACTICA_BIN=… [SOAK_MINUTES=…] python3 tests/reliability/idle_connections.py [IDLE]
"""
import http.client
import os
import resource
import selectors
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (ARGS, FIXTURES, Checks, Clients, Server, asan_env, bearer,  # noqa: E402
                    cleanup, percentile, raise_open_files, request, rss_kib,
                    signup_many, wait_until)

IDLE = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
SOAKING = "SOAK_MINUTES" in os.environ
IDLE_TIMEOUT = 30.0 if SOAKING else 15.0
P99_LIMIT = 0.1
PER_CONNECTION_LIMIT = 32  # KiB
BATCH = 250  # connections opened before their answers are read
EXCESS = 200  # connections beyond the server's descriptors, in the last part
OVER_LIMIT_SECONDS = 3.0
REQUEST = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def read_answer(sock, deadline):
    """Reads one short response to its end (headers and Content-Length body); True if it is 200."""
    data = b""
    sock.settimeout(max(0.1, deadline - time.monotonic()))
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            return False
        body += chunk
    return head.startswith(b"HTTP/1.1 200")


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def out_of_descriptors(checks, server):
    """More connections than the server has file descriptors for: it must not spin on the failing
    accept (nor log each failure), must keep serving the connections it has, and must take new
    ones again once descriptors are free."""
    pid = server.proc.pid
    in_use = len(os.listdir(f"/proc/{pid}/fd"))
    limit = in_use + 64
    resource.prlimit(pid, resource.RLIMIT_NOFILE, (limit, limit))
    kept = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    kept.request("GET", "/api/health")
    kept.getresponse().read()
    logged_before = len(server.lines)
    extra = [socket.create_connection(("127.0.0.1", server.port), timeout=5)
             for _ in range(EXCESS)]  # the kernel completes them; the server cannot take them all
    cpu_before = cpu_seconds(pid)
    time.sleep(OVER_LIMIT_SECONDS)
    cpu = (cpu_seconds(pid) - cpu_before) / OVER_LIMIT_SECONDS
    failures = sum(1 for line in server.lines[logged_before:] if "accept failed" in line)
    checks.check(cpu < 0.1, f"out of file descriptors ({limit}), the server uses {cpu:.0%} of a "
                            "core, not a spinning accept loop")
    checks.check(failures < 20, f"and logs {failures} accept failures in "
                                f"{OVER_LIMIT_SECONDS:.0f} s, not one per retry")
    kept.request("GET", "/api/courses")
    response = kept.getresponse()
    response.read()
    checks.check(response.status == 200, f"a connection it had is still served ({response.status})")
    for sock in extra:
        sock.close()
    started = time.monotonic()
    served = wait_until(lambda: _health(server.port), timeout=5)
    checks.check(served, f"once descriptors are free, new connections are served again "
                         f"({time.monotonic() - started:.1f} s)")
    kept.close()


def _health(port):
    try:
        return request(port, "GET", "/api/health", timeout=2)[0] == 200
    except OSError:
        return False


def main():
    checks = Checks()
    limit = raise_open_files(IDLE + 1024)
    if limit < IDLE + 256:
        checks.check(False, f"the open-file limit ({limit}) can hold {IDLE} connections")
        return checks.report()
    server = Server(seed_content=str(FIXTURES), extra_args=(
        *ARGS, "--idle-timeout-ms", str(int(IDLE_TIMEOUT * 1000))), env=asan_env()).start()
    sockets = []
    try:
        port = server.port
        pid = server.proc.pid
        token = signup_many(port, ["ordinary@example.org"])[0]
        ordinary = [("GET", "/api/courses", None, None),
                    ("GET", "/api/courses/drills/lessons/basics", None, None),
                    ("GET", "/api/me", None, bearer(token))]
        warm = Clients(port, ordinary).start()
        time.sleep(1.0)
        warm.stop()
        rss_before = rss_kib(pid)

        opening = time.monotonic()
        idle_since = []
        failed = 0
        for first in range(0, IDLE, BATCH):
            batch = []
            for _ in range(first, min(IDLE, first + BATCH)):
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                sock.sendall(REQUEST)
                batch.append(sock)
            deadline = time.monotonic() + 10
            for sock in batch:
                try:
                    ok = read_answer(sock, deadline)
                except OSError:
                    ok = False
                if ok:
                    sockets.append(sock)
                    idle_since.append(time.monotonic())
                else:
                    failed += 1
                    sock.close()
        opened_in = time.monotonic() - opening
        print(f"{len(sockets)} idle keep-alive connections opened in {opened_in:.1f} s")

        selector = selectors.DefaultSelector()
        for i, sock in enumerate(sockets):
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ, i)
        closed_early = len(selector.select(timeout=0))
        checks.check(failed == 0 and closed_early == 0 and len(sockets) == IDLE,
                     f"{IDLE} connections served and all open at once (failed {failed}, "
                     f"closed already {closed_early})")

        rss_open = rss_kib(pid)
        per_connection = (rss_open - rss_before) / max(1, len(sockets))
        print(f"server RSS {rss_before / 1024:.1f} MiB before, {rss_open / 1024:.1f} MiB with "
              f"{len(sockets)} idle connections: {per_connection:.1f} KiB each")
        checks.check(per_connection < PER_CONNECTION_LIMIT,
                     f"{per_connection:.1f} KiB of server memory per idle connection < "
                     f"{PER_CONNECTION_LIMIT} KiB")

        measuring = time.monotonic()
        clients = Clients(port, ordinary).start()
        time.sleep(min(3.0, max(0.5, IDLE_TIMEOUT - (measuring - opening) - 2)))
        clients.stop()
        p50 = percentile(clients.latencies, 0.50) * 1000
        p99 = percentile(clients.latencies, 0.99) * 1000
        print(f"ordinary clients beside them: {len(clients.latencies)} requests, "
              f"p50 {p50:.1f} ms, p99 {p99:.1f} ms")
        checks.check(clients.latencies and not clients.failures,
                     f"ordinary requests all answered ({len(clients.failures)} failed: "
                     f"{clients.failures[:3]})")
        checks.check(p99 < P99_LIMIT * 1000, f"ordinary p99 {p99:.1f} ms < "
                                             f"{P99_LIMIT * 1000:.0f} ms")

        # The idle timeout: each connection closed about IDLE_TIMEOUT after its answer.
        closed_after = []
        deadline = max(idle_since) + IDLE_TIMEOUT + 10
        remaining = len(sockets)
        while remaining and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.5):
                try:
                    data = key.fileobj.recv(1024)
                except (ConnectionResetError, BlockingIOError):
                    data = b""
                if data:
                    continue  # nothing should come; a close follows anyway
                closed_after.append(time.monotonic() - idle_since[key.data])
                selector.unregister(key.fileobj)
                remaining -= 1
        too_soon = sum(1 for t in closed_after if t < IDLE_TIMEOUT - 0.5)
        checks.check(remaining == 0 and too_soon == 0,
                     f"the {IDLE_TIMEOUT:.0f} s idle timeout closed them all: {len(closed_after)} "
                     f"closed after {min(closed_after, default=0):.1f} to "
                     f"{max(closed_after, default=0):.1f} s idle (too soon {too_soon}, still "
                     f"open {remaining})")
        rss_after = rss_kib(pid)
        print(f"server RSS once they are closed: {rss_after / 1024:.1f} MiB")
        out_of_descriptors(checks, server)
        checks.check(server.proc.poll() is None and server.stop() == 0,
                     "the server is still running, and exits 0 on SIGTERM")
    finally:
        for sock in sockets:
            sock.close()
        cleanup(checks, server)
    return checks.report()


if __name__ == "__main__":
    sys.exit(main())
