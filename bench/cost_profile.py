#!/usr/bin/env python3
"""What one learner session costs in AWS resources, measured on the AWS data tier's stand-ins.

Runs the release `practica` with content and progress in DynamoDB (dynalite, which computes
consumed capacity by DynamoDB's rules) and users in a throw-away PostgreSQL, behind a small
proxy that asks every DynamoDB call for its ConsumedCapacity and adds it up. Learners then work
through typical sessions of the demo course (docs/COST.md, "The session"), and the script prints,
per session: API requests, response bytes, DynamoDB read and write request units, DynamoDB round
trips, the server's CPU time and the bytes of log it writes. scripts/cost-estimate turns these figures into money.

Usage: bench/cost_profile.py [--learners 20] [--out docs/cost/usage.json]
(re-runs itself under tests/services/run_with.py --dynalite --postgres)
"""
import argparse
import http.client
import http.server
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READS = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


class Capacity:
    """DynamoDB request units and round trips, by kind, since the last take()."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.read_units = self.write_units = 0.0
        self.calls = {}

    def add(self, operation, units):
        with self.lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1
            if operation in WRITES:
                self.write_units += units
            else:
                self.read_units += units

    def take(self):
        with self.lock:
            taken = {"read_units": self.read_units, "write_units": self.write_units,
                     "calls": dict(self.calls)}
            self.reset()
            return taken


def start_proxy(upstream, capacity):
    """An HTTP proxy to DynamoDB that adds ReturnConsumedCapacity=TOTAL to each call it can."""
    target = urllib.parse.urlsplit(upstream)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
            counted = operation in READS or operation in WRITES
            if counted:
                request = json.loads(body)
                request.setdefault("ReturnConsumedCapacity", "TOTAL")
                body = json.dumps(request).encode()
            # dynalite checks that a request is signed, not the signature: the changed body passes.
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("content-length", "host", "connection")}
            upstream_conn = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            upstream_conn.request("POST", self.path, body=body, headers=headers)
            reply = upstream_conn.getresponse()
            data = reply.read()
            if counted and reply.status == 200:
                consumed = json.loads(data).get("ConsumedCapacity", [])
                if isinstance(consumed, dict):
                    consumed = [consumed]
                capacity.add(operation, sum(c.get("CapacityUnits", 0) for c in consumed))
            elif counted:
                capacity.add(operation, 0)
            self.send_response(reply.status)
            for key, value in reply.getheaders():
                if key.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            upstream_conn.close()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Client:
    """One learner's connection; counts requests and the bytes of each response."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.token = None
        self.cookie = None
        self.requests = 0
        self.bytes = 0
        self.next_lesson = 0
        self.finished = set()  # exercises answered right or out of tries

    def call(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            self.conn.request(method, path, body=body, headers=headers)
            reply = self.conn.getresponse()
        except (ConnectionError, http.client.RemoteDisconnected):
            # The server closed the connection while this learner was idle: connect again.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            reply = self.conn.getresponse()
        data = reply.read()
        self.requests += 1
        # What leaves the server: the body and the header block as sent.
        self.bytes += len(data) + sum(len(k) + len(v) + 4 for k, v in reply.getheaders()) + 17
        for key, value in reply.getheaders():
            if key.lower() == "set-cookie" and value.startswith("practica_refresh="):
                self.cookie = value.split(";", 1)[0]
        if reply.status >= 500:
            raise RuntimeError(f"{method} {path}: {reply.status} {data[:200]!r}")
        return reply.status, (json.loads(data) if data and data[:1] in b"{[" else None)


def answer_for(exercise, rng):
    """A well-formed answer, right or wrong as chance has it (grading costs the same)."""
    kind = exercise["type"]
    options = [o["id"] for o in exercise.get("options", [])]
    if kind == "single_choice":
        return rng.choice(options)
    if kind == "multiple_choice":
        return rng.sample(options, max(1, len(options) // 2))
    if kind == "true_false":
        return rng.random() < 0.5
    if kind == "numeric":
        return rng.choice([1, 7, 42, 3.5])
    if kind == "ordering":
        items = [i["id"] for i in exercise.get("items", [])]
        rng.shuffle(items)
        return items
    if kind == "matching":
        left = [i["id"] for i in exercise.get("left", [])]
        right = [i["id"] for i in exercise.get("right", [])]
        rng.shuffle(right)
        return dict(zip(left, right))
    if kind == "cloze":
        return [rng.choice(gap["options"]) if gap.get("options") else "a word"
                for gap in exercise.get("gaps", [])]
    if kind == "formula":
        return " + ".join(exercise.get("variables") or ["1"]) + " * 2"
    return "An answer in a few words."


def session(client, course, lessons, rng, attempts_log):
    """One study session: back in (refresh), home page data, two or three lessons with their
    exercises (a second try when the first was wrong and tries are left), the review queue."""
    status, body = client.call("POST", "/api/auth/refresh", body={})
    if status == 200:
        client.token = body["access_token"]
    client.call("GET", "/api/me")
    client.call("GET", "/api/me/progress")
    client.call("GET", "/api/courses")
    client.call("GET", f"/api/courses/{course}")
    client.call("GET", f"/api/me/progress/{course}")
    done = []
    for _ in range(rng.choice([2, 3])):
        # On through the course where the last session stopped; back to the start at its end.
        lesson = lessons[client.next_lesson % len(lessons)]
        client.next_lesson += 1
        _, page = client.call("GET", f"/api/courses/{course}/lessons/{lesson}")
        for exercise in page["exercises"]:
            if exercise["ref"] in client.finished:
                continue  # the web app shows the result; there is nothing to submit
            for _ in range(2):  # a second try after a wrong answer
                status, result = client.call(
                    "POST", f"/api/exercises/{exercise['ref']}/attempts",
                    body={"answer": answer_for(exercise, rng), "time_taken_ms": 20000},
                    headers={"Idempotency-Key": f"k{rng.getrandbits(64):x}"})
                attempts_log.append((status, exercise["type"], (result or {}).get("detail")))
                done.append(exercise["ref"])
                if status != 201 or result.get("correct") or result.get("attempts_left") == 0:
                    client.finished.add(exercise["ref"])
                    break
    # The review queue, and three cards rated (in a fresh bench few are due yet, so the cards
    # rated are exercises of this session: the same reads and writes as due ones).
    _, reviews = client.call("GET", "/api/me/reviews")
    refs = [item["ref"] for item in (reviews or {}).get("items", [])][:3] or done[:3]
    for ref in refs:
        status, _ = client.call("POST", f"/api/me/reviews/{ref}", body={"rating": "good"})
        attempts_log.append((status, "review", None))


def web_app_bytes():
    """What a browser downloads of web/dist (compressed, as CloudFront serves it): the page and
    the files it names on a first visit; the page alone on a later one (the hashed assets stay
    in the browser's cache)."""
    dist = ROOT / "web/dist"
    if not (dist / "index.html").exists():
        return None

    def served(path):
        for suffix in (".br", ".gz", ""):
            if Path(str(path) + suffix).exists():
                return os.path.getsize(str(path) + suffix)
        return 0

    page = (dist / "index.html").read_text()
    named = sorted(set(re.findall(r'(?:src|href)="/(assets/[^"]+)"', page)))
    return {"first_visit_requests": 1 + len(named),
            "first_visit_bytes": served(dist / "index.html") + sum(served(dist / n) for n in named),
            "later_visit_requests": 1,
            "later_visit_bytes": served(dist / "index.html")}


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=2, help="per learner")
    parser.add_argument("--out", help="also write the figures to this JSON file")
    args = parser.parse_args()
    if "PRACTICA_TEST_POSTGRES_URL" not in os.environ:
        os.execvp(sys.executable, [sys.executable, str(ROOT / "tests/services/run_with.py"),
                                   "--dynalite", "--postgres", "--", sys.executable,
                                   *sys.argv])
    binary = Path(os.environ.get("PRACTICA_BIN", ROOT / "build/release/src/practica"))
    if not binary.exists():
        sys.exit("bench: build the release first (make build-release)")

    capacity = Capacity()
    proxy = start_proxy(os.environ["AWS_ENDPOINT_URL_DYNAMODB"], capacity)
    env = dict(os.environ, AWS_ENDPOINT_URL_DYNAMODB=f"http://127.0.0.1:{proxy.server_port}")
    stores = ["--content-store", "dynamodb:cost", "--progress-store", "dynamodb:cost",
              "--user-store", "postgres:" + os.environ["PRACTICA_TEST_POSTGRES_URL"]]
    with tempfile.TemporaryDirectory(prefix="practica-cost-") as work:
        subprocess.run([binary, "migrate", "--data-dir", work, *stores], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        log = open(Path(work) / "log", "w+")
        server = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0", "--data-dir", work, "--web-root",
             str(Path(work) / "none"), "--seed-content", str(ROOT / "content"),
             "--cookie-secure", "false", "--auth-rate-per-minute", "1000000", *stores],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            port = None
            for _ in range(300):
                log.seek(0)
                for line in log:
                    if '"msg":"listening"' in line:
                        port = json.loads(line)["port"]
                if port:
                    break
                time.sleep(0.1)
            if not port:
                sys.exit("bench: the server did not start:\n" + Path(log.name).read_text())
            rng = random.Random(7)
            clients = []
            for i in range(args.learners):
                client = Client(port)
                _, body = client.call("POST", "/api/auth/signup", body={
                    "email": f"cost{i}@example.org", "password": "a cost bench passphrase",
                    "display_name": f"Learner {i}"})
                client.token = body["access_token"]
                clients.append(client)
            _, courses = clients[0].call("GET", "/api/courses")
            course = courses["items"][0]["slug"]
            _, outline = clients[0].call("GET", f"/api/courses/{course}")
            lessons = [lesson["slug"] for lesson in outline["lessons"]]
            # Warm: the first session of each learner fills caches and progress items once.
            for client in clients:
                session(client, course, lessons, rng, [])
            capacity.take()
            for client in clients:
                client.requests = client.bytes = 0
            cpu_before = cpu_seconds(server.pid)
            log_before = os.path.getsize(log.name)
            attempts = []
            started = time.monotonic()
            for _ in range(args.sessions):
                for client in clients:
                    session(client, course, lessons, rng, attempts)
            elapsed = time.monotonic() - started
            cpu = cpu_seconds(server.pid) - cpu_before
            log_bytes = os.path.getsize(log.name) - log_before
            used = capacity.take()
            sessions = args.sessions * args.learners
            requests = sum(c.requests for c in clients)
            # One sign-in with its password (Argon2id): timed alone, as its CPU dominates.
            cpu_login = cpu_seconds(server.pid)
            logins = 10
            for _ in range(logins):
                clients[0].call("POST", "/api/auth/login", body={
                    "email": "cost0@example.org", "password": "a cost bench passphrase"})
            login_cpu = (cpu_seconds(server.pid) - cpu_login) / logins
            login_units = capacity.take()
            figures = {
                "measured": time.strftime("%Y-%m-%d"),
                "command": "bench/cost_profile.py --learners %d --sessions %d"
                           % (args.learners, args.sessions),
                "sessions": sessions,
                "per_session": {
                    "api_requests": requests / sessions,
                    "response_bytes": sum(c.bytes for c in clients) / sessions,
                    "attempts_and_reviews": len(attempts) / sessions,
                    "dynamodb_read_units": used["read_units"] / sessions,
                    "dynamodb_write_units": used["write_units"] / sessions,
                    "dynamodb_calls": sum(used["calls"].values()) / sessions,
                    "server_cpu_ms": 1000 * cpu / sessions,
                    "log_bytes": log_bytes / sessions,
                },
                "dynamodb_calls_by_operation": {k: v / sessions for k, v in
                                                sorted(used["calls"].items())},
                "per_login": {"server_cpu_ms": 1000 * login_cpu,
                              "dynamodb_calls": sum(login_units["calls"].values()) / logins},
                "web_app": web_app_bytes(),
                "server_peak_rss_mib": rss_kib(server.pid) / 1024,
                "write_statuses": {str(code): sum(1 for a in attempts if a[0] == code)
                                   for code in sorted({a[0] for a in attempts})},
                "wall_seconds": elapsed,
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
            proxy.shutdown()
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
