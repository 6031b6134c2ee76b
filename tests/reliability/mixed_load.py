"""Mixed load for a while: many learners reading, answering and signing in; nothing fails, every
acknowledged attempt is stored once, and the server's memory levels off.

LEARNERS accounts sign up; then WORKERS threads, for DURATION seconds, each pick a learner and an
action at random:
  - reads (60 %): the catalog, the course, its lesson, the learner's progress;
  - a graded attempt with a fresh Idempotency-Key (30 %), on exercises without an attempt limit;
    now and then a key already acknowledged is sent again, and must get the same attempt back;
  - a sign-in (10 %; Argon2id, on the blocking pool).
Checks:
  - no 5xx (nor any other unexpected status) and no failed connection;
  - every acknowledged attempt is in practica.db exactly once, and nothing else is;
  - a retried key always answers with the attempt it first acknowledged;
  - memory ceiling: server VmRSS at the end (the peak of the last WINDOW seconds) is less than
    10 % above VmRSS after the warm-up (the peak of the WINDOW seconds after the first WARMUP).
    The server runs with ASAN_OPTIONS quarantine_size_mb=0 added, so that an AddressSanitizer
    build's quarantine of freed memory does not read as growth; what SQLite's page caches grew
    with the data (bounded by their cache_size; read through gdb where it can attach) is taken off.

make test runs it for 50 s; make soak for SOAK_MINUTES.
Prints the throughput, latency percentiles and the RSS series, then "N passed, M failed"; exits
non-zero on failure.

Usage: PRACTICA_BIN=… [SOAK_MINUTES=10] python3 tests/reliability/mixed_load.py [LEARNERS]
"""
import http.client
import json
import random
import sqlite3
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (ARGS, FIXTURES, PASSPHRASE, Checks, Server, asan_env, cleanup,  # noqa: E402
                    percentile, rss_kib, signup_many, soak_seconds, sqlite_heap_kib)

LEARNERS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
WORKERS = 8
DURATION = max(30.0, soak_seconds(50))  # room for the warm-up and both windows
WARMUP = max(15.0, DURATION * 0.1)
WINDOW = max(10.0, DURATION * 0.1)  # seconds of RSS samples whose peak is compared
GROWTH_LIMIT = 0.10
# Exercises without an attempt limit, with an answer each (right or wrong, both are graded).
ANSWERS = {"drills.truth": [{"answer": False}, {"answer": True}],
           "drills.pick-mean": [{"answer": "a"}, {"answer": "b"}],
           "drills.primes": [{"answer": ["a", "c", "d"]}, {"answer": ["b"]}]}


class Load:
    def __init__(self, port, emails, tokens):
        self.port, self.emails, self.tokens = port, emails, tokens
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.statuses = Counter()       # (action, status) → count
        self.unexpected = []            # descriptions of failures
        self.latencies = {}             # action → [seconds]
        self.acknowledged = {}          # key → attempt id
        self.retries = 0
        self.retries_differing = []

    def record(self, action, status, elapsed, expected):
        with self.lock:
            self.statuses[(action, status)] += 1
            self.latencies.setdefault(action, []).append(elapsed)
            if status != expected:
                self.unexpected.append(f"{action}: {status}")

    def call(self, conn, action, method, path, body, headers, expected):
        started = time.monotonic()
        conn.request(method, path, body=json.dumps(body) if body is not None else None,
                     headers={**({"Content-Type": "application/json"} if body else {}),
                              **headers})
        response = conn.getresponse()
        data = response.read()
        self.record(action, response.status, time.monotonic() - started, expected)
        return response.status, data

    def worker(self, seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        n = 0
        while not self.stop.is_set():
            learner = rng.randrange(len(self.tokens))
            auth = {"Authorization": f"Bearer {self.tokens[learner]}"}
            roll = rng.random()
            try:
                if roll < 0.6:
                    path = rng.choice(["/api/courses", "/api/courses/drills",
                                       "/api/courses/drills/lessons/basics",
                                       "/api/me/progress/drills"])
                    self.call(conn, "read", "GET", path, None,
                              auth if "/me/" in path or "lessons" in path else {}, 200)
                elif roll < 0.9:
                    self.attempt(conn, rng, seed, n, learner, auth)
                else:
                    self.call(conn, "login", "POST", "/api/auth/login",
                              {"email": self.emails[learner], "password": PASSPHRASE}, {}, 200)
            except (OSError, http.client.HTTPException) as e:
                with self.lock:
                    self.unexpected.append(f"connection: {type(e).__name__}: {e}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            n += 1
        conn.close()

    def attempt(self, conn, rng, seed, n, learner, auth):
        retry = None
        with self.lock:
            if self.acknowledged and rng.random() < 0.05:
                retry = rng.choice(list(self.acknowledged))
        if retry is not None:
            # The key names its learner and exercise: the same request again.
            _, owner, exercise, choice, _ = retry.split("|")
            key, learner = retry, int(owner)
            auth = {"Authorization": f"Bearer {self.tokens[learner]}"}
        else:
            exercise = rng.choice(list(ANSWERS))
            choice = rng.randrange(2)
            key = f"mixed|{learner}|{exercise}|{choice}|{seed}-{n}"
        status, data = self.call(conn, "attempt", "POST", f"/api/exercises/{exercise}/attempts",
                                 ANSWERS[exercise][int(choice)], {**auth, "Idempotency-Key": key},
                                 201)
        if status != 201:
            return
        attempt_id = json.loads(data)["attempt_id"]
        with self.lock:
            if retry is None:
                self.acknowledged[key] = attempt_id
                return
            self.retries += 1
            if self.acknowledged[key] != attempt_id:
                self.retries_differing.append(f"{key}: {self.acknowledged[key]}, then {attempt_id}")


def main():
    checks = Checks()
    server = Server(seed_content=str(FIXTURES), extra_args=ARGS, env=asan_env()).start()
    try:
        pid = server.proc.pid
        emails = [f"mixed{i}@example.org" for i in range(LEARNERS)]
        signing_up = time.monotonic()
        tokens = signup_many(server.port, emails)
        print(f"{LEARNERS} learners signed up in {time.monotonic() - signing_up:.1f} s")

        load = Load(server.port, emails, tokens)
        workers = [threading.Thread(target=load.worker, args=(i,)) for i in range(WORKERS)]
        started = time.monotonic()
        for w in workers:
            w.start()
        rss = []  # (seconds since start, VmRSS KiB, RssAnon KiB)
        sqlite_after_warmup = None
        while time.monotonic() - started < DURATION:
            time.sleep(0.25)
            rss.append((time.monotonic() - started, rss_kib(pid), rss_kib(pid, "RssAnon")))
            if sqlite_after_warmup is None and rss[-1][0] >= WARMUP + WINDOW:
                sqlite_after_warmup = sqlite_heap_kib(pid) or 0
        sqlite_at_end = sqlite_heap_kib(pid)
        load.stop.set()
        for w in workers:
            w.join()
        elapsed = time.monotonic() - started

        total = sum(load.statuses.values())
        print(f"{total} requests in {elapsed:.0f} s ({total / elapsed:.0f}/s) from {WORKERS} "
              f"workers over {LEARNERS} learners: {dict(sorted(load.statuses.items()))}")
        for action, values in sorted(load.latencies.items()):
            print(f"  {action}: p50 {percentile(values, 0.5) * 1000:.1f} ms, "
                  f"p99 {percentile(values, 0.99) * 1000:.1f} ms, "
                  f"max {max(values) * 1000:.1f} ms")
        server_errors = sum(c for (_, status), c in load.statuses.items() if status >= 500)
        checks.check(server_errors == 0, f"no 5xx ({server_errors})")
        checks.check(not load.unexpected, f"no unexpected status or failed connection "
                                          f"({len(load.unexpected)}: {load.unexpected[:3]})")
        checks.check(load.retries > 0 and not load.retries_differing,
                     f"{load.retries} retried keys answered with the attempt first acknowledged"
                     + (f"; not: {load.retries_differing[:2]}" if load.retries_differing else ""))

        db = sqlite3.connect(server.data_dir / "practica.db", timeout=30)
        rows = [row[0] for row in db.execute("SELECT attempt_id FROM attempts")]
        db.close()
        acknowledged = set(load.acknowledged.values())
        checks.check(len(rows) == len(set(rows)), f"no attempt stored twice ({len(rows)} rows)")
        checks.check(set(rows) == acknowledged,
                     f"the stored attempts are exactly the {len(acknowledged)} acknowledged "
                     f"({len(acknowledged - set(rows))} missing, "
                     f"{len(set(rows) - acknowledged)} unacknowledged)")

        # Each Argon2id hash takes and gives back ~19 MiB, so single samples swing by tens of MiB
        # with the sign-ins in flight; compare the peaks of a window after the warm-up and of the
        # last window instead. VmRSS also counts the pages of the SQLite files practica maps
        # (mmap_size), which grow with the data by design: RssAnon, the heap and stacks, is what
        # a leak would grow, and is checked too.
        def peaks(column):
            after = max(s[column] for s in rss if WARMUP <= s[0] < WARMUP + WINDOW)
            end = max(s[column] for s in rss if s[0] >= rss[-1][0] - WINDOW)
            return after, end, (end - after) / after

        step = max(1, len(rss) // 12)
        print("server VmRSS / RssAnon (MiB) by second: " + ", ".join(
            f"{t:.0f}:{kib / 1024:.1f}/{anon / 1024:.1f}" for t, kib, anon in rss[::step]))
        # SQLite's page caches grow with the database up to their cache_size (32 MiB a
        # connection): over a soak of many minutes that alone passes 10 %. What they grew (read
        # through gdb where it may attach) is taken off the end figure.
        cache_growth = 0
        if sqlite_at_end is not None and sqlite_after_warmup:
            cache_growth = sqlite_at_end - sqlite_after_warmup
            print(f"SQLite's heap: {sqlite_after_warmup / 1024:.1f} MiB after the warm-up, "
                  f"{sqlite_at_end / 1024:.1f} MiB at the end")
        else:
            print("SQLite's heap cannot be read (no gdb, or it may not attach): raw figures")
        for column, name in ((1, "VmRSS"), (2, "RssAnon")):
            after_warmup, at_end, _ = peaks(column)
            growth = (at_end - cache_growth - after_warmup) / after_warmup
            checks.check(growth < GROWTH_LIMIT,
                         f"server {name} peak {after_warmup / 1024:.1f} MiB in the {WINDOW:.0f} s "
                         f"after the {WARMUP:.0f} s warm-up, {at_end / 1024:.1f} MiB in the last "
                         f"{WINDOW:.0f} s, less {cache_growth / 1024:.1f} MiB of SQLite cache: "
                         f"{growth:+.1%} (< {GROWTH_LIMIT:.0%})")
        checks.check(server.proc.poll() is None and server.stop() == 0,
                     "the server is still running, and exits 0 on SIGTERM")
    finally:
        cleanup(checks, server)
    return checks.report()


if __name__ == "__main__":
    sys.exit(main())
