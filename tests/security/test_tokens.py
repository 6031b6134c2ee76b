"""Forged access tokens against the real binary. To show that each claim is checked, not merely
that an unknown signature fails, the attacker here holds the server's own signing key (read from
DATA_DIR/keys.json) for the cases that need a valid signature: a token signed right but expired,
not yet valid, for another audience or issuer is refused all the same. The rest need no key:
"alg": "none", HS256 with the public key as the secret, keys the token brings along (jwk, jku,
x5u), unknown kids, payloads changed under the old signature, truncated, garbage and huge tokens.
tests/integration/test_accounts.py tries a few of these on /api/me; here every token goes to a
learner route and an admin route, and the server must answer 401 quickly every time."""
import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
import unittest

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from attacker import learner, open_server, staff

server = None


def b64(data):
    if isinstance(data, (dict, list)):
        data = json.dumps(data, separators=(",", ":")).encode()
    elif isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def setUpModule():
    global server
    server = open_server()


def tearDownModule():
    server.cleanup()


class ForgedTokenTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.admin = staff(server, "admin")
        header, payload, _ = cls.admin.token.split(".")
        cls.header = json.loads(unb64(header))
        cls.claims = json.loads(unb64(payload))
        keys = json.loads((server.data_dir / "keys.json").read_text())
        signing = keys["signing_keys"][0]
        cls.kid = signing["kid"]
        cls.key = Ed25519PrivateKey.from_private_bytes(unb64(signing["seed"]))
        cls.public = cls.key.public_key().public_bytes(serialization.Encoding.Raw,
                                                       serialization.PublicFormat.Raw)

    def sign(self, claims=None, header=None, key=None):
        head = b64(header if header is not None else self.header)
        body = b64(claims if claims is not None else self.claims)
        signature = (key or self.key).sign(f"{head}.{body}".encode())
        return f"{head}.{body}.{b64(signature)}"

    def with_claims(self, **changes):
        claims = dict(self.claims)
        for name, value in changes.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        return self.sign(claims)

    def assert_refused(self, token, what):
        for path in ("/api/me", "/api/admin/users"):
            started = time.monotonic()
            status, headers, body = server.request(
                "GET", path, headers={"Authorization": f"Bearer {token}"})
            self.assertEqual(status, 401, (what, path, body[:200]))
            self.assertEqual(headers.get("www-authenticate"), "Bearer", what)
            self.assertEqual(headers["content-type"], "application/problem+json", what)
            self.assertLess(time.monotonic() - started, 3, what)

    def test_the_attackers_copy_of_the_key_does_sign_tokens_the_server_accepts(self):
        # The control: without it, every refusal below could be a bad forgery.
        status, _, page = server.get_json(
            "/api/admin/users", headers={"Authorization": f"Bearer {self.sign()}"})
        self.assertEqual(status, 200, page)

    def test_signed_with_the_real_key_but_out_of_time_or_for_someone_else(self):
        now = int(time.time())
        cases = {
            "expired": self.with_claims(iat=now - 3600, exp=now - 600),
            "not yet valid": self.with_claims(nbf=now + 600),
            "issued in the future": self.with_claims(iat=now + 600, exp=now + 1500),
            "no expiry": self.with_claims(exp=None),
            "expiry as text": self.with_claims(exp=str(now + 600)),
            "wrong audience": self.with_claims(aud="someone-else"),
            "no audience": self.with_claims(aud=None),
            "audience list without us": self.with_claims(aud=["a", "b"]),
            "wrong issuer": self.with_claims(iss="https://evil.example"),
            "no subject": self.with_claims(sub=None),
            "unknown role": self.with_claims(role="superuser"),
            "second factor as text": self.with_claims(mfa="true"),
            "claims not an object": self.sign(["sub", self.claims.get("sub")]),
            "typ not JWT": self.sign(header={**self.header, "typ": "JWE"}),
            "no kid": self.sign(header={"alg": "EdDSA"}),
        }
        for what, token in cases.items():
            self.assert_refused(token, what)

    def test_algorithm_confusion_and_keys_the_token_brings(self):
        trap_hits = []

        class Trap(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                trap_hits.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args):
                pass

        trap = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trap)
        threading.Thread(target=trap.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{trap.server_address[1]}"
        try:
            body = b64(self.claims)
            mine = Ed25519PrivateKey.generate()
            my_public = mine.public_key().public_bytes(serialization.Encoding.Raw,
                                                       serialization.PublicFormat.Raw)
            cases = {}
            for alg in ("none", "None", "NONE", ""):
                head = b64({"alg": alg, "typ": "JWT", "kid": self.kid})
                cases[f"alg {alg!r}"] = f"{head}.{body}."
                cases[f"alg {alg!r} with a signature"] = f"{head}.{body}.{self.admin.token.split('.')[2]}"
            for secret in (self.public, b64(self.public).encode(),
                           base64.b64encode(self.public), self.public.hex().encode()):
                head = b64({"alg": "HS256", "typ": "JWT", "kid": self.kid})
                mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
                cases[f"HS256 with the public key {secret[:6]!r}"] = f"{head}.{body}.{b64(mac)}"
            cases["unknown kid"] = self.sign(header={"alg": "EdDSA", "kid": "nobody"}, key=mine)
            cases["known kid, another key"] = self.sign(key=mine)
            cases["kid as a path"] = self.sign(header={"alg": "EdDSA", "kid": "../../keys.json"},
                                               key=mine)
            cases["kid as a number"] = self.sign(header={"alg": "EdDSA", "kid": 0}, key=mine)
            jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64(my_public)}
            cases["embedded jwk"] = self.sign(header={"alg": "EdDSA", "jwk": jwk}, key=mine)
            cases["embedded jwk and our kid"] = self.sign(
                header={"alg": "EdDSA", "kid": self.kid, "jwk": jwk}, key=mine)
            for field in ("jku", "x5u"):
                cases[f"{field} to the attacker"] = self.sign(
                    header={"alg": "EdDSA", field: f"{url}/{field}.json"}, key=mine)
            for what, token in cases.items():
                self.assert_refused(token, what)
            time.sleep(0.2)
            self.assertEqual(trap_hits, [])
        finally:
            trap.shutdown()
            trap.server_close()

    def test_tampered_truncated_garbage_and_huge(self):
        student = learner(server)
        head, payload, signature = student.token.split(".")
        claims = json.loads(unb64(payload))
        cases = {}
        for name, value in (("role", "admin"), ("mfa", True), ("sub", self.claims["sub"]),
                            ("exp", claims["exp"] + 86400)):
            cases[f"{name} changed"] = f"{head}.{b64({**claims, name: value})}.{signature}"
        cases["header changed"] = f"{b64({**json.loads(unb64(head)), 'x': 1})}.{payload}.{signature}"
        cases["signature flipped"] = f"{head}.{payload}.{b64(bytes(64))}"
        cases["signature of another token"] = f"{head}.{payload}.{self.admin.token.split('.')[2]}"
        cases["padded base64"] = f"{head}.{payload}.{signature}=="
        cases["standard base64 alphabet"] = student.token.replace("-", "+").replace("_", "/") \
            if ("-" in student.token or "_" in student.token) else student.token + "+"
        for cut in (1, 10, len(signature) // 2):
            cases[f"truncated by {cut}"] = student.token[:-cut]
        cases["no signature part"] = f"{head}.{payload}"
        cases["four parts"] = f"{student.token}.{signature}"
        cases["whitespace inside"] = f"{head}. {payload}.{signature}"
        for garbage in ("", ".", "..", "...", "a.b.c", "null", "{}", "Bearer x", "%00",
                        "e30.e30.", "e30.e30.e30", "\u00e9.\u00e9.\u00e9"):
            cases[f"garbage {garbage!r}"] = garbage
        cases["huge"] = f"{head}.{b64({**claims, 'pad': 'x' * 200_000})}.{signature}"
        cases["deep payload"] = f"{head}.{b64('[' * 2000)}.{signature}"  # under 4 KiB, parsed
        deep_header = b64('{"a":' * 400)
        cases["deep header"] = f"{deep_header}.{payload}.{signature}"
        for what, token in cases.items():
            try:
                token.encode("latin-1")
            except UnicodeEncodeError:
                continue
            if token == student.token:
                continue
            if len(token) > 60_000:  # over the server's header limit: the whole request goes
                status, _, _ = server.request("GET", "/api/me",
                                              headers={"Authorization": f"Bearer {token}"})
                self.assertIn(status, (401, 431), what)
                continue
            self.assert_refused(token, what)
        # The real one still works, and the server is alive after all that.
        self.assertEqual(student.call("GET", "/api/me")[0], 200)


if __name__ == "__main__":
    unittest.main()
