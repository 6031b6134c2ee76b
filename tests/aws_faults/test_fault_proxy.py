"""The fault proxy itself, against a stub upstream that records what reaches it: what the fault
tests rely on (byte-for-byte forwarding, each fault's effect, rules, counts, the control
endpoint). Needs no stand-in; runs in about a second."""
import http.client
import json
import socket
import socketserver
import threading
import time
import unittest

from fault_proxy import FaultProxy, RuleError

REPLY_BODY = b'{"Item": {"pk": {"S": "x"}}}'


class StubUpstream(socketserver.ThreadingTCPServer):
    """Records each raw request (head and body) and answers 200 with REPLY_BODY, keep-alive."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.received = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _StubHandler)
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self):
        self.shutdown()
        self.server_close()


class _StubHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            head = b""
            while not head.endswith(b"\r\n\r\n"):
                line = self.rfile.readline()
                if not line:
                    return
                head += line
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = self.rfile.read(length)
            with self.server.lock:
                self.server.received.append(head + body)
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
                             b"x-amzn-RequestId: stub\r\nContent-Length: "
                             + str(len(REPLY_BODY)).encode() + b"\r\n\r\n" + REPLY_BODY)


def raw_request(operation, body=b"{}", host="dynamodb.example:8000"):
    """A request as practica's client writes one, with header names in mixed case."""
    return (f"POST / HTTP/1.1\r\nHost: {host}\r\nX-Amz-Target: DynamoDB_20120810.{operation}\r\n"
            f"content-type: application/x-amz-json-1.0\r\nAuthorization: AWS4-HMAC-SHA256 "
            f"Credential=k/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, "
            f"Signature=00\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def read_reply(sock):
    """(status, headers, body) of one reply on `sock`, or None when the proxy closes first."""
    response = http.client.HTTPResponse(sock, method="POST")
    try:
        response.begin()
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return None
    return response.status, dict(response.getheaders()), response.read()


class FaultProxyTest(unittest.TestCase):
    def setUp(self):
        self.upstream = StubUpstream()
        self.proxy = FaultProxy(self.upstream.url, seed=7, hold_seconds=5)

    def tearDown(self):
        self.proxy.close()
        self.upstream.close()

    def connect(self, timeout=2.0):
        sock = socket.create_connection(("127.0.0.1", self.proxy.port), timeout=timeout)
        self.addCleanup(sock.close)
        return sock

    def send(self, request, sock=None):
        sock = sock or self.connect()
        sock.sendall(request)
        return read_reply(sock)

    def test_forwards_each_request_byte_for_byte_on_a_kept_alive_connection(self):
        """What reaches DynamoDB is exactly what the client sent, Host and signature included, so
        SigV4 still verifies; the reply comes back; the connection stays usable."""
        sock = self.connect()
        first = raw_request("GetItem", b'{"TableName": "t"}')
        second = raw_request("PutItem", b'{"TableName": "t", "Item": {}}')
        self.assertEqual(self.send(first, sock)[::2], (200, REPLY_BODY))
        self.assertEqual(self.send(second, sock)[::2], (200, REPLY_BODY))
        self.assertEqual(self.upstream.received, [first, second])
        counts = self.proxy.counts()
        self.assertEqual((counts["requests"], counts["reached_upstream"]), (2, 2))
        self.assertEqual(counts["operations"]["PutItem"], {"forwarded": 1})

    def test_error_faults_answer_as_dynamodb_would_and_forward_nothing(self):
        """throttle, throttling and error500 answer with DynamoDB's status and JSON error body
        (the __type names the exception, as practica's and the SDKs' parsers read it)."""
        expected = {"throttle": (400, "ProvisionedThroughputExceededException"),
                    "throttling": (400, "ThrottlingException"),
                    "error500": (500, "InternalServerError")}
        for fault, (status, name) in expected.items():
            self.proxy.configure([{"fault": fault}])
            got_status, headers, body = self.send(raw_request("Query"))
            error = json.loads(body)
            self.assertEqual(got_status, status, fault)
            self.assertEqual(error["__type"].rpartition("#")[2], name)
            self.assertIn("message", error)
            self.assertEqual(headers["Content-Type"], "application/x-amz-json-1.0")
        self.assertEqual(self.upstream.received, [])
        self.assertEqual(self.proxy.counts()["outcomes"],
                         {"throttle": 1, "throttling": 1, "error500": 1})

    def test_rules_match_operation_and_body_and_run_out(self):
        """The first matching rule that fires wins; `operations` and `contains` narrow it;
        `times` spends it; share 0 never fires."""
        self.proxy.configure([
            {"fault": "error500", "share": 0},
            {"fault": "throttle", "operations": ["PutItem"], "contains": ["LEARNER#a", "TOTALS"],
             "times": 1},
            {"fault": "error500", "operations": ["BatchGetItem"]}])
        totals = b'{"Item": {"pk": {"S": "LEARNER#a"}, "sk": {"S": "TOTALS"}}}'
        self.assertEqual(self.send(raw_request("PutItem", b'{"LEARNER#a": 1}'))[0], 200)
        self.assertEqual(self.send(raw_request("GetItem", totals))[0], 200)
        self.assertEqual(self.send(raw_request("PutItem", totals))[0], 400)
        self.assertEqual(self.send(raw_request("PutItem", totals))[0], 200)  # spent
        self.assertEqual(self.send(raw_request("BatchGetItem"))[0], 500)
        self.assertEqual(len(self.upstream.received), 3)

    def test_rules_are_checked(self):
        for bad in ([{"fault": "explode"}], [{"fault": "drop", "share": 2}],
                    [{"fault": "drop", "times": -1}], [{"fault": "drop", "when": "now"}]):
            with self.assertRaises(RuleError, msg=bad):
                self.proxy.configure(bad)

    def test_drop_forwards_then_resets_without_an_answer(self):
        self.proxy.configure([{"fault": "drop"}])
        self.assertIsNone(self.send(raw_request("PutItem")))
        self.assertEqual(len(self.upstream.received), 1)
        self.assertEqual(self.proxy.counts()["outcomes"], {"drop": 1})

    def test_timeout_forwards_and_holds_the_reply_until_the_client_gives_up(self):
        """The write reaches DynamoDB; the client hears nothing within its timeout; when it hangs
        up the proxy lets go."""
        self.proxy.configure([{"fault": "timeout"}])
        sock = self.connect(timeout=0.3)
        sock.sendall(raw_request("PutItem"))
        with self.assertRaises(socket.timeout):
            sock.recv(1)
        self.assertEqual(len(self.upstream.received), 1)
        sock.close()
        self.assertEqual(self.proxy.counts()["outcomes"], {"timeout": 1})

    def test_timeout_answers_late_to_a_patient_client(self):
        self.proxy.configure([{"fault": "timeout"}], hold_seconds=0.3)
        started = time.monotonic()
        status, _, body = self.send(raw_request("PutItem"))
        self.assertEqual((status, body), (200, REPLY_BODY))
        self.assertGreaterEqual(time.monotonic() - started, 0.3)

    def test_blackhole_neither_forwards_nor_answers(self):
        self.proxy.configure([{"fault": "blackhole"}], hold_seconds=0.2)
        self.assertIsNone(self.send(raw_request("GetItem")))
        self.assertEqual(self.upstream.received, [])

    def test_control_endpoint_sets_rules_and_reads_counts(self):
        control = http.client.HTTPConnection("127.0.0.1", self.proxy.port, timeout=2)
        self.addCleanup(control.close)

        def call(method, path, body=None):
            control.request(method, "/_fault_proxy/" + path, body=body)
            response = control.getresponse()
            return response.status, json.loads(response.read())

        rules = {"rules": [{"fault": "throttle", "times": 1}]}
        self.assertEqual(call("PUT", "rules", json.dumps(rules))[0], 200)
        self.assertEqual(self.send(raw_request("GetItem"))[0], 400)
        self.assertEqual(self.send(raw_request("GetItem"))[0], 200)
        status, counts = call("GET", "counts")
        self.assertEqual((status, counts["outcomes"]), (200, {"throttle": 1, "forwarded": 1}))
        self.assertEqual(call("PUT", "rules", '{"rules": [{"fault": "nope"}]}')[0], 400)
        self.assertEqual(call("POST", "reset")[0], 200)
        self.assertEqual(call("GET", "counts")[1]["requests"], 0)


if __name__ == "__main__":
    unittest.main()
