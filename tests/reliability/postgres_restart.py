"""PostgreSQL stops and starts again under load, then its password rotates; practica keeps running.

Runs inside tests/services/run_with.py --postgres --moto (ctest does that). practica keeps users
in PostgreSQL, found through an RDS secret in Secrets Manager (PRACTICA_USER_STORE=postgres:secret:ID,
as on AWS), and everything else in SQLite. Learners sign up; a few threads then call GET /api/me
(one user-store read each) without pause, one polls /api/ready and one the course catalog (SQLite),
while this script

  1. stops PostgreSQL ($PRACTICA_TEST_POSTGRES_CTL stop -m fast), keeps the load going for a few
     seconds, and starts it again: while it is down, every call that needs a user must fail fast
     (p99 well under a second) with 503 problem+json and Retry-After, never 500 and never hang;
     /api/ready must say 503 within a second or two of the stop and 200 within a second or two of
     the start; afterwards the calls succeed again without a restart of practica, a refresh token
     that a call during the outage failed to rotate still works, and sign-in works;
  2. rotates the database password as Secrets Manager's rotation does (ALTER ROLE, then
     PutSecretValue) and ends practica's sessions, more than 30 s after practica read the secret
     (aws::CachedSecret reads it again at most that often): practica must pick up the new password
     by reading the secret again, within a second or two, answering 503 (never 500) until then.

Prints one line per check and "N passed, M failed"; exits non-zero on failure.

Usage: PRACTICA_BIN=… python3 tests/services/run_with.py --postgres --moto -- \
           python3 tests/reliability/postgres_restart.py
"""
import http.client
import json
import os
import secrets
import shlex
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from harness import BIN, Server, check_sanitizers  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "integration" / "fixtures"
ARGS = ("--auth-rate-per-minute", "1000000", "--cookie-secure", "false")
LEARNERS = 8
LOAD_THREADS = 4
OUTAGE_SECONDS = 4.0
FAST = 1.0            # seconds: "fails fast" means every failure within this
TRANSITION = 2.0      # seconds: /api/ready tells the truth this soon after a stop or a start
SECRET_MIN_REFRESH = 30.0  # seconds: aws::CachedSecret's default, which StoreFactory uses
ROTATION_LIMIT = 10.0
PASSPHRASE = "restart passphrase"
REREAD_MESSAGE = "PostgreSQL refused the credentials of the secret; re-read it (rate-limited)"


def psql(sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", os.environ["PRACTICA_TEST_POSTGRES_URL"],
                    "-c", sql], check=True, capture_output=True, text=True)


def pg_ctl(*args):
    command = shlex.split(os.environ["PRACTICA_TEST_POSTGRES_CTL"]) + list(args)
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class Database:
    """A database and a login role of its own, and the RDS secret that names them."""

    def __init__(self):
        import boto3
        server = urllib.parse.urlparse(os.environ["PRACTICA_TEST_POSTGRES_URL"])
        self.name = f"restart_{os.getpid()}"
        self.role = f"app_{os.getpid()}"
        self.password = secrets.token_hex(12)
        self.host, self.port = server.hostname, server.port
        psql(f"CREATE ROLE {self.role} LOGIN PASSWORD '{self.password}'")
        psql(f'CREATE DATABASE "{self.name}" OWNER {self.role}')
        self.secrets = boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"],
                                    endpoint_url=os.environ["AWS_ENDPOINT_URL_SECRETS_MANAGER"])
        self.secrets.create_secret(Name=self.name, SecretString=self.secret())

    def secret(self):
        return json.dumps({"engine": "postgres", "host": self.host, "port": self.port,
                           "username": self.role, "password": self.password,
                           "dbname": self.name})

    def rotate(self):
        """What a single-user rotation does: the database's password, then the secret."""
        self.password = secrets.token_hex(12)
        psql(f"ALTER ROLE {self.role} PASSWORD '{self.password}'")
        self.secrets.put_secret_value(SecretId=self.name, SecretString=self.secret())

    def end_sessions(self):
        psql(f"SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
             f"WHERE usename = '{self.role}'")


class Call:
    """One HTTP exchange: when it started and ended (monotonic), and what came back."""

    def __init__(self, started, ended, status, headers, body, error=None):
        self.started, self.ended = started, ended
        self.status, self.headers, self.body, self.error = status, headers, body, error

    @property
    def seconds(self):
        return self.ended - self.started

    def problem_with_retry_after(self):
        try:
            problem = json.loads(self.body)
        except ValueError:
            return False
        return (self.headers.get("content-type", "").startswith("application/problem+json")
                and problem.get("status") == self.status and "retry-after" in self.headers)


def call(port, method, path, body=None, headers=None, timeout=10):
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        hdrs = dict(headers or {})
        if body is not None:
            hdrs["Content-Type"] = "application/json"
            body = json.dumps(body)
        conn.request(method, path, body=body, headers=hdrs)
        response = conn.getresponse()
        data = response.read()
        return Call(started, time.monotonic(), response.status,
                    {k.lower(): v for k, v in response.getheaders()}, data)
    except OSError as error:  # includes timeouts: a hang
        return Call(started, time.monotonic(), None, {}, b"", error=repr(error))
    finally:
        conn.close()


class Learner:
    def __init__(self, port, index):
        self.port = port
        self.email = f"restart{index}@example.org"
        self.cookie = None
        self.token = None
        self.take(call(port, "POST", "/api/auth/signup",
                       {"email": self.email, "password": PASSPHRASE,
                        "display_name": f"Learner {index}"}), 201)

    def take(self, response, expected):
        assert response.status == expected, (response.status, response.body, response.error)
        set_cookie = response.headers.get("set-cookie")
        if set_cookie:
            self.cookie = set_cookie.split(";", 1)[0].split("=", 1)[1] or None
        self.token = json.loads(response.body)["access_token"]

    def refresh(self):
        response = call(self.port, "POST", "/api/auth/refresh", {},
                        {"Cookie": f"practica_refresh={self.cookie}"})
        if response.status == 200:
            self.take(response, 200)
        return response

    def me(self):
        return call(self.port, "GET", "/api/me", headers={"Authorization": f"Bearer {self.token}"})


class Recorder:
    """Threads that call one thing over and over and keep every Call."""

    def __init__(self):
        self.calls = {}
        self.stop = threading.Event()
        self.threads = []
        self.lock = threading.Lock()

    def run(self, name, make_call, pause):
        self.calls.setdefault(name, [])

        def loop():
            while not self.stop.is_set():
                result = make_call()
                with self.lock:
                    self.calls[name].append(result)
                time.sleep(pause)

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        self.threads.append(thread)

    def between(self, name, start, end):
        """The calls of `name` that started at or after `start` and ended by `end`."""
        with self.lock:
            return [c for c in self.calls[name] if c.started >= start and c.ended <= end]

    def first_after(self, name, moment, status):
        with self.lock:
            for c in sorted(self.calls[name], key=lambda c: c.started):
                if c.started >= moment and c.status == status:
                    return c
        return None

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def main():
    results = []

    def check(ok, what):
        results.append((bool(ok), what))
        print(("ok - " if ok else "FAIL - ") + what, flush=True)

    database = Database()
    spec = f"postgres:secret:{database.name}"
    server = Server(seed_content=str(FIXTURES), extra_args=(*ARGS, "--user-store", spec))
    recorder = Recorder()
    try:
        migrated = subprocess.run([BIN, "migrate", "--data-dir", str(server.data_dir),
                                   "--user-store", spec],
                                  check=True, capture_output=True, text=True, timeout=60)
        check_sanitizers("practica migrate", migrated.stderr)
        server.start()
        secret_read = time.monotonic()  # start-up read the secret (PostgresUserStore::Open)
        port = server.port
        learners = [Learner(port, i) for i in range(LEARNERS)]
        patient = learners[0]  # refreshes during the outage, and again after it

        for t in range(LOAD_THREADS):
            group = learners[t::LOAD_THREADS]
            counter = iter(range(1 << 62))
            recorder.run("me", lambda g=group, c=counter: g[next(c) % len(g)].me(), 0.005)
        recorder.run("ready", lambda: call(port, "GET", "/api/ready"), 0.05)
        recorder.run("catalog", lambda: call(port, "GET", "/api/courses"), 0.1)

        # Phase 1: the database stops and starts again. ----------------------------------------
        warm_from = time.monotonic()
        time.sleep(2)
        stop_began = time.monotonic()
        warm = recorder.between("me", warm_from, stop_began)
        check(warm and all(c.status == 200 for c in warm),
              f"before the stop, {len(warm)} GET /api/me all answered 200")
        pg_ctl("stop", "-m", "fast", "-w", "-s")
        down = time.monotonic()
        print(f"# PostgreSQL stopped in {down - stop_began:.2f} s", flush=True)
        time.sleep(OUTAGE_SECONDS / 2)
        refresh_during_outage = patient.refresh()
        time.sleep(OUTAGE_SECONDS / 2)
        start_began = time.monotonic()
        pg_ctl("start", "-w", "-t", "60", "-s")
        up = time.monotonic()
        print(f"# PostgreSQL started in {up - start_began:.2f} s", flush=True)
        time.sleep(4)
        settled = time.monotonic()

        outage = recorder.between("me", down, start_began)
        latencies = [c.seconds for c in outage]
        print(f"# during the outage: {len(outage)} GET /api/me, latency p50 "
              f"{percentile(latencies, 0.5) * 1000:.1f} ms, p99 "
              f"{percentile(latencies, 0.99) * 1000:.1f} ms, max "
              f"{max(latencies, default=0) * 1000:.1f} ms", flush=True)
        check(len(outage) >= 20, f"the load kept going while PostgreSQL was down ({len(outage)} calls)")
        check(all(c.status == 503 for c in outage),
              "while down, every GET /api/me answered 503 "
              f"(statuses seen: {sorted({c.status for c in outage}, key=str)})")
        check(all(c.problem_with_retry_after() for c in outage),
              "while down, every 503 is problem+json with Retry-After")
        check(percentile(latencies, 0.99) < FAST / 4 and max(latencies, default=0) < FAST,
              f"while down, calls fail fast (p99 {percentile(latencies, 0.99) * 1000:.1f} ms, "
              f"max {max(latencies, default=0) * 1000:.1f} ms; limits {FAST * 250:.0f} and "
              f"{FAST * 1000:.0f} ms)")
        check(refresh_during_outage.status == 503
              and refresh_during_outage.problem_with_retry_after(),
              f"a refresh during the outage answered {refresh_during_outage.status} with "
              "Retry-After")

        ready_down = recorder.first_after("ready", stop_began, 503)
        check(ready_down is not None and ready_down.ended - down < TRANSITION,
              "/api/ready said 503 "
              + (f"{ready_down.ended - stop_began:.2f} s after pg_ctl stop began (which took "
                 f"{down - stop_began:.2f} s)" if ready_down else "never"))
        ready_while_down = recorder.between("ready", down, start_began)
        check(ready_while_down and all(c.status == 503 for c in ready_while_down),
              f"/api/ready answered 503 all through the outage ({len(ready_while_down)} polls)")
        ready_up = recorder.first_after("ready", up, 200)
        check(ready_up is not None and ready_up.ended - up < TRANSITION,
              "/api/ready said 200 "
              + (f"{ready_up.ended - up:.2f} s after PostgreSQL accepted connections again"
                 if ready_up else "never"))
        me_up = recorder.first_after("me", up, 200)
        recovered = me_up.ended - up if me_up else None
        check(me_up is not None and recovered < TRANSITION,
              "GET /api/me succeeded again "
              + (f"{recovered:.2f} s after PostgreSQL accepted connections again "
                 f"({me_up.ended - start_began:.2f} s after pg_ctl start began)"
                 if me_up else "never"))
        if me_up:
            after = recorder.between("me", me_up.ended, settled)
            check(after and all(c.status == 200 for c in after),
                  f"after recovering, {len(after)} GET /api/me all answered 200")
        if ready_up:
            after = recorder.between("ready", ready_up.ended, settled)
            check(all(c.status == 200 for c in after), "/api/ready stayed 200 after recovering")

        catalog = recorder.between("catalog", warm_from, settled)
        check(catalog and all(c.status == 200 for c in catalog),
              f"the catalog (SQLite) answered 200 all along ({len(catalog)} calls)")

        refreshed = patient.refresh()
        check(refreshed.status == 200,
              f"the refresh token the outage failed to rotate still works ({refreshed.status})")
        check(patient.me().status == 200, "its new access token works")
        login = call(port, "POST", "/api/auth/login",
                     {"email": learners[1].email, "password": PASSPHRASE})
        check(login.status == 200, f"signing in works after the restart ({login.status})")

        # Phase 2: the password rotates. --------------------------------------------------------
        # Past CachedSecret's 30 s since start-up, the first refusal reads the secret at once, as
        # it would for a rotation days after start-up. (Sooner, practica fails fast until then.)
        time.sleep(max(0.0, secret_read + SECRET_MIN_REFRESH + 1 - time.monotonic()))
        database.rotate()
        database.end_sessions()
        sessions_ended = time.monotonic()
        me_rotated = None
        while me_rotated is None and time.monotonic() < sessions_ended + ROTATION_LIMIT:
            time.sleep(0.1)
            me_rotated = recorder.first_after("me", sessions_ended, 200)
        time.sleep(2)
        finished = time.monotonic()
        failed = [c for c in recorder.between("me", sessions_ended,
                                              me_rotated.started if me_rotated else finished)
                  if c.status != 200]
        check(me_rotated is not None and me_rotated.ended - sessions_ended < TRANSITION,
              "GET /api/me succeeded with the rotated password "
              + (f"{me_rotated.ended - sessions_ended:.2f} s after practica's sessions ended "
                 f"({len(failed)} calls failed before)" if me_rotated
                 else f"not within {ROTATION_LIMIT:.0f} s"))
        check(all(c.status == 503 and c.problem_with_retry_after() for c in failed),
              "calls that failed meanwhile answered 503 with Retry-After "
              f"(statuses seen: {sorted({c.status for c in failed}, key=str)})")
        if me_rotated:
            after = recorder.between("me", me_rotated.ended, finished)
            check(after and all(c.status == 200 for c in after),
                  f"after the re-read, {len(after)} GET /api/me all answered 200")
        rereads = [e for e in server.log_entries() if e.get("msg") == REREAD_MESSAGE]
        check(any(e.get("changed") is True for e in rereads),
              f"practica logged re-reading the secret and finding it changed ({len(rereads)} "
              "re-read requests logged)")
        logged = "".join(server.lines)
        check(database.password not in logged and "postgresql://" not in logged,
              "no password and no connection URL in practica's log")
    finally:
        recorder.finish()
        server.cleanup()

    everything = [c for calls in recorder.calls.values() for c in calls]
    hung = [c for c in everything if c.error]
    check(not hung, f"no call hung or lost its connection ({len(hung)}: "
                    f"{hung[0].error if hung else ''})")
    check(not any(c.status == 500 for c in everything),
          f"no 500 in {len(everything)} calls")
    passed = sum(1 for ok, _ in results if ok)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
