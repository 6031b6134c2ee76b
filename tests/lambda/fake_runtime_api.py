"""A fake AWS Lambda Runtime API (version 2018-06-01) for tests and the cold-start benchmark.

It listens on 127.0.0.1 on a free port (`address` is what AWS_LAMBDA_RUNTIME_API should say),
hands out the events queued with `invoke()` on GET /runtime/invocation/next (blocking until there
is one, as Lambda does), and records what the runtime posts back: /invocation/{id}/response,
/invocation/{id}/error and /init/error. Posting for an unknown request id is refused with 400.

HTTP/1.1 with keep-alive, parsed by hand rather than with http.server: it is small enough, and the
benchmark needs timestamps taken right where bytes leave and arrive, without a framework's own
work in between. Every connection gets its own thread.
"""
import itertools
import json
import queue
import select
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field

PREFIX = "/2018-06-01/runtime"


@dataclass
class Outcome:
    """What the runtime posted for one invocation (or for init)."""
    kind: str  # "response" | "error" | "init_error"
    body: bytes
    headers: dict  # lower-case names
    received: float  # time.perf_counter() when the whole request had arrived
    sent: float = 0.0  # when the event was handed out (0 for init errors)

    def json(self):
        return json.loads(self.body)


@dataclass
class _Pending:
    request_id: str
    event: bytes
    headers: dict
    sent: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome = None


class FakeRuntimeApi:
    def __init__(self, *, chunked=False):
        """`chunked`: send events with Transfer-Encoding: chunked, as Go's net/http (which the
        real Runtime API is written in) does for a body it was not told the length of."""
        self._chunked = chunked
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address = "127.0.0.1:%d" % self._listener.getsockname()[1]
        self._queue = queue.Queue()
        self._pending = {}
        self._lock = threading.Lock()
        self._waiting = 0  # runtimes blocked in /next
        self.init_errors = queue.Queue()
        self.requests = []  # (method, path) of every request, in order
        self._closed = False
        self._counter = itertools.count(1)
        threading.Thread(target=self._accept, daemon=True).start()

    # --- the test's side -------------------------------------------------------------------

    def invoke(self, event, *, deadline_ms=None, trace_id=None, request_id=None):
        """Queues an event (a dict, or bytes as they are); returns its request id."""
        request_id = request_id or str(uuid.uuid4())
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        if deadline_ms is None:
            deadline_ms = int(time.time() * 1000) + 30_000
        headers = {
            "Lambda-Runtime-Aws-Request-Id": request_id,
            "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
            "Lambda-Runtime-Invoked-Function-Arn":
                "arn:aws:lambda:eu-west-1:123456789012:function:practica",
            "Lambda-Runtime-Trace-Id": trace_id or
                "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e%03d;Parent=9a9197af755a6419;Sampled=1"
                % next(self._counter),
        }
        pending = _Pending(request_id, body, headers)
        with self._lock:
            self._pending[request_id] = pending
        self._queue.put(pending)
        return request_id

    def result(self, request_id, timeout=10):
        """The Outcome posted for the invocation; raises TimeoutError if none came in time."""
        with self._lock:
            pending = self._pending[request_id]
        if not pending.done.wait(timeout):
            raise TimeoutError("no outcome for invocation %s" % request_id)
        return pending.outcome

    def call(self, event, timeout=10, **kwargs):
        return self.result(self.invoke(event, **kwargs), timeout)

    def waiting(self):
        """How many runtimes are blocked in /next right now (one that has gone away stops
        counting within a few milliseconds)."""
        with self._lock:
            return self._waiting

    def wait_until_waiting(self, timeout=10):
        end = time.monotonic() + timeout
        while self.waiting() == 0:
            if time.monotonic() > end:
                raise TimeoutError("the runtime never asked for the next invocation")
            time.sleep(0.002)

    def close(self):
        self._closed = True
        self._listener.close()

    # --- the runtime's side ----------------------------------------------------------------

    def _accept(self):
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        buffer = b""
        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
                while len(buffer) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                body, buffer = buffer[:length], buffer[length:]
                received = time.perf_counter()
                self.requests.append((method, path))
                self._dispatch(conn, method, path, headers, body, received)
        except OSError:
            return
        finally:
            conn.close()

    def _dispatch(self, conn, method, path, headers, body, received):
        if method == "GET" and path == PREFIX + "/invocation/next":
            with self._lock:
                self._waiting += 1
            try:
                pending = self._next_event(conn)
            finally:
                with self._lock:
                    self._waiting -= 1
            if pending is None:
                raise OSError("the runtime went away while it waited")
            _send(conn, 200, pending.event, pending.headers, pending, self._chunked)
            return
        if method == "POST" and path == PREFIX + "/init/error":
            self.init_errors.put(Outcome("init_error", body, headers, received))
            _send(conn, 202, b'{"status":"OK"}')
            return
        if method == "POST" and path.startswith(PREFIX + "/invocation/"):
            request_id, _, kind = path[len(PREFIX + "/invocation/"):].partition("/")
            with self._lock:
                pending = self._pending.get(request_id)
            if pending is None or pending.done.is_set() or kind not in ("response", "error"):
                _send(conn, 400, b'{"errorMessage":"unknown request","errorType":"InvalidRequestID"}')
                return
            _send(conn, 202, b'{"status":"OK"}')
            pending.outcome = Outcome(kind, body, headers, received, pending.sent)
            pending.done.set()
            return
        _send(conn, 404, b'{"errorMessage":"no such path","errorType":"NotFound"}')


    def _next_event(self, conn):
        """The next queued event, or None when the runtime closes the connection first (it was
        stopped while it waited): its event must go to the next runtime instead."""
        while True:
            try:
                return self._queue.get(timeout=0.005)
            except queue.Empty:
                if _closed_by_peer(conn):
                    return None


def _closed_by_peer(conn):
    readable, _, _ = select.select([conn], [], [], 0)
    if not readable:
        return False
    try:
        return conn.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _send(conn, status, body, headers=None, pending=None, chunked=False):
    """Sends a reply; for an event, `pending.sent` is the moment its first byte leaves."""
    reason = {200: "OK", 202: "Accepted", 400: "Bad Request", 404: "Not Found"}[status]
    head = ["HTTP/1.1 %d %s" % (status, reason), "Content-Type: application/json"]
    if chunked:
        head.append("Transfer-Encoding: chunked")
        # Uneven chunks, a chunk extension and a trailer: all of what a client must take.
        chunks = [body[i:i + 1000] for i in range(0, len(body), 1000)]
        body = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(c), c) for c in chunks)
        body += b"0\r\nX-Trailer: done\r\n\r\n"
    else:
        head.append("Content-Length: %d" % len(body))
    head += ["%s: %s" % item for item in (headers or {}).items()]
    data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
    if pending is not None:
        pending.sent = time.perf_counter()
    conn.sendall(data)
