"""What operators rely on, against the real binary: admin commands as Lambda events
(`PRACTICA_LAMBDA_HANDLER=admin`: migrate and user set-role, nothing else, and never from an HTTP
event), and CloudWatch metrics as Embedded Metric Format lines (`PRACTICA_METRICS=emf`: one line
per Lambda invocation; `practica serve`, one per interval; none unless asked).

The binary comes from PRACTICA_BIN (set by ctest); PRACTICA_SOURCE_DIR finds the checkout.
"""
import json
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

from test_lambda_runtime import (BIN, DRILLS, PASSWORD, SOURCE_DIR, Lambda, check_sanitizers,
                                 http_api_event, http_response)

sys.path.insert(0, str(SOURCE_DIR / "tests" / "integration"))
from harness import Server  # noqa: E402


def values(metric):
    """A metric's values: EMF writes one as a number, several as an array."""
    return metric if isinstance(metric, list) else [metric]


def emf_lines(lines):
    """The EMF documents among a process's output lines."""
    found = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and "_aws" in entry:
            found.append(entry)
    return found


class AdminCommandsTest(unittest.TestCase):
    def setUp(self):
        tmp = Path(tempfile.mkdtemp(prefix="practica-admin-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        self.data_dir = tmp / "data"
        self.args = ["--data-dir", str(self.data_dir), "--seed-content", ""]
        self.admin = Lambda(env={"PRACTICA_LAMBDA_HANDLER": "admin"}, args=self.args)
        self.addCleanup(self.admin.cleanup)
        self.admin.wait_for_log(lambda e: e.get("msg") == "lambda runtime ready")

    def call(self, event, fn=None):
        return (fn or self.admin).api.call(event, timeout=60)

    def test_migrate_runs_before_any_schema_and_again_as_a_no_op(self):
        # Start-up opened nothing: no database file yet, so migrate can come first.
        self.assertFalse((self.data_dir / "practica.db").exists())
        first = self.call({"practica_admin": "migrate"})
        self.assertEqual(first.kind, "response", first)
        answer = first.json()
        self.assertEqual(answer["command"], "migrate")
        self.assertTrue(any("practica.db migrated from schema version 0" in line
                            for line in answer["output"]), answer)
        self.assertTrue((self.data_dir / "practica.db").exists())
        again = self.call({"practica_admin": "migrate"}).json()
        self.assertTrue(all("up to date" in line for line in again["output"]), again)

    def test_set_role_promotes_an_account_and_ends_its_sessions(self):
        self.assertEqual(self.call({"practica_admin": "migrate"}).kind, "response")
        api = Lambda(args=[*self.args, "--auth-rate-per-minute", "100000"])
        self.addCleanup(api.cleanup)

        def login():
            status, _, _, body = http_response(api.api.call(http_api_event(
                "POST", "/api/auth/login", headers={"Content-Type": "application/json"},
                body=json.dumps({"email": "ops@example.org", "password": PASSWORD})), timeout=30))
            self.assertEqual(status, 200, body)
            return json.loads(body)

        status, _, _, body = http_response(api.api.call(http_api_event(
            "POST", "/api/auth/signup", headers={"Content-Type": "application/json"},
            body=json.dumps({"email": "ops@example.org", "password": PASSWORD,
                             "display_name": "Ops"})), timeout=30))
        self.assertEqual(status, 201, body)
        self.assertEqual(login()["user"]["role"], "learner")

        done = self.call({"practica_admin": "set-role", "email": "ops@example.org",
                          "role": "admin"})
        self.assertEqual(done.kind, "response", done)
        self.assertEqual(done.json(), {"command": "set-role",
                                       "output": ["ops@example.org is now admin"]})
        self.assertEqual(login()["user"]["role"], "admin")

        missing = self.call({"practica_admin": "set-role", "email": "nobody@example.org",
                             "role": "admin"})
        self.assertEqual(missing.kind, "error")
        self.assertEqual(missing.json()["errorType"], "Practica.NotFound")

    def test_anything_but_an_admin_command_is_refused(self):
        refusals = {
            "an HTTP request": (http_api_event("GET", "/api/courses"), "Practica.UnknownEvent"),
            "a stream batch": ({"Records": [{"eventSource": "aws:dynamodb",
                                             "eventName": "INSERT"}]}, "Practica.UnknownEvent"),
            "an empty event": ({}, "Practica.UnknownEvent"),
            "an unknown command": ({"practica_admin": "drop"}, "Practica.Invalid"),
            "an extra member": ({"practica_admin": "migrate", "body": "x"}, "Practica.Invalid"),
            "an unknown role": ({"practica_admin": "set-role", "email": "a@b.org",
                                 "role": "root"}, "Practica.Invalid"),
        }
        for what, (event, error_type) in refusals.items():
            with self.subTest(what):
                outcome = self.call(event)
                self.assertEqual(outcome.kind, "error", outcome)
                self.assertEqual(outcome.json()["errorType"], error_type)
        # None of them migrated anything.
        self.assertFalse((self.data_dir / "practica.db").exists())

    def test_the_api_function_never_runs_admin_commands(self):
        api = Lambda(args=self.args)
        self.addCleanup(api.cleanup)
        outcome = self.call({"practica_admin": "migrate"}, fn=api)
        self.assertEqual(outcome.kind, "error", outcome)
        self.assertEqual(outcome.json()["errorType"], "Practica.UnknownEvent")


class LambdaMetricsTest(unittest.TestCase):
    def start(self, env):
        fn = Lambda(env=env)
        self.addCleanup(fn.cleanup)
        return fn

    def test_one_emf_line_per_invocation_when_enabled(self):
        fn = self.start({"PRACTICA_METRICS": "emf"})
        for path in ("/api/courses", "/api/courses", "/api/no-such-route"):
            fn.api.call(http_api_event("GET", path), timeout=30)
        fn.wait_for_log(lambda e: "_aws" in e and e.get("ClientErrors") == 1)
        lines = emf_lines(fn.lines)
        self.assertEqual(len(lines), 3, lines)
        for line in lines:
            directive = line["_aws"]["CloudWatchMetrics"][0]
            self.assertEqual(directive["Namespace"], "Practica")
            self.assertEqual(directive["Dimensions"], [["Mode"]])
            self.assertEqual(line["Mode"], "lambda")
            self.assertEqual(line["Requests"], 1)
            self.assertEqual(len(values(line["Latency"])), 1)
            self.assertIsInstance(line["_aws"]["Timestamp"], int)
            for metric in directive["Metrics"]:
                self.assertIn(metric["Name"], line)
        self.assertEqual([line["ClientErrors"] for line in lines], [0, 0, 1])

    def test_counts_sign_ins_and_graded_attempts(self):
        fn = self.start({"PRACTICA_METRICS": "emf"})
        status, _, _, body = http_response(fn.api.call(http_api_event(
            "POST", "/api/auth/signup", headers={"Content-Type": "application/json"},
            body=json.dumps({"email": "metrics@example.org", "password": PASSWORD,
                             "display_name": "M"})), timeout=30))
        self.assertEqual(status, 201, body)
        status, _, _, body = http_response(fn.api.call(http_api_event(
            "POST", "/api/auth/login", headers={"Content-Type": "application/json"},
            body=json.dumps({"email": "metrics@example.org", "password": PASSWORD})), timeout=30))
        self.assertEqual(status, 200, body)
        token = json.loads(body)["access_token"]
        status, _, _, body = http_response(fn.api.call(http_api_event(
            "POST", "/api/exercises/drills.three-tries/attempts",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            body=json.dumps({"answer": 42})), timeout=30))
        self.assertEqual(status, 201, body)
        fn.wait_for_log(lambda e: e.get("AttemptsGraded") == 1)
        lines = emf_lines(fn.lines)
        self.assertEqual([(l["SignIns"], l["AttemptsGraded"]) for l in lines],
                         [(0, 0), (1, 0), (0, 1)])

    def test_no_metrics_unless_enabled(self):
        fn = self.start({})
        fn.api.call(http_api_event("GET", "/api/courses"), timeout=30)
        fn.wait_for_log(lambda e: e.get("msg") == "request")
        time.sleep(0.2)
        self.assertEqual(emf_lines(fn.lines), [])


class ServerMetricsTest(unittest.TestCase):
    def test_the_server_writes_a_line_per_interval_with_requests(self):
        server = Server(seed_content=str(DRILLS),
                        extra_args=["--metrics", "emf", "--metrics-interval-ms", "300"]).start()
        self.addCleanup(server.cleanup)
        for _ in range(5):
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/api/courses") as r:
                self.assertEqual(r.status, 200)
        end = time.monotonic() + 10
        while time.monotonic() < end and sum(l["Requests"] for l in emf_lines(server.lines)) < 5:
            time.sleep(0.05)
        lines = emf_lines(server.lines)
        self.assertEqual(sum(line["Requests"] for line in lines), 5, lines)
        self.assertTrue(all(line["Mode"] == "server" for line in lines))
        # Aggregated: the five requests share a line or a few, never one line each.
        self.assertLess(len(lines), 5)
        self.assertEqual(sum(len(values(line["Latency"])) for line in lines), 5)
        # An interval without requests writes nothing.
        count = len(lines)
        time.sleep(1)
        self.assertEqual(len(emf_lines(server.lines)), count)


class CliTest(unittest.TestCase):
    def test_bad_values_are_refused(self):
        for args in (["lambda", "--handler", "batch"], ["serve", "--metrics", "statsd"]):
            with self.subTest(args):
                done = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=10)
                check_sanitizers("practica", done.stderr)
                self.assertNotEqual(done.returncode, 0)


if __name__ == "__main__":
    unittest.main()
