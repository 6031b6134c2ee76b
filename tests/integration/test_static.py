"""The web app as the real server delivers it: types, caching, compression, traversal."""
import os
import unittest
from pathlib import Path

from harness import Server


class StaticTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        root = cls.server.tmp / "dist"
        (root / "assets").mkdir(parents=True)
        (root / "index.html").write_text("<!doctype html><title>Practica</title>")
        (root / "assets" / "app-0123abcd.js").write_text("console.log('app')")
        (root / "assets" / "app-0123abcd.js.gz").write_bytes(b"\x1f\x8bfake")
        (cls.server.tmp / "secret.txt").write_text("secret")
        os.symlink(cls.server.tmp / "secret.txt", root / "secret.txt")
        cls.server.web_root = root
        cls.server.args[cls.server.args.index("--web-root") + 1] = str(root)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_index_and_client_routes(self):
        for path in ("/", "/courses/x/lessons/y"):
            status, headers, body = self.server.request("GET", path)
            self.assertEqual(status, 200, path)
            self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
            self.assertEqual(headers["cache-control"], "no-cache")
            self.assertIn(b"<title>Practica</title>", body)

    def test_hashed_asset_is_immutable_and_gzip_is_served_when_accepted(self):
        status, headers, body = self.server.request("GET", "/assets/app-0123abcd.js")
        self.assertEqual(status, 200)
        self.assertIn("immutable", headers["cache-control"])
        self.assertEqual(headers["content-type"], "text/javascript; charset=utf-8")
        status, headers, body = self.server.request("GET", "/assets/app-0123abcd.js",
                                                    headers={"Accept-Encoding": "gzip"})
        self.assertEqual(headers["content-encoding"], "gzip")
        self.assertEqual(body, b"\x1f\x8bfake")
        status, _, _ = self.server.request("GET", "/assets/app-0123abcd.js",
                                           headers={"If-None-Match": headers["etag"],
                                                    "Accept-Encoding": "gzip"})
        self.assertEqual(status, 304)

    def test_traversal_is_refused(self):
        for target in (b"/../secret.txt", b"/%2e%2e/secret.txt", b"/assets/%2E%2E/%2e%2e/secret.txt",
                       b"/index.html%00.js", b"/..%5csecret.txt"):
            raw = self.server.raw(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            status = int(raw.split(b" ")[1])
            self.assertIn(status, (400, 404), target)
            self.assertNotIn(b"secret\r\n", raw)
            self.assertFalse(raw.endswith(b"secret"), target)
        status, _, body = self.server.request("GET", "/secret.txt")
        self.assertEqual(status, 404)
        self.assertNotEqual(body, b"secret")

    def test_missing_asset_is_404_not_index(self):
        status, headers, _ = self.server.request("GET", "/assets/missing-0000ffff.js")
        self.assertEqual(status, 404)
        self.assertEqual(headers["content-type"], "application/problem+json")


if __name__ == "__main__":
    unittest.main()
