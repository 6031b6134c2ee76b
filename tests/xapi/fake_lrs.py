"""A fake Learning Record Store (xAPI 1.0.3) for tests: the Statement Resource's POST, checked the
way an LRS checks it, and a control interface to look inside and make it fail.

There is no LRS in Debian to test against, and a real one (Learning Locker, SQL LRS) is a service
with a database of its own; this one holds what a test needs to see:

- POST {prefix}/statements takes a statement or an array of them. It answers 401 unless the
  request carries HTTP basic authentication with the configured username and password; 400 unless
  X-Experience-API-Version starts with "1.0.", the body is JSON, every statement has the shape the
  specification requires (see `problems`) and no two statements of a batch share an id; 409 when a
  statement's id is stored already with other content (as xAPI says an LRS should); otherwise it
  stores the statements (one of each id) and answers 200 with their ids.
- A test can queue failures (`fail`): the next N requests get a status, with an optional
  Retry-After; and refuse one statement id for good (`refuse`): a batch holding it gets 400.
- Every request is recorded (`requests`): status, statement ids, and what was wrong with it.

Use it in-process (`FakeLrs()`, then `.endpoint`, `.statements`, `.close()`), or as a program for
tests in other languages: `python3 fake_lrs.py [--username U] [--password P]` prints one line of
JSON, {"port": N, "endpoint": "http://127.0.0.1:N/xapi"}, then serves until SIGTERM; the control
interface is plain HTTP under /control/: GET /control/state, POST /control/fail {"status",
"count", "retry_after"?}, POST /control/refuse {"id", "status"?}, POST /control/reset.
"""
import argparse
import base64
import json
import re
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")
IRL = re.compile(r"^https?://\S+$")
DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


def _language_map(value, where, problems):
    if not isinstance(value, dict) or not value:
        problems.append(f"{where} is not a language map")
        return
    for key, text in value.items():
        if not LANGUAGE.match(key) or not isinstance(text, str):
            problems.append(f"{where} has a bad entry {key!r}")


def _activity(value, where, problems):
    if not isinstance(value, dict):
        problems.append(f"{where} is not an object")
        return
    if value.get("objectType", "Activity") != "Activity":
        problems.append(f"{where}.objectType is not Activity")
    if not isinstance(value.get("id"), str) or not IRI.match(value["id"]):
        problems.append(f"{where}.id is not an IRI")
    definition = value.get("definition")
    if definition is None:
        return
    if not isinstance(definition, dict):
        problems.append(f"{where}.definition is not an object")
        return
    if "type" in definition and not IRI.match(str(definition["type"])):
        problems.append(f"{where}.definition.type is not an IRI")
    for field in ("name", "description"):
        if field in definition:
            _language_map(definition[field], f"{where}.definition.{field}", problems)


def problems(statement):
    """What is wrong with one statement, as xAPI 1.0.3 (Data §2.4) defines a statement; [] when
    nothing is."""
    found = []
    if not isinstance(statement, dict):
        return ["a statement is not an object"]
    for field in ("stored", "authority", "version"):
        if field in statement:
            found.append(f"{field} is set by the LRS, not the provider")
    if not isinstance(statement.get("id"), str) or not UUID.match(statement["id"]):
        found.append("id is not a UUID")
    actor = statement.get("actor")
    if not isinstance(actor, dict) or actor.get("objectType", "Agent") != "Agent":
        found.append("actor is not an Agent")
    else:
        identifiers = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
        if identifiers != ["account"]:
            found.append(f"actor identifies by {identifiers}, not exactly one account")
        account = actor.get("account")
        if not isinstance(account, dict) or not IRL.match(str(account.get("homePage", ""))) \
                or not isinstance(account.get("name"), str) or not account["name"]:
            found.append("actor.account needs homePage (an IRL) and name")
    verb = statement.get("verb")
    if not isinstance(verb, dict) or not IRI.match(str(verb.get("id", ""))):
        found.append("verb.id is not an IRI")
    elif "display" in verb:
        _language_map(verb["display"], "verb.display", found)
    _activity(statement.get("object"), "object", found)
    result = statement.get("result")
    if result is not None:
        if not isinstance(result, dict):
            found.append("result is not an object")
        else:
            score = result.get("score")
            if score is not None:
                scaled = score.get("scaled")
                if scaled is not None and not (isinstance(scaled, (int, float)) and -1 <= scaled <= 1):
                    found.append("result.score.scaled is not in [-1, 1]")
                low, high, raw = score.get("min"), score.get("max"), score.get("raw")
                if low is not None and high is not None and not low < high:
                    found.append("result.score.min is not below max")
                if raw is not None and ((low is not None and raw < low) or
                                        (high is not None and raw > high)):
                    found.append("result.score.raw is outside [min, max]")
            for flag in ("success", "completion"):
                if flag in result and not isinstance(result[flag], bool):
                    found.append(f"result.{flag} is not a boolean")
            if "response" in result and not isinstance(result["response"], str):
                found.append("result.response is not a string")
            if "duration" in result and not DURATION.match(str(result["duration"])):
                found.append("result.duration is not an ISO 8601 duration")
    context = statement.get("context")
    if context is not None:
        activities = context.get("contextActivities", {})
        for kind, listed in activities.items():
            if kind not in ("parent", "grouping", "category", "other"):
                found.append(f"context.contextActivities.{kind} is not a context type")
            for i, activity in enumerate(listed if isinstance(listed, list) else [listed]):
                _activity(activity, f"context.contextActivities.{kind}[{i}]", found)
        if "language" in context and not LANGUAGE.match(str(context["language"])):
            found.append("context.language is not a language tag")
        for key in context.get("extensions", {}):
            if not IRI.match(key):
                found.append("an extension key is not an IRI")
    if "timestamp" in statement and not TIMESTAMP.match(str(statement["timestamp"])):
        found.append("timestamp is not an RFC 3339 time")
    return found


class FakeLrs:
    def __init__(self, *, username="practica", password="lrs-secret", prefix="/xapi", port=0):
        self.username = username
        self.password = password
        self.prefix = prefix
        self._lock = threading.Lock()
        self._connections = set()  # open client connections, closed with the server
        self.reset()
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with lrs._lock:
                    lrs._connections.add(self.connection)

            def finish(self):
                with lrs._lock:
                    lrs._connections.discard(self.connection)
                super().finish()

            def log_message(self, *args):
                pass

            def do_GET(self):
                lrs._handle(self, "GET")

            def do_POST(self):
                lrs._handle(self, "POST")

            def do_PUT(self):
                lrs._handle(self, "PUT")

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}{prefix}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def reset(self):
        with self._lock:
            self.stored = {}  # id → statement
            self.order = []  # ids, in the order stored
            self.requests = []  # {"status", "ids", "problems", "at"}
            self._failures = []  # [status, retry_after] per request to fail
            self._refused = {}  # id → status

    def close(self):
        """Stops as a crashed LRS would: the listener and every kept-alive connection close."""
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # What a test asks for.
    @property
    def statements(self):
        with self._lock:
            return [self.stored[i] for i in self.order]

    def fail(self, status, count=1, retry_after=None):
        with self._lock:
            self._failures += [[status, retry_after]] * count

    def refuse(self, statement_id, status=400):
        with self._lock:
            self._refused[statement_id] = status

    def wait_for(self, count, timeout=20):
        """Waits until at least `count` statements are stored; returns them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.order) >= count:
                return self.statements
            time.sleep(0.05)
        raise AssertionError(f"the LRS has {len(self.order)} statements, not {count}")

    def state(self):
        with self._lock:
            return {"statements": [self.stored[i] for i in self.order],
                    "requests": list(self.requests)}

    # HTTP.
    def _reply(self, handler, status, body=b"", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Content-Type", "application/json")
        handler.send_header("X-Experience-API-Version", "1.0.3")
        for name, value in headers:
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def _handle(self, handler, method):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        path = handler.path.split("?")[0]
        if path.startswith("/control/"):
            return self._control(handler, method, path, body)
        if path != self.prefix + "/statements" or method != "POST":
            return self._reply(handler, 404 if method == "POST" else 405, {"error": "not here"})
        status, answer, headers, ids, found = self._post(handler.headers, body)
        with self._lock:
            self.requests.append({"status": status, "ids": ids, "problems": found,
                                  "at": time.time()})
        self._reply(handler, status, answer, headers)

    def _post(self, headers, body):
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        ids = []
        try:
            parsed = json.loads(body)
            batch = parsed if isinstance(parsed, list) else [parsed]
            ids = [s.get("id") for s in batch if isinstance(s, dict)]
        except ValueError:
            batch = None
        if failure:
            status, retry_after = failure
            extra = [("Retry-After", str(retry_after))] if retry_after is not None else []
            return status, {"error": "told to fail"}, extra, ids, []
        expected = "Basic " + base64.b64encode(
            f"{self.username}:{self.password}".encode()).decode()
        if headers.get("Authorization") != expected:
            return 401, {"error": "bad credentials"}, [("WWW-Authenticate", 'Basic realm="LRS"')], ids, []
        if not str(headers.get("X-Experience-API-Version", "")).startswith("1.0."):
            return 400, {"error": "X-Experience-API-Version is missing"}, [], ids, ["no version header"]
        if not str(headers.get("Content-Type", "")).startswith("application/json"):
            return 400, {"error": "not application/json"}, [], ids, ["not JSON"]
        if batch is None or not batch:
            return 400, {"error": "no statements"}, [], ids, ["no statements"]
        found = [p for s in batch for p in problems(s)]
        if len(set(ids)) != len(ids):
            found.append("two statements of the batch share an id")
        if found:
            return 400, {"error": "; ".join(found)}, [], ids, found
        with self._lock:
            refused = [self._refused[i] for i in ids if i in self._refused]
            if refused:
                return refused[0], {"error": "refused"}, [], ids, []
            for statement in batch:
                known = self.stored.get(statement["id"])
                if known is not None and known != statement:
                    return 409, {"error": f"{statement['id']} is stored with other content"}, [], ids, []
            for statement in batch:
                if statement["id"] not in self.stored:
                    self.stored[statement["id"]] = statement
                    self.order.append(statement["id"])
        return 200, ids, [], ids, []

    def _control(self, handler, method, path, body):
        args = json.loads(body) if body else {}
        if method == "GET" and path == "/control/state":
            return self._reply(handler, 200, self.state())
        if method == "POST" and path == "/control/fail":
            self.fail(args["status"], args.get("count", 1), args.get("retry_after"))
        elif method == "POST" and path == "/control/refuse":
            self.refuse(args["id"], args.get("status", 400))
        elif method == "POST" and path == "/control/store":
            with self._lock:  # a statement the LRS has already, e.g. from an earlier send
                self.stored[args["id"]] = args
                self.order.append(args["id"])
        elif method == "POST" and path == "/control/reset":
            self.reset()
        else:
            return self._reply(handler, 404, {"error": "no such control"})
        return self._reply(handler, 204)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--username", default="practica")
    parser.add_argument("--password", default="lrs-secret")
    parser.add_argument("--prefix", default="/xapi")
    args = parser.parse_args()
    lrs = FakeLrs(username=args.username, password=args.password, prefix=args.prefix)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(json.dumps({"port": lrs.port, "endpoint": lrs.endpoint}), flush=True)
    stop.wait()
    lrs.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
