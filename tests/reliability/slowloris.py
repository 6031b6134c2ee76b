"""Slowloris: many connections dribble their headers a byte every few seconds; the server closes
each at its header timeout while ordinary clients are served as usual.

practica runs with a header timeout of HEADER_TIMEOUT seconds (PRACTICA_HEADER_TIMEOUT_MS; the
default is 10 s, shorter here so that make test stays short). SLOW connections each send a request
line and then one byte of a header field every DRIP seconds, never finishing it; when one is
closed, another takes its place until the run ends. Every other one first sends a whole request
and reads its answer, so that the dribble comes on a kept-alive connection: the header timeout
must hold there too, not the longer idle timeout (30 s) a resting connection is allowed.
Meanwhile a few ordinary clients read the catalog, a lesson and /api/me without pause. Checks:
  - every slow connection is closed by the server, between the header timeout and a little after
    it (never served, never left open);
  - no ordinary request fails, and their p99 latency stays under P99_LIMIT (printed);
  - the server's thread count does not grow with the slow connections (no thread per connection).

make test runs one wave (about 15 s); with SOAK_MINUTES (make soak), waves follow each other for
that long, with more connections.
Prints "N passed, M failed" and exits non-zero on failure.

Usage: PRACTICA_BIN=… [SOAK_MINUTES=10] python3 tests/reliability/slowloris.py
"""
import itertools
import os
import selectors
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (ARGS, FIXTURES, Checks, Clients, Server, asan_env, bearer,  # noqa: E402
                    cleanup, percentile, raise_open_files, signup_many, soak_seconds)

SOAKING = "SOAK_MINUTES" in os.environ
HEADER_TIMEOUT = 10.0 if SOAKING else 3.0
SLOW = 1000 if SOAKING else 300
DRIP = 2.0  # seconds between two bytes of a slow connection
DURATION = soak_seconds(HEADER_TIMEOUT + 4)  # the last wave is then let run out
LATE = 2.5  # seconds past the header timeout a slow connection may still be open
P99_LIMIT = 0.25


def server_threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def main():
    checks = Checks()
    raise_open_files(SLOW + 256)
    server = Server(seed_content=str(FIXTURES), extra_args=(
        *ARGS, "--header-timeout-ms", str(int(HEADER_TIMEOUT * 1000))), env=asan_env()).start()
    try:
        port = server.port
        token = signup_many(port, ["ordinary@example.org"])[0]
        clients = Clients(port, [("GET", "/api/courses", None, None),
                                 ("GET", "/api/courses/drills/lessons/basics", None, None),
                                 ("GET", "/api/me", None, bearer(token))]).start()
        threads_before = server_threads(server.proc.pid)

        selector = selectors.DefaultSelector()
        opened = {}  # socket → (opened at, next drip at)
        lifetimes = []  # seconds from open to the server's close
        answered = []  # bytes a slow connection got back (it should get none)
        not_closed = 0
        opened_count = itertools.count()
        served_first = []  # False for each kept-alive slow connection whose first request failed
        started = time.monotonic()

        def open_slow():
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            kept_alive = next(opened_count) % 2 == 1
            if kept_alive:  # one quick request first: the dribble then starts on a kept-alive
                sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                if not sock.recv(4096).startswith(b"HTTP/1.1 200"):
                    served_first.append(False)
            sock.sendall(b"GET /api/courses HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sock.setblocking(False)
            now = time.monotonic()
            opened[sock] = (now, now + DRIP)
            selector.register(sock, selectors.EVENT_READ)

        def closed(sock, data=b""):
            if data:
                answered.append(data[:80])
            lifetimes.append(time.monotonic() - opened.pop(sock)[0])
            selector.unregister(sock)
            sock.close()

        for _ in range(SLOW):
            open_slow()
        peak_threads = server_threads(server.proc.pid)
        while opened:
            now = time.monotonic()
            for key, _ in selector.select(timeout=0.1):
                try:
                    data = key.fileobj.recv(4096)
                except (ConnectionResetError, BlockingIOError):
                    data = b""
                closed(key.fileobj, data)
                if now - started < DURATION - HEADER_TIMEOUT:
                    open_slow()  # keep the pressure on until the last wave
            for sock, (since, drip_at) in list(opened.items()):
                if now - since > HEADER_TIMEOUT + LATE + 5:
                    not_closed += 1  # given up on: the server never closed it
                    selector.unregister(sock)
                    sock.close()
                    del opened[sock]
                elif now >= drip_at:
                    try:
                        sock.send(b"a")
                        opened[sock] = (since, now + DRIP)
                    except (BrokenPipeError, ConnectionResetError):
                        closed(sock)
            peak_threads = max(peak_threads, server_threads(server.proc.pid))
        clients.stop()
        elapsed = time.monotonic() - started

        early = [t for t in lifetimes if t < HEADER_TIMEOUT - 0.2]
        late = [t for t in lifetimes if t > HEADER_TIMEOUT + LATE]
        checks.check(lifetimes and not early and not late and not not_closed,
                     f"all {len(lifetimes)} slow connections were closed between "
                     f"{HEADER_TIMEOUT:.1f} and {HEADER_TIMEOUT + LATE:.1f} s "
                     f"(min {min(lifetimes, default=0):.2f} s, max {max(lifetimes, default=0):.2f} "
                     f"s; early {len(early)}, late {len(late)}, never {not_closed})")
        checks.check(not answered and not served_first,
                     f"no slow connection was answered ({answered[:2]}), except the first "
                     f"request of the kept-alive ones ({len(served_first)} of those failed)")
        p50 = percentile(clients.latencies, 0.50) * 1000
        p99 = percentile(clients.latencies, 0.99) * 1000
        print(f"ordinary clients: {len(clients.latencies)} requests in {elapsed:.0f} s beside "
              f"{SLOW} slow connections at a time; p50 {p50:.1f} ms, p99 {p99:.1f} ms")
        checks.check(not clients.failures,
                     f"no ordinary request failed ({len(clients.failures)} did: "
                     f"{clients.failures[:3]})")
        checks.check(p99 < P99_LIMIT * 1000,
                     f"ordinary p99 {p99:.1f} ms < {P99_LIMIT * 1000:.0f} ms")
        checks.check(peak_threads <= threads_before + 2,
                     f"the server's threads stay {threads_before} (at most {peak_threads}) with "
                     f"{SLOW} slow connections")
        checks.check(server.proc.poll() is None and server.stop() == 0,
                     "the server is still running, and exits 0 on SIGTERM")
    finally:
        cleanup(checks, server)
    return checks.report()


if __name__ == "__main__":
    sys.exit(main())
