"""The HTTP server, end to end against the real binary: limits, errors, keep-alive, shutdown."""
import json
import socket
import time
import unittest

from harness import Server, parse_status_line


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def assert_problem(self, status, headers, body, expected_status):
        self.assertEqual(status, expected_status)
        self.assertEqual(headers["content-type"], "application/problem+json")
        problem = json.loads(body)
        self.assertEqual(problem["status"], expected_status)
        self.assertTrue(problem["title"])
        self.assertEqual(problem["request_id"], headers["x-request-id"])
        return problem

    def test_health_and_ready(self):
        status, headers, body = self.server.get_json("/api/health")
        self.assertEqual((status, body), (200, {"status": "ok"}))
        self.assertEqual(headers["content-type"], "application/json")
        status, _, body = self.server.get_json("/api/ready")
        self.assertEqual((status, body), (200, {"status": "ready"}))

    def test_security_headers_on_every_response(self):
        for path in ("/api/health", "/api/nope", "/"):
            _, headers, _ = self.server.request("GET", path)
            csp = headers["content-security-policy"]
            self.assertIn("script-src 'self'", csp, path)
            self.assertNotIn("script-src 'self' 'unsafe-inline'", csp)
            self.assertIn("frame-ancestors 'none'", csp)
            self.assertEqual(headers["x-content-type-options"], "nosniff")
            self.assertIn("referrer-policy", headers)

    def test_unknown_route_is_404_problem(self):
        status, headers, body = self.server.request("GET", "/api/does-not-exist")
        problem = self.assert_problem(status, headers, body, 404)
        self.assertEqual(problem["type"], "urn:practica:problem:not-found")

    def test_wrong_method_is_405_with_allow(self):
        status, headers, body = self.server.request("DELETE", "/api/courses")
        self.assert_problem(status, headers, body, 405)
        self.assertEqual(headers["allow"], "GET, HEAD")

    def test_unknown_method_is_405(self):
        raw = self.server.raw(b"BREW /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(parse_status_line(raw), 405)

    def test_oversized_headers_are_431(self):
        raw = self.server.raw(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " +
                              b"a" * 40000 + b"\r\n\r\n")
        self.assertEqual(parse_status_line(raw), 431)
        self.assertIn(b"application/problem+json", raw)

    def test_oversized_body_is_413(self):
        body = b"x" * (2 * 1024 * 1024)
        raw = self.server.raw(b"POST /api/courses HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                              str(len(body)).encode() + b"\r\n\r\n" + body[:1000])
        self.assertEqual(parse_status_line(raw), 413)

    def test_malformed_http_is_400(self):
        for payload in (b"GARBAGE\r\n\r\n", b"GET /api/health HTTP/9.9\r\n\r\n",
                        b"GET /api/health HTTP/1.1\r\nBad Header\r\n\r\n",
                        b"GET /api/health HTTP/1.1\r\nContent-Length: -5\r\n\r\n"):
            raw = self.server.raw(payload)
            self.assertEqual(parse_status_line(raw), 400, payload)

    def test_non_origin_form_target_is_400(self):
        raw = self.server.raw(b"GET http://evil.example/api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(parse_status_line(raw), 400)

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as sock:
            for _ in range(3):
                sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
                data = b""
                while b'{"status":"ok"}' not in data:
                    chunk = sock.recv(4096)
                    self.assertTrue(chunk, "connection closed early")
                    data += chunk
                self.assertEqual(parse_status_line(data), 200)

    def test_head_has_no_body_but_a_length(self):
        raw = self.server.raw(b"HEAD /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head, _, body = raw.partition(b"\r\n\r\n")
        self.assertEqual(parse_status_line(raw), 200)
        self.assertIn(b"Content-Length: 15", head)
        self.assertEqual(body, b"")

    def test_one_json_access_log_line_per_request(self):
        self.server.request("GET", "/api/health", headers={"X-Request-Id": "log-check-1"})
        deadline = time.time() + 3
        entry = None
        while time.time() < deadline and entry is None:
            for e in self.server.log_entries():
                if e.get("request_id") == "log-check-1" and e.get("msg") == "request":
                    entry = e
            time.sleep(0.05)
        self.assertIsNotNone(entry, "no access log line")
        for key in ("time", "level", "method", "path", "status", "duration_ms"):
            self.assertIn(key, entry)
        self.assertEqual((entry["method"], entry["path"], entry["status"]),
                         ("GET", "/api/health", 200))


class ShutdownTest(unittest.TestCase):
    def test_sigterm_finishes_in_flight_request_and_exits_zero(self):
        server = Server().start()
        try:
            idle = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            busy = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            # A request whose headers arrived but whose body has not: in flight.
            busy.sendall(b"POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")
            time.sleep(0.3)
            started = time.time()
            server.proc.send_signal(15)
            time.sleep(0.3)
            busy.sendall(b"world")
            answer = b""
            while True:
                chunk = busy.recv(4096)
                if not chunk:
                    break
                answer += chunk
            self.assertEqual(parse_status_line(answer), 405)  # answered, not dropped
            self.assertIn(b"Connection: close", answer)
            self.assertEqual(idle.recv(10), b"")  # the idle connection was closed
            code = server.proc.wait(10)
            self.assertEqual(code, 0)
            self.assertLess(time.time() - started, 10)
            # The listener is closed.
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", server.port), timeout=1)
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()


class TimeoutTest(unittest.TestCase):
    """Slow and silent clients are cut off; the others are served meanwhile."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_args=("--header-timeout-ms", "600",
                                        "--idle-timeout-ms", "900")).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def closed_after(self, sock, limit):
        """Seconds until the server closes `sock` (reads until EOF), failing past `limit`."""
        sock.settimeout(limit)
        started = time.time()
        try:
            while sock.recv(4096):
                pass
        except socket.timeout:
            self.fail(f"still open after {limit}s")
        return time.time() - started

    def test_a_client_trickling_its_headers_is_cut_off(self):
        with socket.create_connection(("127.0.0.1", self.server.port)) as slow:
            slow.sendall(b"GET /api/health HTTP/1.1\r\n")
            time.sleep(0.2)
            slow.sendall(b"X-Slow: 1\r\n")  # still no blank line
            # Served while the slow one waits.
            self.assertEqual(self.server.request("GET", "/api/health")[0], 200)
            self.assertLess(self.closed_after(slow, 5), 2)

    def test_an_idle_keep_alive_connection_is_closed(self):
        with socket.create_connection(("127.0.0.1", self.server.port)) as sock:
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while b'{"status":"ok"}' not in data:
                data += sock.recv(4096)
            waited = self.closed_after(sock, 5)
            self.assertGreater(waited, 0.5)
            self.assertLess(waited, 3)


class BadBytesTest(unittest.TestCase):
    def test_invalid_utf8_in_paths_and_queries_gives_valid_json_errors(self):
        server = Server().start()
        try:
            for path, expected in (("/api/courses/%FF%FE", 404),
                                   ("/api/courses/x/lessons/%C3%28", 404),
                                   ("/api/courses?cursor=%FF", 400),
                                   ("/api/courses?limit=%FF", 400),
                                   ("/api/%00", 404)):
                status, headers, body = server.request("GET", path)
                self.assertEqual(status, expected, path)
                problem = json.loads(body.decode("utf-8"))  # strict: must be valid UTF-8 JSON
                self.assertEqual(problem["status"], expected)
        finally:
            server.cleanup()
