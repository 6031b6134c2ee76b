"""`practica lambda` end to end: the real binary, exec'd as Lambda execs `bootstrap`, against a fake
Runtime API (fake_runtime_api.py), with the SQLite store and the drills course of
tests/integration/fixtures. Events are AWS's own samples (../shared/testdata/lambda-events) with our
paths, headers and bodies put in.

The binary comes from PRACTICA_BIN (set by ctest); PRACTICA_SOURCE_DIR finds the checkout.
"""
import base64
import copy
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import sys
import uuid
from pathlib import Path

from fake_runtime_api import FakeRuntimeApi

SOURCE_DIR = Path(os.environ.get("PRACTICA_SOURCE_DIR", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(SOURCE_DIR / "tests" / "integration"))
from harness import check_sanitizers  # noqa: E402
BIN = os.environ.get("PRACTICA_BIN", str(SOURCE_DIR / "build/dev/src/practica"))
EVENTS = SOURCE_DIR.parent / "shared" / "testdata" / "lambda-events"
DRILLS = SOURCE_DIR / "tests" / "integration" / "fixtures" / "drills"
PASSWORD = "correct horse battery staple 42"


def sample(name):
    path = EVENTS / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the sample events live beside the checkout, "
                                "in ../shared/testdata/lambda-events")
    return json.loads(path.read_text())


# --- Events of each kind, from AWS's samples -----------------------------------------------------

def http_api_event(method, path, query="", headers=None, cookies=None, body=None, b64=False):
    event = sample("apigw-http-v2/aws-lambda-go__apigw-v2-request-no-authorizer.json")
    event["rawPath"] = path
    event["rawQueryString"] = query
    event["requestContext"]["http"].update(method=method, path=path)
    event["headers"].update({k.lower(): v for k, v in (headers or {}).items()})
    if cookies:
        event["cookies"] = cookies
    _put_body(event, body, b64)
    return event


def rest_event(method, path, query=None, headers=None, body=None, b64=False):
    event = sample("apigw-rest-v1/aws-lambda-go__apigw-request.json")
    event.update(httpMethod=method, path=path)
    event["multiValueQueryStringParameters"] = {k: [v] for k, v in (query or {}).items()} or None
    event["queryStringParameters"] = dict(query or {}) or None
    for name, value in (headers or {}).items():
        event["headers"][name] = value
        event["multiValueHeaders"][name] = [value]
    _put_body(event, body, b64)
    return event


def alb_event(method, path, query=None, headers=None, body=None, b64=False, multi=False):
    if multi:
        event = sample("alb/aws-lambda-go__alb-lambda-target-request-multivalue-headers.json")
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in (query or {}).items()}
        event["multiValueHeaders"].update({k.lower(): [v] for k, v in (headers or {}).items()})
    else:
        event = sample("alb/aws-lambda-go__alb-lambda-target-request-headers-only.json")
        event["queryStringParameters"] = dict(query or {})
        event["headers"].update({k.lower(): v for k, v in (headers or {}).items()})
    event.update(httpMethod=method, path=path)
    _put_body(event, body, b64)
    return event


def _put_body(event, body, b64):
    if body is None:
        event["body"] = "" if "elb" in event.get("requestContext", {}) else None
        event["isBase64Encoded"] = False
        return
    data = body if isinstance(body, bytes) else body.encode()
    event["body"] = base64.b64encode(data).decode() if b64 else data.decode()
    event["isBase64Encoded"] = b64


KINDS = {
    "http-api": lambda m, p, q, h, b=None, b64=False: http_api_event(
        m, p, "&".join(f"{k}={v}" for k, v in (q or {}).items()), h, body=b, b64=b64),
    "rest-api": lambda m, p, q, h, b=None, b64=False: rest_event(m, p, q, h, b, b64),
    "alb": lambda m, p, q, h, b=None, b64=False: alb_event(m, p, q, h, b, b64),
    "alb-multi-value": lambda m, p, q, h, b=None, b64=False: alb_event(m, p, q, h, b, b64, True),
}


def http_response(outcome):
    """(status, {lower-case name: [values]}, [Set-Cookie values], body bytes) of any format."""
    assert outcome.kind == "response", outcome
    response = outcome.json()
    headers = {}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers.setdefault(name.lower(), []).extend(values)
    for name, value in (response.get("headers") or {}).items():
        headers.setdefault(name.lower(), []).append(value)
    cookies = response.get("cookies", []) + headers.pop("set-cookie", [])
    body = response.get("body", "")
    data = base64.b64decode(body) if response.get("isBase64Encoded") else body.encode()
    return response["statusCode"], headers, cookies, data


# --- The process ---------------------------------------------------------------------------------

class Lambda:
    """One `practica lambda` process with its own fake Runtime API and data folder."""

    def __init__(self, env=None, args=None, chunked=False):
        self.api = FakeRuntimeApi(chunked=chunked)
        self.tmp = Path(tempfile.mkdtemp(prefix="practica-lambda-"))
        if args is None:
            args = ["--data-dir", str(self.tmp / "data"), "--seed-content", str(DRILLS),
                    "--auth-rate-per-minute", "100000"]
        full_env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=self.api.address)
        full_env.update(env or {})
        self.lines = []
        self.proc = subprocess.Popen([BIN, "lambda", *args], env=full_env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._pump = threading.Thread(target=self._read, daemon=True)
        self._pump.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def log_entries(self):
        entries = []
        for line in list(self.lines):
            try:
                entries.append(json.loads(line))
            except ValueError:
                pass
        return entries

    def wait_for_log(self, predicate, timeout=5):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for entry in self.log_entries():
                if predicate(entry):
                    return entry
            time.sleep(0.01)
        raise AssertionError("no such log line in:\n" + "".join(self.lines))

    def stop(self, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise

    def cleanup(self):
        """Stops the process (SIGTERM, so that a sanitized build checks for leaks as it exits),
        removes its files, and fails on a sanitizer report in its output."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._pump.join(5)
        self.proc.stdout.close()
        self.api.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        check_sanitizers("practica lambda", self.lines)


class InvocationsTest(unittest.TestCase):
    """Many invocations of every kind, on one process."""

    @classmethod
    def setUpClass(cls):
        cls.fn = Lambda()

    @classmethod
    def tearDownClass(cls):
        cls.fn.cleanup()

    def call(self, event, **kwargs):
        return self.fn.api.call(event, **kwargs)

    def test_the_catalog_through_every_kind_of_event(self):
        for kind, make in KINDS.items():
            with self.subTest(kind):
                status, headers, _, body = http_response(
                    self.call(make("GET", "/api/courses", {"limit": "5"}, {})))
                self.assertEqual(status, 200, body)
                self.assertEqual([c["slug"] for c in json.loads(body)["items"]], ["drills"])
                self.assertEqual(headers["content-type"], ["application/json"])
                self.assertIn("x-request-id", headers)
                # The query reaches the router: a limit out of range is the handler's 400.
                status, headers, _, body = http_response(
                    self.call(make("GET", "/api/courses", {"limit": "0"}, {})))
                self.assertEqual(status, 400, body)
                self.assertEqual(headers["content-type"], ["application/problem+json"])

    def test_each_format_is_answered_in_its_own_form(self):
        forms = {"http-api": ({"statusCode", "headers", "body", "isBase64Encoded"}, False),
                 "rest-api": ({"statusCode", "multiValueHeaders", "body", "isBase64Encoded"},
                              False),
                 "alb": ({"statusCode", "statusDescription", "headers", "body",
                          "isBase64Encoded"}, True),
                 "alb-multi-value": ({"statusCode", "statusDescription", "multiValueHeaders",
                                      "body", "isBase64Encoded"}, True)}
        for kind, (keys, described) in forms.items():
            with self.subTest(kind):
                response = self.call(KINDS[kind]("GET", "/api/nowhere", None, {})).json()
                self.assertEqual(set(response), keys)
                self.assertEqual(response["statusCode"], 404)
                if described:
                    self.assertEqual(response["statusDescription"], "404 Not Found")

    def test_sign_up_refresh_and_answer_with_cookies_and_base64_bodies(self):
        email = f"lambda-{uuid.uuid4().hex[:8]}@example.org"
        signup = json.dumps({"email": email, "password": PASSWORD, "display_name": "Ada"})
        # HTTP API: the refresh token comes back in the `cookies` array.
        status, _, cookies, body = http_response(self.call(http_api_event(
            "POST", "/api/auth/signup", headers={"Content-Type": "application/json"},
            body=signup)))
        self.assertEqual(status, 201, body)
        token = json.loads(body)["access_token"]
        refresh = [c for c in cookies if c.startswith("practica_refresh=")]
        self.assertEqual(len(refresh), 1, cookies)
        cookie = refresh[0].split(";", 1)[0]

        # HTTP API again, the cookie in the request's `cookies` array: the token rotates.
        event = http_api_event("POST", "/api/auth/refresh", cookies=[cookie, "theme=dark"])
        status, _, cookies, body = http_response(self.call(event))
        self.assertEqual(status, 200, body)
        rotated = [c for c in cookies if c.startswith("practica_refresh=")][0].split(";", 1)[0]
        self.assertNotEqual(rotated, cookie)

        # REST API: the cookie as a header, the new one in multiValueHeaders.
        response = self.call(rest_event("POST", "/api/auth/refresh",
                                        headers={"Cookie": rotated})).json()
        self.assertEqual(response["statusCode"], 200, response["body"])
        self.assertTrue(any(c.startswith("practica_refresh=")
                            for c in response["multiValueHeaders"]["Set-Cookie"]))

        # ALB: an attempt (an asynchronous route, answered after the group commit) with a base64
        # body.
        answer = json.dumps({"answer": 42}).encode()
        status, _, _, body = http_response(self.call(alb_event(
            "POST", "/api/exercises/drills.three-tries/attempts",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            body=answer, b64=True, multi=True)))
        self.assertEqual(status, 201, body)
        self.assertTrue(json.loads(body)["correct"])

        status, _, _, body = http_response(self.call(http_api_event(
            "GET", "/api/me/progress/drills", headers={"Authorization": f"Bearer {token}"})))
        self.assertEqual(status, 200, body)
        solved = {e["exercise_id"]: e["solved"] for e in json.loads(body)["exercises"]}
        self.assertTrue(solved["three-tries"])

    def test_bad_input_gets_a_clean_answer_and_the_loop_goes_on(self):
        # Known shape, bad content: a 400 problem in the event's own form.
        event = http_api_event("POST", "/api/auth/login", body="not base64 at all!")
        event["isBase64Encoded"] = True
        status, headers, _, body = http_response(self.call(event))
        self.assertEqual(status, 400)
        self.assertEqual(headers["content-type"], ["application/problem+json"])
        self.assertIn("base64", json.loads(body)["detail"])
        event = rest_event("GET", "/api/%zz")
        self.assertEqual(http_response(self.call(event))[0], 400)
        # A body over the route's limit: the pipeline's 413.
        status, _, _, _ = http_response(self.call(http_api_event(
            "POST", "/api/auth/login", headers={"Content-Type": "application/json"},
            body=json.dumps({"email": "a@example.org", "password": "x" * 8000}))))
        self.assertEqual(status, 413)
        # No HTTP request at all: an invocation error.
        for payload in ({"hello": "world"}, {"Records": [{"eventSource": "aws:sqs"}]},
                        b"not json", b"[]"):
            with self.subTest(payload=str(payload)[:30]):
                outcome = self.call(payload)
                self.assertEqual(outcome.kind, "error")
                self.assertEqual(outcome.headers["lambda-runtime-function-error-type"],
                                 "Practica.UnknownEvent")
                error = outcome.json()
                self.assertEqual(error["errorType"], "Practica.UnknownEvent")
                self.assertTrue(error["errorMessage"])
        # And the next invocation is served as usual.
        self.assertEqual(http_response(self.call(alb_event("GET", "/api/health")))[0], 200)

    def test_a_streams_batch_of_other_items_is_accepted_and_ingests_nothing(self):
        # AWS's own samples: DynamoDB Streams records of tables that are not practica's.
        for name in ("aws-lambda-go__dynamodb-event.json", "powertools-python__dynamoStreamEvent.json",
                     "aws-lambda-java-libs__dynamo_event.json"):
            with self.subTest(name):
                outcome = self.call(sample(f"dynamodb-streams/{name}"))
                self.assertEqual(outcome.kind, "response", outcome)
                self.assertEqual(outcome.json(), {"batchItemFailures": []})

    def test_an_invocation_past_its_deadline_is_not_started(self):
        outcome = self.call(http_api_event("GET", "/api/health"),
                            deadline_ms=int(time.time() * 1000) - 1000)
        self.assertEqual(outcome.kind, "error")
        self.assertEqual(outcome.json()["errorType"], "Practica.DeadlineExceeded")

    def test_every_log_line_of_an_invocation_names_it(self):
        trace = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1"
        request_id = self.fn.api.invoke(http_api_event("GET", "/api/courses"), trace_id=trace)
        self.assertEqual(self.fn.api.result(request_id).kind, "response")
        line = self.fn.wait_for_log(lambda e: e.get("aws_request_id") == request_id)
        self.assertEqual(line["msg"], "request")
        self.assertEqual(line["xray_trace_id"], trace)
        self.assertEqual(line["path"], "/api/courses")
        # A failed invocation's warning names it too.
        request_id = self.fn.api.invoke({"not": "http"})
        self.assertEqual(self.fn.api.result(request_id).kind, "error")
        line = self.fn.wait_for_log(lambda e: e.get("aws_request_id") == request_id)
        self.assertEqual(line["msg"], "invocation failed")
        # Start-up lines, before any invocation, name none.
        ready = self.fn.wait_for_log(lambda e: e.get("msg") == "lambda runtime ready")
        self.assertNotIn("aws_request_id", ready)

    def test_many_invocations_on_one_process(self):
        ids = [self.fn.api.invoke(KINDS[kind]("GET", "/api/health", None, {}))
               for _ in range(50) for kind in KINDS]
        for request_id in ids:
            self.assertEqual(http_response(self.fn.api.result(request_id))[0], 200)
        self.assertIsNone(self.fn.proc.poll())
        starts = [e for e in self.fn.log_entries() if e.get("msg") == "lambda runtime ready"]
        self.assertEqual(len(starts), 1)


class LifecycleTest(unittest.TestCase):
    def test_sigterm_while_waiting_for_an_invocation_exits_cleanly(self):
        fn = Lambda()
        try:
            self.assertEqual(http_response(fn.api.call(http_api_event("GET", "/api/health")))[0],
                             200)
            fn.api.wait_until_waiting()
            started = time.monotonic()
            self.assertEqual(fn.stop(), 0)
            self.assertLess(time.monotonic() - started, 2)
            fn.wait_for_log(lambda e: e.get("msg") == "shutting down" and e.get("signal") == 15)
        finally:
            fn.cleanup()

    def test_events_in_chunked_transfer_coding(self):
        fn = Lambda(chunked=True)
        try:
            # Well past one chunk: a 20 KB header, the size real API Gateway events reach.
            event = http_api_event("GET", "/api/courses", headers={"X-Padding": "p" * 20000})
            for _ in range(3):  # and the connection stays usable after each
                status, _, _, body = http_response(fn.api.call(event))
                self.assertEqual(status, 200, body)
                self.assertEqual(json.loads(body)["items"][0]["slug"], "drills")
        finally:
            fn.cleanup()

    def test_bad_configuration_is_an_init_error(self):
        fn = Lambda(env={"PRACTICA_CONTENT_STORE": "mongodb:nope"})
        try:
            error = fn.api.init_errors.get(timeout=10)
            self.assertEqual(error.headers["lambda-runtime-function-error-type"], "Practica.Invalid")
            body = error.json()
            self.assertEqual(body["errorType"], "Practica.Invalid")
            self.assertIn("PRACTICA_CONTENT_STORE", body["errorMessage"])
            self.assertEqual(fn.proc.wait(10), 1)
            self.assertNotIn(("GET", "/2018-06-01/runtime/invocation/next"), fn.api.requests)
        finally:
            fn.cleanup()

    def test_a_store_that_cannot_open_is_an_init_error(self):
        tmp = Path(tempfile.mkdtemp(prefix="practica-lambda-"))
        try:
            not_a_folder = tmp / "file"
            not_a_folder.write_text("")
            fn = Lambda(args=["--data-dir", str(not_a_folder), "--seed-content", ""])
            try:
                error = fn.api.init_errors.get(timeout=10).json()
                self.assertTrue(error["errorType"].startswith("Practica."))
                self.assertEqual(fn.proc.wait(10), 1)
            finally:
                fn.cleanup()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_without_a_runtime_api_it_says_so(self):
        env = {k: v for k, v in os.environ.items() if k != "AWS_LAMBDA_RUNTIME_API"}
        done = subprocess.run([BIN, "lambda", "--seed-content", ""], env=env,
                              capture_output=True, text=True, timeout=10)
        check_sanitizers("practica lambda", done.stderr)
        self.assertEqual(done.returncode, 1)
        self.assertIn("AWS_LAMBDA_RUNTIME_API", done.stdout + done.stderr)


if __name__ == "__main__":
    unittest.main()
