"""SIGKILL mid-load, restart, and check that no acknowledged attempt is lost or doubled.

Sends N attempts (each with its own Idempotency-Key) from several threads, kills the server with
SIGKILL when about half have been acknowledged, restarts it on the same data folder, and retries
every attempt that got no 201 with its same key. Afterwards every attempt must be acknowledged,
every acknowledged attempt id must be on disk exactly once, and nothing else may be.
Prints "N passed, M failed" and exits non-zero on failure.

Usage: PRACTICA_BIN=… python3 tests/reliability/kill_restart.py [N]
"""
import http.client
import json
import signal
import sqlite3
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from harness import Server  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "integration" / "fixtures"
N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
LEARNERS = 10
ARGS = ("--auth-rate-per-minute", "1000000", "--cookie-secure", "false")


def post(port, path, body, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", path, body=json.dumps(body),
                     headers={"Content-Type": "application/json", **headers})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def main():
    server = Server(seed_content=str(FIXTURES), extra_args=ARGS).start()
    data_dir = server.data_dir
    tokens = []
    for i in range(LEARNERS):
        status, body = post(server.port, "/api/auth/signup",
                            {"email": f"r{i}@example.org", "password": "reliability passphrase",
                             "display_name": f"R{i}"}, {})
        assert status == 201, body
        tokens.append(json.loads(body)["access_token"])

    acknowledged = {}  # key → attempt id
    lock = threading.Lock()
    killed = threading.Event()

    def send(key_index, port):
        key = f"rel-{key_index}"
        token = tokens[key_index % LEARNERS]
        try:
            status, body = post(port, "/api/exercises/drills.truth/attempts", {"answer": False},
                                {"Authorization": f"Bearer {token}", "Idempotency-Key": key})
        except OSError:
            return
        if status == 201:
            with lock:
                acknowledged[key] = json.loads(body)["attempt_id"]
                if len(acknowledged) >= N // 2 and not killed.is_set():
                    killed.set()
                    server.proc.send_signal(signal.SIGKILL)

    def worker(first, port):
        for i in range(first, N, 8):
            send(i, port)

    threads = [threading.Thread(target=worker, args=(t, server.port)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.proc.wait()
    before_restart = dict(acknowledged)

    restarted = Server(seed_content=str(FIXTURES), data_dir=data_dir, extra_args=ARGS).start()
    results = []
    try:
        # Every attempt acknowledged before the kill must be answered the same after it; the rest
        # are retried with their keys and stored at most once.
        for i in range(N):
            key = f"rel-{i}"
            status, body = post(restarted.port, "/api/exercises/drills.truth/attempts",
                                {"answer": False},
                                {"Authorization": f"Bearer {tokens[i % LEARNERS]}",
                                 "Idempotency-Key": key})
            if status != 201:
                results.append((False, f"{key}: status {status} after restart"))
                continue
            attempt_id = json.loads(body)["attempt_id"]
            if key in before_restart and before_restart[key] != attempt_id:
                results.append((False, f"{key}: acknowledged as {before_restart[key]}, "
                                       f"then answered as {attempt_id}"))
                continue
            acknowledged[key] = attempt_id
        db = sqlite3.connect(Path(data_dir) / "practica.db")
        rows = [r[0] for r in db.execute("SELECT attempt_id FROM attempts")]
        db.close()
        results.append((killed.is_set(), f"the server was killed after {len(before_restart)} "
                                         f"of {N} acknowledgements"))
        results.append((len(acknowledged) == N, f"{len(acknowledged)} of {N} acknowledged"))
        results.append((len(rows) == len(set(rows)), "no attempt stored twice"))
        results.append((set(rows) == set(acknowledged.values()),
                        f"stored attempts ({len(rows)}) are exactly the acknowledged ones "
                        f"({len(set(acknowledged.values()))})"))
        lost = [k for k, a in before_restart.items() if a not in set(rows)]
        results.append((not lost, f"no acknowledged attempt lost ({len(lost)} lost)"))
    finally:
        restarted.cleanup()
        server.cleanup()

    passed = sum(1 for ok, _ in results if ok)
    for ok, what in results:
        print(("ok - " if ok else "FAIL - ") + what)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
