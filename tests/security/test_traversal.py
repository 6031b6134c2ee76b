"""Path traversal on the static files `practica serve` delivers (web/dist): every spelling of "go up
a folder" an attacker tries (dot segments raw, percent-encoded, double-encoded, overlong UTF-8,
with backslashes, encoded slashes, NUL, path parameters, absolute-form targets) and links that
lead out of the web root (a file, a folder) never deliver a byte from outside it.
tests/integration/test_static.py tries the first few spellings."""
import os
import unittest

from attacker import Server, parse_status_line

MARKER = b"TOP-SECRET-OUTSIDE-THE-WEB-ROOT"


class TraversalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        tmp = cls.server.tmp
        root = tmp / "www" / "dist"
        (root / "assets").mkdir(parents=True)
        cls.index = b"<!doctype html><title>Practica</title>"
        (root / "index.html").write_bytes(cls.index)
        (root / "assets" / "app-0123abcd.js").write_text("console.log('app')")
        (tmp / "secret.txt").write_bytes(MARKER)
        (tmp / "www" / "secret.txt").write_bytes(MARKER)
        (tmp / "outside").mkdir()
        (tmp / "outside" / "secret.txt").write_bytes(MARKER)
        (tmp / "outside" / "index.html").write_bytes(MARKER)
        os.symlink(tmp / "outside", root / "linked")  # a folder that leads out
        os.symlink(tmp / "secret.txt", root / "assets" / "linked.js")  # a file that does
        os.symlink("../../secret.txt", root / "relative.txt")
        cls.server.args[cls.server.args.index("--web-root") + 1] = str(root)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def fetch(self, target, host="x"):
        raw = self.server.raw(b"GET " + target + b" HTTP/1.1\r\nHost: " + host.encode() +
                              b"\r\nConnection: close\r\n\r\n")
        status = parse_status_line(raw)
        body = raw.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in raw else b""
        return status, body

    def assert_nothing_from_outside(self, target):
        status, body = self.fetch(target)
        self.assertIsNotNone(status, target)
        self.assertNotIn(MARKER, body, target)
        self.assertLess(status, 500, target)
        if status == 200:  # a client route: the app's index, nothing else
            self.assertEqual(body, self.index, target)

    def test_every_spelling_of_dot_dot(self):
        ups = [b"..", b"%2e%2e", b"%2E%2E", b".%2e", b"%2e.", b"%252e%252e", b"%25252e%25252e",
               b"%c0%ae%c0%ae", b"%e0%80%ae%e0%80%ae", b"\xc0\xae\xc0\xae", b"..;", b"...",
               b"%uff0e%uff0e", b"\xef\xbc\x8e\xef\xbc\x8e", b".%00.", b"..%00"]
        slashes = [b"/", b"%2f", b"%2F", b"%252f", b"\\", b"%5c", b"%5C", b"%255c", b"%c0%af",
                   b"//", b"/./"]
        targets = []
        for up in ups:
            for slash in slashes:
                for depth in (1, 2, 3):
                    path = (up + slash) * depth
                    targets += [b"/" + path + b"secret.txt", b"/assets/" + path + b"secret.txt",
                                b"/assets/" + path + path + b"www/secret.txt"]
        for target in targets:
            self.assert_nothing_from_outside(target)
        self.assertGreater(len(targets), 1000)

    def test_nul_and_odd_request_targets(self):
        for target in (b"/index.html%00.js", b"/index.html%00/../../secret.txt",
                       b"/assets/app-0123abcd.js%00", b"/secret.txt%00.html", b"//secret.txt",
                       b"///tmp/secret.txt", b"/\\..\\..\\secret.txt", b"\\..\\secret.txt",
                       b"http://x/../secret.txt", b"http://x/%2e%2e/secret.txt",
                       b"file:///etc/passwd", b"/..", b"/../", b"/%2e%2e",
                       b"/./../secret.txt", b"/assets/./../../secret.txt",
                       b"/assets/app-0123abcd.js/../../../secret.txt",
                       b"/" + b"../" * 200 + b"etc/passwd", b"/%2e%2e/" * 100 + b"etc/passwd"):
            self.assert_nothing_from_outside(target)
        status, body = self.fetch(b"/../../../../../../etc/passwd")
        self.assertNotIn(b"root:", body)

    def test_links_out_of_the_web_root_are_not_followed(self):
        for target in (b"/linked/secret.txt", b"/linked/index.html", b"/linked/",
                       b"/assets/linked.js", b"/relative.txt", b"/linked%2fsecret.txt"):
            self.assert_nothing_from_outside(target)
        # The real files are still served.
        status, body = self.fetch(b"/assets/app-0123abcd.js")
        self.assertEqual((status, body), (200, b"console.log('app')"))

    def test_host_header_does_not_choose_the_folder(self):
        for host in ("..", "../..", "outside", "x/../../", "localhost:0/../"):
            status, body = self.fetch(b"/secret.txt", host=host)
            self.assertNotIn(MARKER, body, host)


if __name__ == "__main__":
    unittest.main()
