"""The edge's identity items against the real binary, with Secrets Manager on moto (which checks
practica's signatures):

- the origin secret (PRACTICA_ORIGIN_SECRET): /api/* needs the X-Origin-Verify value the secret
  holds, /api/health does not, and a rotation made the way the rotation function makes it
  (AWSPENDING, then AWSCURRENT) is accepted without a restart while the old value keeps working;
- the shared key ring (PRACTICA_KEY_SECRET): a token one process signs is accepted by another on
  the same secret, and by no process with a key file of its own; `practica keys rotate` keeps old
  tokens valid;
- client addresses: X-Forwarded-For decides the per-client limit only with --trusted-proxies.

No secret value may appear in anything a server prints.

Run: python3 tests/services/run_with.py --moto -- python3 -m unittest -v test_edge
"""
import json
import os
import subprocess
import sys
import time
import unittest
import uuid
from pathlib import Path

import boto3

SOURCE_DIR = Path(os.environ.get("PRACTICA_SOURCE_DIR", Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(SOURCE_DIR / "tests" / "integration"))
from harness import BIN, Server  # noqa: E402

PASSWORD = "correct horse battery staple"
# OriginSecret's min_refresh (src/app/origin_secret.h): a value the server does not know is
# looked up again at most this often.
MIN_REFRESH_SECONDS = 30


def secrets_client():
    return boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"],
                        endpoint_url=os.environ["AWS_ENDPOINT_URL_SECRETS_MANAGER"])


def serve(*args, data_dir=None):
    server = Server(seed_content="", data_dir=data_dir, extra_args=args)
    return server.start()


def call(server, method, path, body=None, headers=None):
    hdrs = dict(headers or {})
    if body is not None:
        hdrs["Content-Type"] = "application/json"
        body = json.dumps(body)
    status, out, data = server.request(method, path, body=body, headers=hdrs)
    return status, out, json.loads(data) if data else None


class EdgeTest(unittest.TestCase):
    def setUp(self):
        self.secrets = secrets_client()
        self.servers = []
        self.values = []

    def tearDown(self):
        for server in self.servers:
            server.stop()
            output = "".join(server.lines)
            for value in self.values:
                self.assertNotIn(value, output, "a secret value was printed")
            server.cleanup()

    def started(self, *args, data_dir=None):
        server = serve(*args, data_dir=data_dir)
        self.servers.append(server)
        return server

    def secret(self, value):
        name = f"edge-{uuid.uuid4().hex[:8]}"
        self.secrets.create_secret(Name=name, SecretString=value)
        self.values.append(value)
        return name


class OriginSecretTest(EdgeTest):
    def status(self, server, value, path="/api/courses"):
        headers = {} if value is None else {"X-Origin-Verify": value}
        status, out, body = call(server, "GET", path, headers=headers)
        if status == 403:
            self.assertEqual(out["content-type"], "application/problem+json")
            self.assertEqual(body["type"], "urn:practica:problem:origin-not-verified")
        return status

    def test_only_the_edge_reaches_the_api_and_a_rotation_drops_nothing(self):
        first, second, third = (uuid.uuid4().hex * 2 for _ in range(3))
        self.values += [second, third]
        name = self.secret(first)
        server = self.started("--origin-secret", name)

        self.assertEqual(self.status(server, first), 200)
        self.assertEqual(self.status(server, None), 403)
        self.assertEqual(self.status(server, first[:-1]), 403)
        self.assertEqual(self.status(server, "x" * len(first)), 403)
        self.assertEqual(self.status(server, None, "/api/nowhere"), 403)
        # The load balancer's health check comes without the header.
        self.assertEqual(self.status(server, None, "/api/health"), 200)

        # createSecret, then setSecret puts the pending value on the distribution: some edges
        # send it at once, others still send the current one.
        self.secrets.put_secret_value(SecretId=name, SecretString=second,
                                      VersionStages=["AWSPENDING"])
        time.sleep(MIN_REFRESH_SECONDS + 1)
        self.assertEqual(self.status(server, second), 200)
        self.assertEqual(self.status(server, first), 200)
        # finishSecret: the pending version becomes current, the old one previous.
        self.finish_rotation(name)
        self.assertEqual(self.status(server, second), 200)
        self.assertEqual(self.status(server, first), 200)

        # The next rotation: the first value is in no stage any more once the server reads again.
        self.secrets.put_secret_value(SecretId=name, SecretString=third,
                                      VersionStages=["AWSPENDING"])
        self.finish_rotation(name)
        time.sleep(MIN_REFRESH_SECONDS + 1)
        self.assertEqual(self.status(server, third), 200)
        self.assertEqual(self.status(server, second), 200)
        self.assertEqual(self.status(server, first), 403)

    def finish_rotation(self, name):
        """What the rotation function's finishSecret does: AWSCURRENT moves to the pending
        version (Secrets Manager gives the old one AWSPREVIOUS)."""
        versions = self.secrets.describe_secret(SecretId=name)["VersionIdsToStages"]
        current = next(v for v, stages in versions.items() if "AWSCURRENT" in stages)
        pending = next(v for v, stages in versions.items() if "AWSPENDING" in stages)
        self.secrets.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT",
                                                 MoveToVersionId=pending,
                                                 RemoveFromVersionId=current)
        self.secrets.update_secret_version_stage(SecretId=name, VersionStage="AWSPENDING",
                                                 RemoveFromVersionId=pending)

    def test_a_missing_secret_stops_start_up_naming_it(self):
        done = subprocess.run([BIN, "serve", "--listen", "127.0.0.1:0", "--seed-content", "",
                               "--data-dir", "/nonexistent-practica-data",
                               "--origin-secret", "edge-missing"],
                              capture_output=True, text=True, timeout=30)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("PRACTICA_ORIGIN_SECRET", done.stdout + done.stderr)
        self.assertIn("edge-missing", done.stdout + done.stderr)


class SharedKeyRingTest(EdgeTest):
    def signed_up(self, server, email):
        status, _, body = call(server, "POST", "/api/auth/signup",
                               {"email": email, "password": PASSWORD, "display_name": "Ada"})
        self.assertEqual(status, 201, body)
        return body["access_token"]

    def me(self, server, token):
        status, _, body = call(server, "GET", "/api/me",
                               headers={"Authorization": f"Bearer {token}"})
        return status, body

    def test_a_token_from_one_process_is_accepted_by_another(self):
        passphrase = uuid.uuid4().hex * 2  # what the stack's generated secret looks like
        name = self.secret(passphrase)
        a = self.started("--key-secret", name)
        # The same user store (one SQLite file) and the same secret: two instances of one API.
        b = self.started("--key-secret", name, data_dir=a.data_dir)
        token = self.signed_up(a, "ada@example.org")
        status, body = self.me(b, token)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["email"], "ada@example.org")
        # Without the secret, a process has keys of its own and refuses the token.
        c = self.started(data_dir=a.data_dir)
        self.assertEqual(self.me(c, token)[0], 401)

        # Rotation: the new ring (a new key first, the old one kept) goes into the secret.
        rotated = subprocess.run([BIN, "keys", "rotate"], input=passphrase, capture_output=True,
                                 text=True, timeout=30, check=True).stdout
        self.assertNotIn(passphrase, rotated)
        ring = json.loads(rotated)
        self.assertEqual(len(ring["signing_keys"]), 2)
        self.assertEqual(ring["signing_keys"][1]["kid"], "initial")
        self.values += [key["seed"] for key in ring["signing_keys"]] + [ring["data_key"]]
        self.secrets.put_secret_value(SecretId=name, SecretString=rotated)
        # A restarted process signs with the new key and still accepts tokens of the old one.
        b.stop()
        b2 = self.started("--key-secret", name, data_dir=a.data_dir)
        self.assertEqual(self.me(b2, token)[0], 200)
        new_token = self.signed_up(b2, "grace@example.org")
        self.assertNotEqual(json.loads(_b64(new_token.split(".")[0]))["kid"], "initial")
        a.stop()
        a2 = self.started("--key-secret", name, data_dir=a.data_dir)
        self.assertEqual(self.me(a2, new_token)[0], 200)


    def test_a_rotation_in_two_steps_refuses_no_token_while_processes_restart_one_by_one(self):
        passphrase = uuid.uuid4().hex * 2
        name = self.secret(passphrase)
        a = self.started("--key-secret", name)
        b = self.started("--key-secret", name, data_dir=a.data_dir)

        def keys(*args, stdin):
            ring = subprocess.run([BIN, "keys", *args], input=stdin, capture_output=True,
                                  text=True, timeout=30, check=True).stdout
            parsed = json.loads(ring)
            self.values.extend(key["seed"] for key in parsed["signing_keys"])
            self.values.append(parsed["data_key"])
            return ring

        # Step 1: the new key goes second (it only verifies); B restarts with it, A not yet.
        step1 = keys("rotate", "--verify-only", stdin=passphrase)
        self.secrets.put_secret_value(SecretId=name, SecretString=step1)
        b.stop()
        b = self.started("--key-secret", name, data_dir=a.data_dir)
        token_b = self.signed_up(b, "b1@example.org")
        self.assertEqual(json.loads(_b64(token_b.split(".")[0]))["kid"], "initial")
        self.assertEqual(self.me(a, token_b)[0], 200)
        # Step 2: the new key signs; A restarts first: its tokens are known to B already.
        step2 = keys("promote", stdin=step1)
        self.secrets.put_secret_value(SecretId=name, SecretString=step2)
        a.stop()
        a = self.started("--key-secret", name, data_dir=b.data_dir)
        token_a = self.signed_up(a, "a2@example.org")
        self.assertNotEqual(json.loads(_b64(token_a.split(".")[0]))["kid"], "initial")
        self.assertEqual(self.me(b, token_a)[0], 200)
        self.assertEqual(self.me(a, token_b)[0], 200)


def _b64(part):
    import base64
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class ClientAddressTest(EdgeTest):
    def logins(self, server, viewers):
        statuses = []
        for viewer in viewers:
            status, _, _ = call(server, "POST", "/api/auth/login",
                                {"email": "nobody@example.org", "password": PASSWORD},
                                headers={"X-Forwarded-For": viewer})
            statuses.append(status)
        return statuses

    def test_x_forwarded_for_counts_only_behind_trusted_proxies(self):
        viewers = ["203.0.113.7", "203.0.113.7", "198.51.100.4", "203.0.113.7"]
        # One proxy (CloudFront) appended the viewer's address: each viewer has its own budget.
        trusting = self.started("--auth-rate-per-minute", "2", "--trusted-proxies", "1")
        self.assertEqual(self.logins(trusting, viewers), [401, 401, 401, 429])
        # By default the header is the client's own words: everyone here is 127.0.0.1.
        default = self.started("--auth-rate-per-minute", "2")
        self.assertEqual(self.logins(default, viewers), [401, 401, 429, 429])
        # A forged entry left of the one the proxy appended changes nothing.
        forging = self.started("--auth-rate-per-minute", "2", "--trusted-proxies", "1")
        forged = [f"10.{i}.0.1, 203.0.113.7" for i in range(3)]
        self.assertEqual(self.logins(forging, forged), [401, 401, 429])


if __name__ == "__main__":
    unittest.main()
