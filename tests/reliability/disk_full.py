"""The data folder's disk fills up; practica refuses writes clearly and recovers by itself.

The data folder is a small tmpfs (mount -t tmpfs -o size=…, which needs root or CAP_SYS_ADMIN).
practica starts on it, learners sign up, and a filler file then takes every free byte. While the
disk is full:
  - writes (sign-up, sign-in, graded attempts) are either stored (201: SQLite may still have room in pages
    and WAL it already owns) or refused with 503 problem+json and Retry-After — never 500, never a
    crash; and once the free pages are gone, they are refused;
  - reads (catalog, lesson, the learner's progress) keep answering 200, and /api/health too;
  - every attempt acknowledged with 201 is on disk, and `PRAGMA integrity_check` says ok for every
    database in the folder.
Then the filler is deleted and, without a restart, sign-up and attempts succeed again within a few
seconds; the server still exits 0 on SIGTERM.

If mount is not permitted, the script says why and counts that as a failure, unless
PRACTICA_SKIP_DISK_FULL=1 (then it prints the reason and "0 passed, 0 failed" and exits 0).

Usage: PRACTICA_BIN=… python3 tests/reliability/disk_full.py
"""
import errno
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (ARGS, FIXTURES, PASSPHRASE, Checks, Server, bearer, cleanup,  # noqa: E402
                    is_problem, request, signup, signup_many, wait_until)

SIZE = "24m"
LEARNERS = 4
WRITES_WHILE_FULL = 160  # enough to use up the slack and whatever free pages SQLite holds
SLACK = 64 * 1024  # "almost full": what the filler leaves free, so that some writes still fit


def fill(path, slack):
    """Writes zeros to `path` until the file system has no byte left, then gives back `slack`
    bytes; returns the size of the file."""
    written = 0
    chunk = b"\0" * (1 << 20)
    with open(path, "wb", buffering=0) as f:
        for size in (1 << 20, 1 << 12, 1):
            while True:
                try:
                    written += f.write(chunk[:size])
                except OSError as e:
                    if e.errno != errno.ENOSPC:
                        raise
                    break
        f.truncate(max(0, written - slack))
    return max(0, written - slack)


def integrity(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def attempt(port, token, key):
    return request(port, "POST", "/api/exercises/drills.truth/attempts", {"answer": False},
                   {**bearer(token), "Idempotency-Key": key})


def run(checks, mount_point):
    # With an LRS configured, xAPI statements are queued in xapi.db in the same folder (the LRS
    # here never answers, so the outbox only grows).
    server = Server(seed_content=str(FIXTURES), data_dir=mount_point / "data", extra_args=ARGS,
                    env={"PRACTICA_PUBLIC_URL": "https://practica.example.org",
                         "PRACTICA_XAPI_ENDPOINT": "http://127.0.0.1:9/xapi/"}).start()
    filler = mount_point / "filler"
    try:
        port = server.port
        tokens = signup_many(port, [f"full{i}@example.org" for i in range(LEARNERS)])
        for i, token in enumerate(tokens):
            status, _, _ = attempt(port, token, f"before-{i}")
            assert status == 201, status

        filled = fill(filler, SLACK)
        print(f"filler: {filled / 2**20:.1f} MiB; free now: "
              f"{os.statvfs(mount_point).f_bavail * os.statvfs(mount_point).f_frsize} bytes")

        # Writes while full: each one stored or a clear 503, and at least the last ones refused.
        statuses = {}
        bad = []
        acknowledged = {}
        last_refused = []
        example_503 = ""
        for n in range(WRITES_WHILE_FULL):
            stored = 201
            if n % 4 == 0:
                status, headers, body = request(
                    port, "POST", "/api/auth/signup",
                    {"email": f"late{n}@example.org", "password": PASSPHRASE,
                     "display_name": "Late"})
            elif n % 4 == 1:  # a sign-in writes a session
                stored = 200
                status, headers, body = request(
                    port, "POST", "/api/auth/login",
                    {"email": f"full{n % LEARNERS}@example.org", "password": PASSPHRASE})
            else:
                key = f"full-{n}"
                status, headers, body = attempt(port, tokens[n % LEARNERS], key)
                if status == 201:
                    acknowledged[key] = json.loads(body)["attempt_id"]
            statuses[status] = statuses.get(status, 0) + 1
            if status not in (stored, 503) or (status == 503 and not (
                    is_problem(status, headers, body, 503) and "retry-after" in headers)):
                bad.append(f"{status} {headers.get('content-type')} {body[:160]!r}")
            last_refused.append(status == 503)
            if status == 503 and not example_503:
                example_503 = json.loads(body).get("detail", "")
        print(f"writes while full: {statuses}; a 503 says: {example_503!r}")
        checks.check(not bad, "every write while full is stored (200/201) or 503 problem+json with "
                     "Retry-After"
                     + (f"; not so: {bad[:3]}" if bad else ""))
        checks.check(all(last_refused[-20:]),
                     "once SQLite's free pages are used up, writes are refused (the last 20: 503)")
        checks.check(server.proc.poll() is None, "the server is still running")

        reads = [request(port, "GET", path, headers=headers)[0] for path, headers in (
            ("/api/health", {}), ("/api/courses", {}), ("/api/courses/drills", {}),
            ("/api/courses/drills/lessons/basics", bearer(tokens[0])),
            ("/api/me/progress/drills", bearer(tokens[1])), ("/api/me", bearer(tokens[2])))]
        checks.check(reads == [200] * len(reads), f"reads keep working while full: {reads}")

        # Back to normal, without a restart.
        filler.unlink()
        recovered_at = time.monotonic()

        def write_works():
            status, _, _ = attempt(port, tokens[0], f"after-{time.monotonic()}")
            return status == 201

        checks.check(wait_until(write_works, timeout=10, interval=0.25),
                     "attempts are stored again once the filler is deleted "
                     f"({time.monotonic() - recovered_at:.1f} s)")
        status, _, body = signup(port, "after@example.org")[:3]
        checks.check(status == 201, f"sign-up works again: {status} {body[:120]!r}")
        for key, attempt_id in list(acknowledged.items())[:3]:
            n = int(key.split("-")[1])
            status, _, body = attempt(port, tokens[n % LEARNERS], key)
            again = json.loads(body).get("attempt_id") if status == 201 else status
            checks.check(again == attempt_id, f"{key}, acknowledged while full, is answered the "
                                              f"same when retried ({attempt_id}, then {again})")

        db = sqlite3.connect(server.data_dir / "practica.db", timeout=10)
        stored = {row[0] for row in db.execute("SELECT attempt_id FROM attempts")}
        db.close()
        lost = [key for key, attempt_id in acknowledged.items() if attempt_id not in stored]
        checks.check(not lost, f"every attempt acknowledged while full is stored "
                               f"({len(acknowledged)} acknowledged, {len(lost)} missing)")

        # The analytics recorder retries through the outage: every stored attempt reaches
        # analytics.db once there is room again.
        def analytics_caught_up():
            db = sqlite3.connect(server.data_dir / "analytics.db", timeout=10)
            try:
                events = db.execute("SELECT count(*) FROM attempt_events").fetchone()[0]
                return events >= len(stored)
            finally:
                db.close()

        checks.check(wait_until(analytics_caught_up, timeout=40, interval=0.25),
                     f"analytics.db holds an event for each of the {len(stored)} stored attempts")

        # And the xAPI outbox (its LRS never answers, so nothing leaves it) has an "answered"
        # statement for each of them.
        def outbox_caught_up():
            db = sqlite3.connect(server.data_dir / "xapi.db", timeout=10)
            try:
                answered = db.execute("SELECT count(*) FROM outbox WHERE statement LIKE "
                                      "'%/verbs/answered%'").fetchone()[0]
                return answered if answered >= len(stored) else False
            finally:
                db.close()

        queued = wait_until(outbox_caught_up, timeout=10, interval=0.25)
        lost = [e for e in server.log_entries() if "lost" in e.get("msg", "")]
        checks.check(queued and not lost,
                     f"xapi.db queues an answered statement for each of the {len(stored)} stored "
                     f"attempts ({queued}; log lines about lost statements: {lost[:2]})")

        code = server.stop()
        checks.check(code == 0, f"the server exits 0 on SIGTERM (exit code {code})")
        for name in sorted(p.name for p in server.data_dir.glob("*.db")):
            result = integrity(server.data_dir / name)
            checks.check(result == "ok", f"PRAGMA integrity_check of {name}: {result}")
        answered_500 = [e for e in server.log_entries() if e.get("status") == 500]
        checks.check(not answered_500, f"no request answered 500 ({len(answered_500)} did)")
    finally:
        cleanup(checks, server)
        filler.unlink(missing_ok=True)


def main():
    checks = Checks()
    mount_point = Path(tempfile.mkdtemp(prefix="practica-full-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs",
                              str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        reason = (mounted.stderr or mounted.stdout).strip()
        print(f"cannot mount a tmpfs at {mount_point}: {reason} (this test needs root or "
              "CAP_SYS_ADMIN; PRACTICA_SKIP_DISK_FULL=1 skips it)")
        mount_point.rmdir()
        if os.environ.get("PRACTICA_SKIP_DISK_FULL") == "1":
            print("0 passed, 0 failed")
            return 0
        checks.check(False, "a small tmpfs for the data folder can be mounted")
        return checks.report()
    try:
        run(checks, mount_point)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)
        mount_point.rmdir()
    return checks.report()


if __name__ == "__main__":
    sys.exit(main())
