"""Accounts against the real binary: sign-up, sessions, second factor, roles, privacy, and the
OWASP API Security Top 10 (2023) items that apply, named in the test names."""
import base64
import hashlib
import hmac
import json
import re
import statistics
import struct
import time
import unittest
import uuid

from harness import Server, run_cli

PASSWORD = "correct horse battery staple 42"


def totp(secret_b32, at=None, step=30, digits=6):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(value).zfill(digits)


def fresh_code(secret):
    """A code for a step no earlier code used: wait for the next 30-second step if needed."""
    code = totp(secret)
    fresh_code.used = getattr(fresh_code, "used", set())
    while (secret, code) in fresh_code.used:
        time.sleep(1)
        code = totp(secret)
    fresh_code.used.add((secret, code))
    return code


class Client:
    """A browser-like client: keeps the refresh cookie, sends the bearer token."""

    def __init__(self, server):
        self.server = server
        self.cookie = None
        self.token = None
        self.user = None

    def call(self, method, path, body=None, headers=None, auth=True):
        hdrs = dict(headers or {})
        if body is not None:
            hdrs["Content-Type"] = "application/json"
            body = json.dumps(body)
        if auth and self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        if self.cookie and path.startswith("/api/auth/"):
            hdrs["Cookie"] = f"practica_refresh={self.cookie}"
        status, out, data = self.server.request(method, path, body=body, headers=hdrs)
        set_cookie = out.get("set-cookie")
        if set_cookie:
            value = set_cookie.split(";", 1)[0].split("=", 1)[1]
            self.cookie = value or None
        payload = json.loads(data) if data else None
        if status in (200, 201) and isinstance(payload, dict) and "access_token" in payload:
            self.token = payload["access_token"]
            self.user = payload.get("user", self.user)
        return status, out, payload

    def signup(self, email, password=PASSWORD, name="Ada", **extra):
        return self.call("POST", "/api/auth/signup",
                         {"email": email, "password": password, "display_name": name, **extra})

    def login(self, email, password=PASSWORD, otp=None):
        body = {"email": email, "password": password}
        if otp is not None:
            body["otp"] = otp
        return self.call("POST", "/api/auth/login", body)


def staff(server, role, with_totp=True):
    """A signed-in instructor or admin of `server` (created with `practica user create`), with a
    second factor unless told otherwise."""
    email = f"{role}-{uuid.uuid4().hex[:10]}@example.org"
    code, _, err = run_cli("user", "create", "--email", email, "--role", role,
                           *server.cli_args(), input_text=PASSWORD + "\n")
    assert code == 0, err
    client = Client(server)
    status, _, body = client.login(email)
    assert status == 200, body
    if with_totp:
        status, _, enrol = client.call("POST", "/api/me/mfa/totp")
        assert status == 201, enrol
        status, _, done = client.call("POST", "/api/me/mfa/totp/confirm",
                                      {"code": fresh_code(enrol["secret"])})
        assert status == 200, done
    return client


class AccountsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_args=("--auth-rate-per-minute", "100000")).start()
        cls.counter = 0

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def email(self):
        type(self).counter += 1
        return f"person{self.counter}-{time.time_ns()}@example.org"

    def new_learner(self):
        client = Client(self.server)
        email = self.email()
        status, _, body = client.signup(email)
        self.assertEqual(status, 201, body)
        return client, email

    def make_admin(self, with_totp=True):
        email = self.email()
        code, out, err = run_cli("user", "create", "--email", email, "--role", "admin",
                                 *self.server.cli_args(), input_text=PASSWORD + "\n")
        self.assertEqual(code, 0, err)
        client = Client(self.server)
        status, _, body = client.login(email)
        self.assertEqual(status, 200, body)
        secret = None
        if with_totp:
            status, _, enrol = client.call("POST", "/api/me/mfa/totp")
            self.assertEqual(status, 201, enrol)
            secret = enrol["secret"]
            status, _, done = client.call("POST", "/api/me/mfa/totp/confirm",
                                          {"code": fresh_code(secret)})
            self.assertEqual(status, 200, done)
        return client, email, secret

    # --- sign-up, sign-in, sessions -------------------------------------------------------

    def test_signup_login_me_logout(self):
        client, email = self.new_learner()
        self.assertEqual(client.user["role"], "learner")
        status, _, me = client.call("GET", "/api/me")
        self.assertEqual(status, 200)
        self.assertEqual(me["email"], email)
        self.assertFalse(me["mfa_enabled"])
        self.assertEqual(client.call("POST", "/api/auth/logout", {})[0], 204)
        self.assertIsNone(client.cookie)
        self.assertEqual(client.call("POST", "/api/auth/refresh", {})[0], 401)
        status, _, body = client.login(email)
        self.assertEqual(status, 200, body)

    def test_refresh_cookie_attributes(self):
        client = Client(self.server)
        status, headers, _ = client.call("POST", "/api/auth/signup", {
            "email": self.email(), "password": PASSWORD, "display_name": "C"})
        self.assertEqual(status, 201)
        cookie = headers["set-cookie"]
        for attribute in ("HttpOnly", "SameSite=Strict", "Path=/api/auth", "Secure"):
            self.assertIn(attribute, cookie)

    def test_refresh_rotates_and_reuse_revokes_the_family(self):
        client, _ = self.new_learner()
        first = client.cookie
        status, _, _ = client.call("POST", "/api/auth/refresh", {})
        self.assertEqual(status, 200)
        second = client.cookie
        self.assertNotEqual(first, second)
        # A thief replays the first (already used) token: reuse detected.
        thief = Client(self.server)
        thief.cookie = first
        self.assertEqual(thief.call("POST", "/api/auth/refresh", {})[0], 401)
        # The whole family is revoked: the legitimate, newer token is dead too.
        self.assertEqual(client.call("POST", "/api/auth/refresh", {})[0], 401)
        # Tampered and garbage cookies are refused the same way.
        for cookie in (second[:-1] + ("A" if second[-1] != "A" else "B"), "x" * 5000, "%00",
                       "a" * 43):
            forger = Client(self.server)
            forger.cookie = cookie
            status, headers, problem = forger.call("POST", "/api/auth/refresh", {})
            self.assertEqual(status, 401, cookie[:20])
            self.assertEqual(headers["content-type"], "application/problem+json")

    def test_password_change_ends_other_sessions(self):
        client, email = self.new_learner()
        other = Client(self.server)
        self.assertEqual(other.login(email)[0], 200)
        status, _, body = client.call("POST", "/api/me/password",
                                      {"current_password": PASSWORD,
                                       "new_password": "another fine passphrase"})
        self.assertEqual(status, 204, body)
        self.assertEqual(other.call("POST", "/api/auth/refresh", {})[0], 401)
        self.assertEqual(client.call("POST", "/api/auth/refresh", {})[0], 200)
        self.assertEqual(Client(self.server).login(email)[0], 401)
        self.assertEqual(Client(self.server).login(email, "another fine passphrase")[0], 200)

    def test_profile_update_and_validation(self):
        client, _ = self.new_learner()
        status, _, me = client.call("PATCH", "/api/me",
                                    {"display_name": "Grace", "time_zone": "Europe/Paris"})
        self.assertEqual(status, 200, me)
        self.assertEqual((me["display_name"], me["time_zone"]), ("Grace", "Europe/Paris"))
        status, _, problem = client.call("PATCH", "/api/me", {"time_zone": "Mars/Olympus"})
        self.assertEqual(status, 400)
        self.assertEqual(problem["errors"][0]["field"], "time_zone")

    def test_weak_and_common_passwords_are_refused(self):
        for password, reason in (("short", "8"), ("password123", "common"),
                                 ("qwertyuiop", "common")):
            status, _, problem = Client(self.server).signup(self.email(), password)
            self.assertEqual(status, 400, password)
            fields = {e["field"] for e in problem["errors"]}
            self.assertIn("password", fields)
        # Long, with spaces and any characters: fine.
        status, _, _ = Client(self.server).signup(self.email(), "ünïcödé pässwörd ✓ 😀 ok")
        self.assertEqual(status, 201)

    def test_duplicate_email_ignoring_case_is_409(self):
        client, email = self.new_learner()
        status, _, _ = Client(self.server).signup(email.upper())
        self.assertEqual(status, 409)

    def test_bad_input_is_a_clear_400(self):
        cases = [
            ({"email": "not-an-email", "password": PASSWORD, "display_name": "x"}, "email"),
            ({"email": "a@b.org", "password": PASSWORD, "display_name": ""}, "display_name"),
            ({"email": "a@b.org", "password": PASSWORD, "display_name": "x" * 500},
             "display_name"),
            ({"email": "a@b.org", "password": 42, "display_name": "x"}, "password"),
            ({"email": "a@b.org", "password": PASSWORD}, "display_name"),
        ]
        for body, field in cases:
            status, _, problem = Client(self.server).call("POST", "/api/auth/signup", body)
            self.assertEqual(status, 400, body)
            self.assertIn(field, {e["field"] for e in problem["errors"]}, body)
        for raw, ctype in ((b'{"email": "\xff"}', "application/json"),
                           (b"{not json", "application/json"),
                           (b'{"email":"a@b.org"}', "text/plain")):
            status, headers, data = self.server.request("POST", "/api/auth/login", body=raw,
                                                        headers={"Content-Type": ctype})
            self.assertEqual(status, 400, raw)
            self.assertEqual(headers["content-type"], "application/problem+json")

    def test_privacy_export_and_delete(self):
        client, email = self.new_learner()
        status, headers, export = client.call("GET", "/api/me/export")
        self.assertEqual(status, 200)
        self.assertIn("attachment", headers["content-disposition"])
        self.assertEqual(export["account"]["email"], email)
        self.assertTrue(export["sessions"])
        text = json.dumps(export)
        self.assertNotIn("argon2", text)
        self.assertNotIn(client.cookie, text)
        status, _, _ = client.call("DELETE", "/api/me", {"password": "wrong password!"})
        self.assertEqual(status, 400)
        status, _, _ = client.call("DELETE", "/api/me", {"password": PASSWORD})
        self.assertEqual(status, 204)
        self.assertEqual(client.call("GET", "/api/me")[0], 401)  # the token stopped at once
        self.assertEqual(Client(self.server).login(email)[0], 401)
        self.assertEqual(client.call("POST", "/api/auth/refresh", {})[0], 401)

    # --- second factor ----------------------------------------------------------------------

    def test_totp_enrolment_login_replay_and_recovery_codes(self):
        client, email = self.new_learner()
        status, _, enrol = client.call("POST", "/api/me/mfa/totp")
        self.assertEqual(status, 201)
        self.assertTrue(enrol["otpauth_uri"].startswith("otpauth://totp/"))
        secret = enrol["secret"]
        wrong = "000000" if totp(secret) != "000000" else "111111"
        self.assertEqual(client.call("POST", "/api/me/mfa/totp/confirm", {"code": wrong})[0], 400)
        code = fresh_code(secret)
        status, _, done = client.call("POST", "/api/me/mfa/totp/confirm", {"code": code})
        self.assertEqual(status, 200, done)
        recovery = done["recovery_codes"]
        self.assertEqual(len(recovery), 10)
        # Sign-in now needs the second factor.
        status, _, problem = Client(self.server).login(email)
        self.assertEqual(status, 401)
        self.assertEqual(problem["type"], "urn:practica:problem:mfa-required")
        # The code used to confirm cannot be replayed.
        status, _, _ = Client(self.server).login(email, otp=code)
        self.assertEqual(status, 401)
        status, _, body = Client(self.server).login(email, otp=fresh_code(secret))
        self.assertEqual(status, 200, body)
        # A recovery code works once.
        self.assertEqual(Client(self.server).login(email, otp=recovery[0])[0], 200)
        self.assertEqual(Client(self.server).login(email, otp=recovery[0])[0], 401)
        self.assertEqual(Client(self.server).login(email, otp="999999")[0], 401)

    # --- OWASP API Security Top 10 (2023) ---------------------------------------------------

    def test_api1_bola_learners_reach_no_other_users_object(self):
        a, _ = self.new_learner()
        b, _ = self.new_learner()
        b_id = b.user["id"]
        self.assertTrue(re.fullmatch(r"usr_[a-z2-7]{26}", b_id), b_id)  # not guessable
        status, _, _ = a.call("PATCH", f"/api/admin/users/{b_id}", {"disabled": True})
        self.assertEqual(status, 403)
        status, _, export = a.call("GET", "/api/me/export")
        self.assertNotIn(b_id, json.dumps(export))
        self.assertEqual(b.call("GET", "/api/me")[0], 200)

    def test_api2_broken_authentication_forged_and_garbage_tokens(self):
        client, _ = self.new_learner()
        header, payload, signature = client.token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["role"] = "admin"
        forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
        for token in (f"{header}.{forged_payload}.{signature}", f"{none_header}.{payload}.",
                      "garbage", client.token[:-4], client.token + "x", "a.b.c", "." * 3,
                      client.token.replace(".", "", 1), "x" * 10000):
            status, headers, problem = self.server.request(
                "GET", "/api/me", headers={"Authorization": f"Bearer {token}"})
            self.assertEqual(status, 401, token[:40])
            self.assertEqual(headers.get("www-authenticate"), "Bearer")
        self.assertEqual(self.server.request("GET", "/api/me",
                                             headers={"Authorization": "Basic abc"})[0], 401)
        self.assertEqual(self.server.request("GET", "/api/me")[0], 401)

    def test_api2_unknown_email_and_wrong_password_answer_alike(self):
        client, email = self.new_learner()
        unknown = [], []
        # Seven interleaved pairs, compared by their medians: with three, one sign-in delayed by
        # a busy machine (a parallel ctest, a sanitized build) moved the median past the bound.
        for _ in range(7):
            started = time.perf_counter()
            s1, _, p1 = Client(self.server).login("nobody-" + email, "wrong password here")
            unknown[0].append(time.perf_counter() - started)
            started = time.perf_counter()
            s2, _, p2 = Client(self.server).login(email, "wrong password here")
            unknown[1].append(time.perf_counter() - started)
            self.assertEqual((s1, p1["detail"], p1["type"]), (s2, p2["detail"], p2["type"]))
        ratio = statistics.median(unknown[0]) / statistics.median(unknown[1])
        self.assertGreater(ratio, 0.5, unknown)
        self.assertLess(ratio, 2.0, unknown)

    def test_api3_mass_assignment_is_impossible(self):
        client = Client(self.server)
        status, _, body = client.signup(self.email(), role="admin")
        self.assertEqual(status, 201)
        self.assertEqual(body["user"]["role"], "learner")
        status, _, problem = client.call("PATCH", "/api/me", {"role": "admin"})
        self.assertEqual(status, 400)
        self.assertEqual(problem["errors"][0]["field"], "role")
        status, _, problem = client.call("PATCH", "/api/me", {"mfa_enabled": True})
        self.assertEqual(status, 400)
        status, _, me = client.call("GET", "/api/me")
        self.assertNotIn("password_hash", me)
        self.assertEqual(me["role"], "learner")

    def test_api4_resource_consumption_body_limits(self):
        client, _ = self.new_learner()
        big = {"email": "a@b.org", "password": "x" * 10000, "display_name": "x"}
        status, _, problem = Client(self.server).call("POST", "/api/auth/signup", big)
        self.assertEqual(status, 413)
        status, _, _ = client.call("PATCH", "/api/me", {"display_name": "y" * 5000})
        self.assertEqual(status, 413)

    def test_api5_function_level_authorization(self):
        learner, _ = self.new_learner()
        self.assertEqual(learner.call("GET", "/api/admin/users")[0], 403)
        admin_without_2fa, _, _ = self.make_admin(with_totp=False)
        status, _, problem = admin_without_2fa.call("GET", "/api/admin/users")
        self.assertEqual(status, 403)
        self.assertEqual(problem["type"], "urn:practica:problem:mfa-enrollment-required")
        admin, _, _ = self.make_admin()
        status, _, page = admin.call("GET", "/api/admin/users?limit=2")
        self.assertEqual(status, 200, page)
        self.assertLessEqual(len(page["items"]), 2)

    def test_api5_admin_search_role_change_and_disable(self):
        admin, _, _ = self.make_admin()
        target, target_email = self.new_learner()
        status, _, page = admin.call("GET", "/api/admin/users?q=" + target_email.split("@")[0])
        self.assertEqual(status, 200)
        self.assertEqual([u["email"] for u in page["items"]], [target_email])
        user_id = page["items"][0]["id"]
        status, _, user = admin.call("PATCH", f"/api/admin/users/{user_id}",
                                     {"role": "instructor"})
        self.assertEqual((status, user["role"]), (200, "instructor"))
        status, _, _ = admin.call("PATCH", f"/api/admin/users/{user_id}", {"role": "overlord"})
        self.assertEqual(status, 400)
        status, _, user = admin.call("PATCH", f"/api/admin/users/{user_id}", {"disabled": True})
        self.assertEqual((status, user["disabled"]), (200, True))
        self.assertEqual(target.call("GET", "/api/me")[0], 401)
        status, _, problem = Client(self.server).login(target_email)
        self.assertEqual(status, 403)
        self.assertEqual(admin.call("PATCH", "/api/admin/users/usr_nobody", {"disabled": True})[0],
                         404)
        self.assertEqual(admin.call("PATCH", f"/api/admin/users/{admin.user['id']}",
                                    {"role": "learner"})[0], 409)

    def test_api8_security_misconfiguration_headers_and_no_cors(self):
        client, _ = self.new_learner()
        status, headers, _ = client.call("GET", "/api/me",
                                         headers={"Origin": "https://evil.example"})
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", headers)
        self.assertNotIn("access-control-allow-credentials", headers)
        self.assertEqual(headers["cache-control"], "no-store")
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        # The session cookie refuses cross-site use.
        status, _, _ = client.call("POST", "/api/auth/refresh", {},
                                   headers={"Origin": "https://evil.example"})
        self.assertEqual(status, 403)

    def test_api9_inventory_openapi_lists_the_account_routes(self):
        _, _, doc = self.server.get_json("/api/openapi.json")
        for path in ("/api/auth/signup", "/api/auth/login", "/api/auth/refresh",
                     "/api/auth/logout", "/api/me", "/api/me/export", "/api/admin/users"):
            self.assertIn(path, doc["paths"])
        self.assertEqual(self.server.request("GET", "/api/v2/me")[0], 404)

    def test_no_secret_ever_reaches_the_log(self):
        client, email = self.new_learner()
        client.call("POST", "/api/auth/refresh", {})
        Client(self.server).login(email, "a wrong password!")
        secrets = [PASSWORD, "a wrong password!", client.token, client.cookie,
                   client.token.split(".")[2]]
        log = "".join(self.server.lines)
        for secret in secrets:
            self.assertNotIn(secret, log)
        self.assertNotIn("argon2id", log)


class RateLimitTest(unittest.TestCase):
    def test_api4_api6_sign_in_and_sign_up_are_rate_limited(self):
        server = Server(extra_args=("--auth-rate-per-minute", "3")).start()
        try:
            statuses = []
            for i in range(5):
                status, headers, _ = Client(server).signup(f"flood{i}@example.org")
                statuses.append(status)
                if status == 429:
                    retry = int(headers["retry-after"])
                    self.assertGreaterEqual(retry, 1)
            self.assertEqual(statuses[:3], [201, 201, 201])
            self.assertEqual(statuses[3:], [429, 429])
            # Other routes are not affected.
            self.assertEqual(server.request("GET", "/api/health")[0], 200)
        finally:
            server.cleanup()

    def test_per_account_limit_on_wrong_passwords(self):
        server = Server(extra_args=("--auth-rate-per-minute", "100000")).start()
        try:
            client = Client(server)
            self.assertEqual(client.signup("target@example.org")[0], 201)
            statuses = [Client(server).login("target@example.org", "wrong guess number")[0]
                        for _ in range(7)]
            self.assertEqual(statuses[:5], [401] * 5)
            self.assertEqual(statuses[5:], [429, 429])
        finally:
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
