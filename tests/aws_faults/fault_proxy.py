#!/usr/bin/env python3
"""A fault-injecting HTTP/1.1 reverse proxy for DynamoDB's JSON protocol (tests only; stdlib).

It listens on 127.0.0.1 and a free port in front of a local DynamoDB (moto, dynalite) and passes
each request on byte for byte, Host header included, so a SigV4 signature made for the proxy's
address still verifies upstream. Rules decide which requests it answers itself instead:

    throttle    400 ProvisionedThroughputExceededException (nothing reaches the table)
    throttling  400 ThrottlingException                     (nothing reaches the table)
    error500    500 InternalServerError                     (nothing reaches the table)
    timeout     forwarded (so it may be applied), then no answer: the proxy holds the reply until
                the client hangs up, or sends it late after `hold_seconds` and closes. The write
                happened; the client did not hear.
    drop        forwarded, then the connection is reset without an answer: like `timeout`, but
                the client learns at once, and retries at once.
    blackhole   not forwarded, never answered (held like `timeout`): a dead network path.

A rule is a dict:

    {"fault": "throttle",        one of the names above
     "share": 0.3,               the probability that a matching request gets it (default 1)
     "operations": ["PutItem"],  only these operations (X-Amz-Target), default all
     "contains": ["LEARNER#u"],  only requests whose body contains every one of these strings
     "times": 2}                 at most this many requests get it, then the rule is spent

Rules are tried in order; the first that matches and fires wins; a request no rule takes is
forwarded. `configure` replaces the rules at any time (from the test, or over HTTP: below), so
one test can go from 30 % mixed faults to 100 % throttling and back to none. `counts` says what
the proxy did: per outcome ("forwarded" for a normal pass-through, else the fault's name), per
operation, and "reached_upstream" (requests that were sent to DynamoDB, whatever the client got).

Control over HTTP, on the proxy's own port (DynamoDB itself only uses POST /):
    GET  /_fault_proxy/counts                 the counts as JSON
    PUT  /_fault_proxy/rules  {"rules": [...], "hold_seconds": 8}   replace the rules
    POST /_fault_proxy/reset                  zero the counts

As a program: `fault_proxy.py --upstream http://127.0.0.1:PORT [--rules JSON] [--seed N]`
prints {"port": P} on one line once it listens, and runs until SIGTERM or Ctrl-C.
"""

import argparse
import http.client
import json
import random
import select
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse

FAULTS = ("throttle", "throttling", "error500", "timeout", "drop", "blackhole")
FORWARDED = "forwarded"
CONTROL_PREFIX = "/_fault_proxy/"
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 16 * 1024 * 1024
UPSTREAM_TIMEOUT = 30

_AWS_JSON = "application/x-amz-json-1.0"
_ERROR_BODIES = {
    "throttle": (400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                 "The level of configured provisioned throughput for the table was exceeded "
                 "(injected by fault_proxy)"),
    "throttling": (400, "com.amazon.coral.availability#ThrottlingException",
                   "Rate of requests exceeds the allowed throughput (injected by fault_proxy)"),
    "error500": (500, "com.amazonaws.dynamodb.v20120810#InternalServerError",
                 "Internal server error (injected by fault_proxy)"),
}
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length",
               "proxy-connection", "te", "trailer", "upgrade"}


class RuleError(ValueError):
    """A rule that does not make sense; the message says which field."""


def check_rules(rules):
    """The rules with defaults filled in, or RuleError."""
    checked = []
    for index, rule in enumerate(rules or []):
        if not isinstance(rule, dict):
            raise RuleError(f"rule {index}: not an object")
        unknown = set(rule) - {"fault", "share", "operations", "contains", "times"}
        if unknown:
            raise RuleError(f"rule {index}: unknown fields {sorted(unknown)}")
        if rule.get("fault") not in FAULTS:
            raise RuleError(f"rule {index}: fault must be one of {FAULTS}")
        share = rule.get("share", 1.0)
        if not isinstance(share, (int, float)) or not 0 <= share <= 1:
            raise RuleError(f"rule {index}: share must be a number in [0, 1]")
        times = rule.get("times")
        if times is not None and (not isinstance(times, int) or times < 0):
            raise RuleError(f"rule {index}: times must be a whole number")
        operations = rule.get("operations")
        contains = rule.get("contains", [])
        if isinstance(contains, str):
            contains = [contains]
        checked.append({"fault": rule["fault"], "share": float(share),
                        "operations": set(operations) if operations else None,
                        "contains": [text.encode() for text in contains], "times": times})
    return checked


class FaultProxy:
    """The proxy; runs on its own threads in the calling process. Thread-safe."""

    def __init__(self, upstream, *, rules=None, hold_seconds=15.0, seed=None):
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.scheme != "http" or not parsed.hostname:
            raise ValueError(f"upstream must be an http:// URL, not {upstream!r}")
        self.upstream = (parsed.hostname, parsed.port or 80)
        self.seed = seed if seed is not None else random.randrange(1 << 32)
        self._random = random.Random(self.seed)
        self._lock = threading.Lock()
        self._rules = []
        self._hold_seconds = hold_seconds
        self._counts = {}
        self._stopping = threading.Event()
        self.configure(rules or [], hold_seconds)
        self.reset_counts()
        proxy = self

        class Handler(_Connection):
            owner = proxy

        self._server = _Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True,
                                        name="fault-proxy")
        self._thread.start()

    # Configuration and counts ---------------------------------------------------------------

    def configure(self, rules, hold_seconds=None):
        """Replaces the rules (see the module's docstring); [] forwards everything."""
        checked = check_rules(rules)
        with self._lock:
            self._rules = checked
            if hold_seconds is not None:
                self._hold_seconds = float(hold_seconds)

    def counts(self):
        """A snapshot: {"requests", "reached_upstream", "outcomes": {outcome: n},
        "operations": {operation: {outcome: n}}}."""
        with self._lock:
            return json.loads(json.dumps(self._counts))

    def reset_counts(self):
        with self._lock:
            self._counts = {"requests": 0, "reached_upstream": 0, "outcomes": {},
                            "operations": {}}

    def close(self):
        """Stops listening, releases held requests and waits for the server thread."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    # Used by the connection handler ----------------------------------------------------------

    def _decide(self, operation, body):
        with self._lock:
            self._counts["requests"] += 1
            for rule in self._rules:
                if rule["times"] == 0:
                    continue
                if rule["operations"] is not None and operation not in rule["operations"]:
                    continue
                if not all(text in body for text in rule["contains"]):
                    continue
                if rule["share"] < 1 and self._random.random() >= rule["share"]:
                    continue
                if rule["times"] is not None:
                    rule["times"] -= 1
                return rule["fault"]
            return FORWARDED

    def _count(self, operation, outcome, reached_upstream):
        with self._lock:
            outcomes = self._counts["outcomes"]
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            per_operation = self._counts["operations"].setdefault(operation, {})
            per_operation[outcome] = per_operation.get(outcome, 0) + 1
            if reached_upstream:
                self._counts["reached_upstream"] += 1

    def _hold_seconds_now(self):
        with self._lock:
            return self._hold_seconds


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False


class _BadRequest(Exception):
    pass


class _Connection(socketserver.StreamRequestHandler):
    """One client connection: keep-alive requests, one after another."""

    owner = None  # the FaultProxy; set on the subclass FaultProxy makes

    def handle(self):
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while not self.owner._stopping.is_set():
            try:
                request = self._read_request()
            except _BadRequest as error:
                self._answer(400, "text/plain", str(error).encode(), close=True)
                return
            except OSError:
                return
            if request is None:
                return
            if not self._serve(*request):
                return

    def _read_request(self):
        """(head bytes, method, path, headers dict lower-case, body) or None at end of stream."""
        head = b""
        while True:
            line = self.rfile.readline(MAX_HEADER_BYTES + 1)
            if not line:
                if head:
                    raise _BadRequest("the connection closed inside a request head")
                return None
            if not head and line in (b"\r\n", b"\n"):
                continue  # tolerated between requests (RFC 9112 section 2.2)
            head += line
            if len(head) > MAX_HEADER_BYTES:
                raise _BadRequest("request head too large")
            if line in (b"\r\n", b"\n"):
                break
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            raise _BadRequest("malformed request line")
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            raise _BadRequest("chunked request bodies are not supported by fault_proxy")
        try:
            length = int(headers.get("content-length", "0"))
        except ValueError:
            raise _BadRequest("bad Content-Length") from None
        if not 0 <= length <= MAX_BODY_BYTES:
            raise _BadRequest("bad Content-Length")
        body = self.rfile.read(length)
        if len(body) != length:
            raise _BadRequest("the connection closed inside a request body")
        return head, parts[0], parts[1], headers, body

    def _serve(self, head, method, path, headers, body):
        """Handles one request; returns whether the connection stays open."""
        close = headers.get("connection", "").lower() == "close"
        if path.startswith(CONTROL_PREFIX):
            return self._control(method, path[len(CONTROL_PREFIX):], body) and not close
        target = headers.get("x-amz-target", "")
        operation = target.rpartition(".")[2] or "(none)"
        fault = self.owner._decide(operation, body)
        if fault in _ERROR_BODIES:
            self.owner._count(operation, fault, False)
            status, kind, message = _ERROR_BODIES[fault]
            payload = json.dumps({"__type": kind, "message": message}).encode()
            return self._answer(status, _AWS_JSON, payload, close=close) and not close
        if fault == "blackhole":
            self.owner._count(operation, fault, False)
            self._hold(None)
            return False
        try:
            reply = self._forward(head + body)
        except OSError as error:
            self.owner._count(operation, "upstream-failed", False)
            payload = f"fault_proxy: upstream failed: {error}".encode()
            self._answer(502, "text/plain", payload, close=True)
            return False
        self.owner._count(operation, fault, True)
        if fault == "drop":
            self._reset()
            return False
        if fault == "timeout":
            self._hold(reply)
            return False
        try:
            self.wfile.write(reply)
            self.wfile.flush()
        except OSError:
            return False
        return not close

    def _forward(self, raw_request):
        """Sends the request's bytes upstream on a fresh connection; the reply, re-framed with a
        Content-Length, as bytes ready to send to the client."""
        with socket.create_connection(self.owner.upstream, timeout=UPSTREAM_TIMEOUT) as upstream:
            upstream.sendall(raw_request)
            response = http.client.HTTPResponse(upstream, method="POST")
            response.begin()
            payload = response.read()
            lines = [f"HTTP/1.1 {response.status} {response.reason}"]
            for name, value in response.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    lines.append(f"{name}: {value}")
            lines.append(f"Content-Length: {len(payload)}")
            return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload

    def _answer(self, status, content_type, payload, *, close):
        reason = http.client.responses.get(status, "")
        head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(payload)}\r\n"
                f"x-amzn-RequestId: fault-proxy-{time.monotonic_ns()}\r\n")
        if close:
            head += "Connection: close\r\n"
        try:
            self.wfile.write(head.encode("latin-1") + b"\r\n" + payload)
            self.wfile.flush()
            return True
        except OSError:
            return False

    def _hold(self, late_reply):
        """Waits until the client hangs up, the hold time passes or the proxy stops; then sends
        `late_reply` (if any, and if the client is still there) and lets the connection close."""
        deadline = time.monotonic() + self.owner._hold_seconds_now()
        sock = self.connection
        while time.monotonic() < deadline and not self.owner._stopping.is_set():
            readable, _, _ = select.select([sock], [], [], 0.1)
            if readable:
                try:
                    if not sock.recv(1, socket.MSG_PEEK):
                        return  # the client gave up
                except OSError:
                    return
        if late_reply is not None and not self.owner._stopping.is_set():
            try:
                self.wfile.write(late_reply)
                self.wfile.flush()
            except OSError:
                pass

    def _reset(self):
        """Closes the client connection with a TCP reset (SO_LINGER 0): no answer, no FIN."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            # The socket closes for real only when its file objects are gone too; socketserver's
            # own clean-up would shut the write side down first, and send a FIN.
            self.rfile.close()
            self.connection.close()
        except OSError:
            pass

    def _control(self, method, what, body):
        try:
            if method == "GET" and what == "counts":
                payload = json.dumps(self.owner.counts()).encode()
            elif method == "PUT" and what == "rules":
                config = json.loads(body or b"{}")
                self.owner.configure(config.get("rules", []), config.get("hold_seconds"))
                payload = b'{"ok": true}'
            elif method == "POST" and what == "reset":
                self.owner.reset_counts()
                payload = b'{"ok": true}'
            else:
                return self._answer(404, "application/json", b'{"error": "no such control"}',
                                    close=False)
        except (ValueError, RuleError) as error:
            return self._answer(400, "application/json",
                                json.dumps({"error": str(error)}).encode(), close=False)
        return self._answer(200, "application/json", payload, close=False)


def main(argv):
    parser = argparse.ArgumentParser(description="Fault-injecting proxy for DynamoDB (tests).")
    parser.add_argument("--upstream", required=True, help="http://HOST:PORT of the DynamoDB")
    parser.add_argument("--rules", default="[]", help="the rules, as a JSON list")
    parser.add_argument("--hold-seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int)
    options = parser.parse_args(argv[1:])
    proxy = FaultProxy(options.upstream, rules=json.loads(options.rules),
                       hold_seconds=options.hold_seconds, seed=options.seed)
    print(json.dumps({"port": proxy.port, "seed": proxy.seed}), flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    proxy.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
