"""SIGTERM while requests are in flight: each gets its whole answer, then the process exits 0.

Learners sign up; then, each on a connection of its own, many slow requests are sent at once —
sign-ins (Argon2id, 20-40 ms each on the blocking pool, so together they queue for a second or
more) and graded attempts with Idempotency-Keys (group-committed) — and SIGTERM follows as soon as
they are sent and the server has had a moment (0.1 s) to read them. Checks:
  - requests were still unanswered when SIGTERM arrived (otherwise the test proved nothing);
  - every one of them gets a complete response (status line, Content-Length, the whole body) with
    its usual status (200 for a sign-in, 201 for an attempt) and Connection: close;
  - within a short while of SIGTERM, a new connection is refused;
  - a keep-alive connection that sat idle is closed without an answer (it had asked nothing);
  - the process exits 0 within its drain grace (8 s), and every attempt answered 201 is on disk.

Prints "N passed, M failed" and exits non-zero on failure.

Usage: PRACTICA_BIN=… python3 tests/reliability/sigterm_drain.py [ROUNDS]
"""
import http.client
import json
import os
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (ARGS, FIXTURES, PASSPHRASE, Checks, Server, asan_env, cleanup,  # noqa: E402
                    signup_many)

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 1
LEARNERS = 8
# The blocking pool has a thread per core: 20 sign-ins per core keep it busy for ~0.4-0.8 s,
# whatever the machine, so that many are still queued when the signal comes.
LOGINS = 20 * (os.cpu_count() or 2)
ATTEMPTS = 40
GRACE = 8.0  # server::ServerOptions::shutdown_grace
SIGNAL_HANDLED = 0.25  # seconds: the server has seen SIGTERM by then
REFUSED_WITHIN = 1.0  # seconds after SIGTERM by which new connections must be refused


def raw_request(port, method, path, body, headers):
    payload = json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
             f"Content-Length: {len(payload)}", *(f"{k}: {v}" for k, v in headers.items())]
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
    return sock


def read_response(sock):
    """(status, headers, body) of a complete response, or (None, error, b"") when the answer was
    cut short or missing."""
    response = http.client.HTTPResponse(sock)
    try:
        response.begin()
        body = response.read()  # raises IncompleteRead if fewer bytes than Content-Length came
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    except (OSError, http.client.HTTPException) as e:
        return None, f"{type(e).__name__}: {e}", b""
    finally:
        sock.close()


def answered_already(sockets):
    """How many of the sockets have something to read (an answer begun, or a close)."""
    readable, _, _ = select.select(sockets, [], [], 0)
    return len(readable)


def connection_refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


def one_round(checks, round_number):
    server = Server(seed_content=str(FIXTURES), extra_args=ARGS, env=asan_env()).start()
    try:
        port = server.port
        emails = [f"drain{i}@example.org" for i in range(LEARNERS)]
        tokens = signup_many(port, emails)

        idle = socket.create_connection(("127.0.0.1", port), timeout=10)
        idle.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = read_response_keep(idle)

        in_flight = []  # (kind, socket, key)
        for i in range(max(LOGINS, ATTEMPTS)):
            if i < LOGINS:
                in_flight.append(("login", raw_request(
                    port, "POST", "/api/auth/login",
                    {"email": emails[i % LEARNERS], "password": PASSPHRASE}, {}), None))
            if i < ATTEMPTS:
                key = f"drain-{round_number}-{i}"
                in_flight.append(("attempt", raw_request(
                    port, "POST", "/api/exercises/drills.truth/attempts", {"answer": True},
                    {"Authorization": f"Bearer {tokens[i % LEARNERS]}", "Idempotency-Key": key}),
                    key))
        time.sleep(0.1)  # let the server read every request before the signal
        pending = len(in_flight) - answered_already([s for _, s, _ in in_flight])
        signalled_at = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)

        refused = False
        while time.monotonic() - signalled_at < REFUSED_WITHIN:
            if connection_refused(port):
                refused = True
                break
            time.sleep(0.02)
        refused_after = time.monotonic() - signalled_at

        # Answers in the order they come, each with when it began to arrive.
        answers = []  # (kind, key, (status, headers, body), seconds after SIGTERM)
        waiting = {sock: (kind, key) for kind, sock, key in in_flight}
        while waiting:
            readable, _, _ = select.select(list(waiting), [], [], GRACE + 5)
            if not readable:
                break
            for sock in readable:
                arrived = time.monotonic() - signalled_at
                kind, key = waiting.pop(sock)
                answers.append((kind, key, read_response(sock), arrived))
        for sock, (kind, key) in waiting.items():
            answers.append((kind, key, (None, "no answer at all", b""), None))
            sock.close()
        try:
            code = server.proc.wait(GRACE + 5)
        except subprocess.TimeoutExpired:
            code = None
        exited_after = time.monotonic() - signalled_at
        idle_answer = idle.recv(1024) if select.select([idle], [], [], 1)[0] else None
        idle.close()

        label = f"round {round_number}: " if ROUNDS > 1 else ""
        checks.check(first == 200, f"{label}the idle connection was served once ({first})")
        checks.check(pending >= len(in_flight) // 4,
                     f"{label}{pending} of {len(in_flight)} requests were unanswered at SIGTERM")
        expected = {"login": 200, "attempt": 201}
        wrong = [f"{kind}: {status} {headers if status is None else body[:120]!r}"
                 for kind, _, (status, headers, body), _ in answers if status != expected[kind]]
        checks.check(not wrong, f"{label}every request in flight got its whole answer "
                                f"({len(answers) - len(wrong)} of {len(answers)})"
                     + (f"; not: {wrong[:3]}" if wrong else ""))
        # The signal is handled on an I/O thread a moment after it is sent; answers written after
        # that close their connection.
        late = [headers.get("connection", "").lower() == "close"
                for _, _, (status, headers, _), arrived in answers
                if status is not None and arrived is not None and arrived > SIGNAL_HANDLED]
        checks.check(late and all(late),
                     f"{label}the {len(late)} answers sent more than {SIGNAL_HANDLED} s after "
                     "SIGTERM say Connection: close")
        checks.check(refused, f"{label}new connections are refused after SIGTERM "
                              f"({refused_after:.2f} s)")
        checks.check(idle_answer in (b"", None),
                     f"{label}the idle keep-alive connection was closed unanswered "
                     f"({idle_answer!r})")
        last = max((a for *_, a in answers if a is not None), default=0.0)
        checks.check(code == 0 and exited_after < GRACE,
                     f"{label}the process exited {code} {exited_after:.2f} s after SIGTERM, "
                     f"{exited_after - last:.2f} s after the last answer (grace {GRACE:.0f} s)")
        acknowledged = {json.loads(body)["attempt_id"]
                        for kind, _, (status, _, body), _ in answers if kind == "attempt" and
                        status == 201}
        db = sqlite3.connect(server.data_dir / "practica.db")
        stored = {row[0] for row in db.execute("SELECT attempt_id FROM attempts")}
        db.close()
        checks.check(acknowledged <= stored,
                     f"{label}every attempt answered 201 is on disk ({len(acknowledged)})")
    finally:
        cleanup(checks, server)


def read_response_keep(sock):
    """The status of one response on a keep-alive connection, leaving it open."""
    response = http.client.HTTPResponse(sock)
    response.begin()
    response.read()
    return response.status


def main():
    checks = Checks()
    for round_number in range(ROUNDS):
        one_round(checks, round_number)
    return checks.report()


if __name__ == "__main__":
    sys.exit(main())
