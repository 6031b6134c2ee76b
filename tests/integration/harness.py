"""Starts the real `practica` binary for integration tests.

The binary comes from PRACTICA_BIN (set by ctest). Every server gets a fresh data folder and a free
port (port 0; the port is read from the "listening" log line), and is stopped with SIGTERM.

With PRACTICA_TEST_STORES=aws (ctest's integration_aws.* entries, run inside
tests/services/run_with.py --moto --postgres) every server gets its own DynamoDB table for content
and progress, its own PostgreSQL database for users, and a Secrets Manager secret holding that
database's credentials, which is how practica finds it (PRACTICA_USER_STORE=postgres:secret:ID; the
same database holds analytics).
Tests read what was stored through Server.stored_attempts, whichever the stores are.

In the sanitized builds (CMakePresets.json) a finding in the server or a command is a failure even
when the test got the answers it wanted: Server.cleanup and run_cli raise on any sanitizer report
in the process's output (sanitizer_report).
"""
import http.client
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("PRACTICA_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = os.environ.get("PRACTICA_BIN", str(SOURCE_DIR / "build/dev/src/practica"))
REMOTE_STORES = os.environ.get("PRACTICA_TEST_STORES") == "aws"
_store_names = itertools.count()

# The first line of every report of AddressSanitizer, LeakSanitizer, UndefinedBehaviorSanitizer and
# ThreadSanitizer.
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", " runtime error: ",
                     "WARNING: ThreadSanitizer")


def sanitizer_report(output):
    """The sanitizer reports in a process's output (text or lines) from the first one on, or ""."""
    text = output if isinstance(output, str) else "".join(output)
    starts = [text.find(marker) for marker in SANITIZER_MARKERS if marker in text]
    if not starts:
        return ""
    return text[text.rfind("\n", 0, min(starts)) + 1:]


def check_sanitizers(what, output):
    report = sanitizer_report(output)
    if report:
        raise AssertionError(f"sanitizer report from {what}:\n{report}")


def remote_store_args():
    """A fresh DynamoDB table, PostgreSQL database and secret; the flags that point practica at
    them."""
    import boto3  # only the AWS configuration needs it

    name = f"it-{os.getpid()}-{next(_store_names)}"
    server = urllib.parse.urlparse(os.environ["PRACTICA_TEST_POSTGRES_URL"])
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", server.geturl(),
                    "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
    secrets = boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"],
                           endpoint_url=os.environ["AWS_ENDPOINT_URL_SECRETS_MANAGER"])
    secrets.create_secret(Name=name, SecretString=json.dumps({
        "engine": "postgres", "host": server.hostname, "port": server.port,
        "username": urllib.parse.unquote(server.username),
        "password": urllib.parse.unquote(server.password), "dbname": name}))
    return ["--content-store", f"dynamodb:{name}", "--progress-store", f"dynamodb:{name}",
            "--user-store", f"postgres:secret:{name}", "--analytics-store", f"postgres:secret:{name}"]


class Server:
    def __init__(self, *, web_root=None, seed_content=None, data_dir=None, extra_args=(),
                 env=None):
        self.tmp = Path(tempfile.mkdtemp(prefix="practica-it-"))
        self.data_dir = Path(data_dir) if data_dir else self.tmp / "data"
        self.web_root = web_root if web_root is not None else self.tmp / "no-web"
        self.seed_content = seed_content if seed_content is not None else str(SOURCE_DIR / "content")
        self.store_args = remote_store_args() if REMOTE_STORES else []
        self.args = [BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(self.data_dir),
                     "--web-root", str(self.web_root), "--seed-content", str(self.seed_content),
                     *self.store_args, *extra_args]
        self.env = dict(os.environ, **(env or {}))
        self.lines = []
        self.port = None
        self.proc = None

    def cli_args(self):
        """The flags that make a `practica` command use this server's stores."""
        return ["--data-dir", str(self.data_dir), *self.store_args]

    def start(self, timeout=20):
        if self.store_args:  # remote stores are created by `practica migrate`, as in production
            migrated = subprocess.run([BIN, "migrate", *self.cli_args()], check=True,
                                      capture_output=True, text=True, env=self.env, timeout=60)
            check_sanitizers("practica migrate", migrated.stderr)
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env=self.env, text=True)
        ready = threading.Event()

        def pump():
            for line in self.proc.stdout:
                self.lines.append(line)
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("msg") == "listening":
                    self.port = entry["port"]
                    ready.set()
            ready.set()

        self._pump = threading.Thread(target=pump, daemon=True)
        self._pump.start()
        if not ready.wait(timeout) or self.port is None:
            self.stop()
            raise RuntimeError("practica did not start:\n" + "".join(self.lines))
        return self

    def stored_attempts(self, user_id, exercise=None):
        """Ids of the attempts stored for the learner (on one exercise of the drills course, or
        all), read from the store itself: the SQLite file or the DynamoDB table."""
        if not self.store_args:
            import sqlite3
            db = sqlite3.connect(self.data_dir / "practica.db")
            try:
                sql = "SELECT attempt_id FROM attempts WHERE user_id = ?"
                args = [user_id]
                if exercise is not None:
                    sql += " AND course = 'drills' AND exercise = ?"
                    args.append(exercise)
                return [row[0] for row in db.execute(sql, args)]
            finally:
                db.close()
        import boto3
        table = self.store_args[self.store_args.index("--progress-store") + 1].split(":", 1)[1]
        dynamodb = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"],
                                endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
        prefix = "EX#drills#" + (exercise if exercise is not None else "")
        pages = dynamodb.get_paginator("query").paginate(
            TableName=table, ConsistentRead=True,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={":pk": {"S": f"LEARNER#{user_id}"},
                                       ":prefix": {"S": prefix}})
        ids = []
        for page in pages:
            for item in page["Items"]:
                if exercise is not None and item["sk"]["S"] != prefix:
                    continue
                ids += [entry["M"]["id"]["S"] for entry in item.get("log", {}).get("L", [])]
        return ids

    def stored_progress(self, user_id):
        """How many exercises the store keeps progress for, for the learner."""
        if not self.store_args:
            import sqlite3
            db = sqlite3.connect(self.data_dir / "practica.db")
            try:
                return db.execute("SELECT count(*) FROM exercise_progress WHERE user_id = ?",
                                  (user_id,)).fetchone()[0]
            finally:
                db.close()
        import boto3
        table = self.store_args[self.store_args.index("--progress-store") + 1].split(":", 1)[1]
        dynamodb = boto3.client("dynamodb", region_name=os.environ["AWS_REGION"],
                                endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
        return dynamodb.query(TableName=table, ConsistentRead=True, Select="COUNT",
                              KeyConditionExpression="pk = :pk AND begins_with(sk, :ex)",
                              ExpressionAttributeValues={":pk": {"S": f"LEARNER#{user_id}"},
                                                         ":ex": {"S": "EX#"}})["Count"]

    def log_entries(self):
        entries = []
        for line in self.lines:
            try:
                entries.append(json.loads(line))
            except ValueError:
                pass
        return entries

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def get_json(self, path, headers=None):
        status, hdrs, data = self.request("GET", path, headers=headers)
        return status, hdrs, json.loads(data) if data else None

    def raw(self, payload, *, read_timeout=5):
        """Sends raw bytes and returns everything the server answers until it closes or stalls."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=read_timeout) as sock:
            sock.sendall(payload)
            chunks = []
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            except socket.timeout:
                pass
            return b"".join(chunks)

    def stop(self, timeout=15):
        """SIGTERM and wait; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        return code

    def cleanup(self):
        """Stops the server, removes its files, and fails on a sanitizer report in its output
        (leaks are reported as it exits)."""
        self.stop()
        if self.proc is not None and self.proc.stdout:
            self._pump.join(5)
            self.proc.stdout.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        check_sanitizers(" ".join(map(str, self.args[:2])), self.lines)


def run_cli(*args, timeout=60, input_text=None, env=None):
    """Runs `practica ARGS…` (with `env` added to the environment) and returns (exit code, stdout,
    stderr); raises on a sanitizer report."""
    proc = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          input=input_text if input_text is not None else "",
                          env={**os.environ, **env} if env else None)
    check_sanitizers(f"practica {' '.join(map(str, args[:1]))}", proc.stderr)
    return proc.returncode, proc.stdout, proc.stderr


def parse_status_line(raw):
    line = raw.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
