"""A Secrets Manager secret made with the AWS CLI is what practica reads (issue 5, wire
compatibility): the RDS secret shape, written by `aws secretsmanager create-secret` to moto (which
checks practica's signatures), opens the PostgreSQL user store for `practica migrate` and
`practica user create`. The database role's password holds the characters that break a naively
built URL (@ : / % and a space).

Run: python3 tests/services/run_with.py --moto --postgres -- python3 -m unittest -v test_secret_cli
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import uuid
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("PRACTICA_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = os.environ.get("PRACTICA_BIN", str(SOURCE_DIR / "build/dev/src/practica"))
sys.path.insert(0, str(SOURCE_DIR / "tests" / "integration"))
from harness import check_sanitizers  # noqa: E402

PASSWORD = "p@ss:w/rd% with space"


def psql(url, sql):
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True,
                   capture_output=True, text=True)


class SecretFromTheAwsCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="practica-secret-"))
        self.server = urllib.parse.urlparse(os.environ["PRACTICA_TEST_POSTGRES_URL"])
        self.name = "app_" + uuid.uuid4().hex[:8]
        admin = self.server.geturl()
        psql(admin, f"CREATE ROLE {self.name} LOGIN PASSWORD '{PASSWORD}'")
        psql(admin, f"CREATE DATABASE {self.name} OWNER {self.name}")
        secret = {"engine": "postgres", "host": self.server.hostname, "port": self.server.port,
                  "username": self.name, "password": PASSWORD, "dbname": self.name}
        (self.tmp / "secret.json").write_text(json.dumps(secret))
        # The AWS CLI, as an operator would: region and endpoint from the environment.
        subprocess.run(["aws", "secretsmanager", "create-secret", "--name", f"practica/{self.name}",
                        "--secret-string", f"file://{self.tmp / 'secret.json'}",
                        "--region", os.environ["AWS_REGION"],
                        "--endpoint-url", os.environ["AWS_ENDPOINT_URL_SECRETS_MANAGER"]],
                       check=True, capture_output=True, text=True)
        self.store = ["--data-dir", str(self.tmp / "data"),
                      "--user-store", f"postgres:secret:practica/{self.name}"]

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_practica(self, *args, stdin=""):
        done = subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True,
                              timeout=60)
        check_sanitizers(f"practica {args[0]}", done.stderr)
        return done

    def test_migrate_and_user_create_go_through_the_secret(self):
        migrated = self.run_practica("migrate", *self.store)
        self.assertEqual(migrated.returncode, 0, migrated.stderr)
        self.assertIn("PostgreSQL database of PRACTICA_USER_STORE migrated", migrated.stdout)
        created = self.run_practica("user", "create", "--email", "ops@example.org", "--role",
                                    "admin", *self.store, stdin="a long operator passphrase\n")
        self.assertEqual(created.returncode, 0, created.stderr)
        # The row is in the database the secret names, read back as its owner.
        owner = urllib.parse.urlunparse(self.server._replace(
            netloc=f"{self.name}:{urllib.parse.quote(PASSWORD, safe='')}@"
                   f"{self.server.hostname}:{self.server.port}", path=f"/{self.name}"))
        rows = subprocess.run(["psql", "-At", owner, "-c", "SELECT role FROM users"],
                              check=True, capture_output=True, text=True).stdout.split()
        self.assertEqual(rows, ["admin"])
        for output in (migrated.stdout + migrated.stderr, created.stdout + created.stderr):
            self.assertNotIn(PASSWORD, output)

    def test_an_unknown_secret_is_refused_by_name(self):
        failed = self.run_practica("migrate", "--data-dir", str(self.tmp / "data"),
                                   "--user-store", "postgres:secret:practica/no-such-secret")
        self.assertEqual(failed.returncode, 1)
        self.assertIn("practica/no-such-secret", failed.stderr)
        self.assertIn("PRACTICA_USER_STORE", failed.stderr)


if __name__ == "__main__":
    unittest.main()
