"""What the reliability scripts share: a list of checks that prints "N passed, M failed", small
HTTP helpers over http.client, learners signed up in bulk, a process's resident memory, latency
percentiles, and the environment that keeps AddressSanitizer's quarantine out of memory figures.

The server itself is started through tests/integration/harness.py (harness.Server).
"""
import http.client
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
from harness import Server  # noqa: E402,F401  (re-exported for the scripts)

FIXTURES = Path(__file__).resolve().parents[1] / "integration" / "fixtures"
# Sign-up and sign-in are rate-limited per client address; every test client is 127.0.0.1.
ARGS = ("--auth-rate-per-minute", "1000000", "--cookie-secure", "false")
PASSPHRASE = "reliability passphrase"
JSON = {"Content-Type": "application/json"}


class Checks:
    """Named pass/fail results, printed one a line and summed up at the end."""

    def __init__(self):
        self.results = []

    def check(self, ok, what):
        self.results.append((bool(ok), what))
        print(("ok - " if ok else "FAIL - ") + what, flush=True)
        return bool(ok)

    def report(self):
        passed = sum(1 for ok, _ in self.results if ok)
        print(f"{passed} passed, {len(self.results) - passed} failed", flush=True)
        return 0 if self.results and passed == len(self.results) else 1


def asan_env():
    """ASAN_OPTIONS with quarantine_size_mb=0 added to whatever the environment already says: the
    quarantine holds freed memory for a while, which would read as growth in a memory ceiling.
    Harmless for a build without sanitizers, which ignores the variable."""
    options = [o for o in os.environ.get("ASAN_OPTIONS", "").split(":")
               if o and not o.startswith("quarantine_size_mb=")]
    options.append("quarantine_size_mb=0")
    return {"ASAN_OPTIONS": ":".join(options)}


def request(port, method, path, body=None, headers=None, timeout=10):
    """One request on a fresh connection: (status, lower-cased headers, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = json.dumps(body) if body is not None and not isinstance(body, bytes) else body
        conn.request(method, path, body=payload,
                     headers={**(JSON if body is not None else {}), **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def signup(port, email, timeout=30):
    """Signs a learner up; returns (status, access token or None, body)."""
    status, _, body = request(port, "POST", "/api/auth/signup",
                              {"email": email, "password": PASSPHRASE, "display_name": "Learner"},
                              timeout=timeout)
    token = json.loads(body)["access_token"] if status == 201 else None
    return status, token, body


def signup_many(port, emails, threads=4):
    """Signs every email up from a few threads (Argon2id makes each one slow); returns the tokens
    in the same order. Raises if one fails: the scripts cannot start without their learners."""
    tokens = [None] * len(emails)
    errors = []

    def work(first):
        for i in range(first, len(emails), threads):
            status, token, body = signup(port, emails[i])
            if status != 201:
                errors.append(f"{emails[i]}: {status} {body[:200]!r}")
                return
            tokens[i] = token

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise RuntimeError("sign-up failed: " + "; ".join(errors))
    return tokens


def is_problem(status, headers, body, expected):
    """The answer is `expected` as problem+json with its status in the body."""
    if status != expected or not headers.get("content-type", "").startswith(
            "application/problem+json"):
        return False
    try:
        return json.loads(body).get("status") == expected
    except ValueError:
        return False


def rss_kib(pid, field="VmRSS"):
    """A resident-memory figure of the process's /proc/PID/status in KiB: VmRSS (all of it),
    RssAnon (heap, stacks: what a leak grows) or RssFile (mapped files, such as the SQLite
    databases practica maps with mmap_size, which grow with the data)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for process {pid}")


def sqlite_heap_kib(pid):
    """What SQLite's allocator holds in the process (sqlite3_memory_used(), mostly the page caches
    of its connections), asked through gdb, in KiB; None where gdb is missing or may not attach.
    The caches grow with the data up to their cache_size, which is no leak."""
    import shutil
    import subprocess
    if shutil.which("gdb") is None:
        return None
    try:
        out = subprocess.run(["gdb", "-p", str(pid), "-batch", "-nx",
                              "-ex", "call (long long) sqlite3_memory_used()"],
                             capture_output=True, text=True, timeout=30).stdout
    except subprocess.TimeoutExpired:
        return None
    for line in out.splitlines():
        if line.startswith("$1 = "):
            return int(line.split("=")[1]) // 1024
    return None


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def wait_until(predicate, timeout, interval=0.1):
    """Polls until predicate() is true or timeout seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def raise_open_files(wanted):
    """Raises this process's soft RLIMIT_NOFILE to `wanted` (at most the hard limit); servers
    started afterwards inherit it. Returns the soft limit now in force."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def soak_seconds(short):
    """How long a load runs: SOAK_MINUTES (make soak) if set, else `short` seconds (make test)."""
    minutes = os.environ.get("SOAK_MINUTES")
    return float(minutes) * 60 if minutes else float(short)


class Clients:
    """Ordinary clients in threads, each looping over `requests` (a list of (method, path, body,
    headers)) on one keep-alive connection until stop() — the traffic a test measures while it
    misbehaves elsewhere. Records every latency and every failure (an exception or a status
    other than the expected one)."""

    def __init__(self, port, requests, threads=4, expected=200, timeout=10):
        self.port, self.requests, self.expected, self.timeout = port, requests, expected, timeout
        self.latencies = []
        self.failures = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True)
                         for i in range(threads)]

    def start(self):
        for t in self._threads:
            t.start()
        return self

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join()

    def _run(self, first):
        conn = None
        i = first
        while not self._stop.is_set():
            method, path, body, headers = self.requests[i % len(self.requests)]
            i += 1
            started = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                conn.request(method, path, body=body, headers=headers or {})
                response = conn.getresponse()
                response.read()
                elapsed = time.monotonic() - started
                with self._lock:
                    self.latencies.append(elapsed)
                    if response.status != self.expected:
                        self.failures.append(f"{method} {path}: {response.status}")
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as e:
                with self._lock:
                    self.failures.append(f"{method} {path}: {type(e).__name__}: {e}")
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()


def cleanup(checks, server):
    """Stops the server and removes its files; a sanitizer report in its output (harness.Server
    raises on one) is a failed check rather than a traceback."""
    try:
        server.cleanup()
    except AssertionError as e:
        checks.check(False, f"no sanitizer report from the server: {str(e)[:2000]}")
