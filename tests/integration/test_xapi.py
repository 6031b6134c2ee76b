"""xAPI against the real binary: attempts and completions reach a (fake) LRS, through an outbox that
survives the LRS going away and the server restarting, and the download route rebuilds the same
statements from analytics.

The LRS is tests/xapi/fake_lrs.py, in this process: it checks basic authentication, the
X-Experience-API-Version header and every statement's shape, and answers 400 to anything wrong.
"""
import json
import sqlite3
import sys
import time
import unittest
import uuid
from pathlib import Path

from harness import SOURCE_DIR, Server, run_cli
from test_accounts import PASSWORD, Client, staff

sys.path.insert(0, str(SOURCE_DIR / "tests" / "xapi"))
from fake_lrs import FakeLrs  # noqa: E402

FIXTURES = SOURCE_DIR / "tests" / "integration" / "fixtures"
PUBLIC_URL = "https://learn.practica.test"
LRS_PASSWORD = "lrs password " + uuid.uuid4().hex  # must never show in a log line
# The drills course: every exercise with a correct answer.
CORRECT = [("one-try", 5), ("three-tries", 42), ("pick-mean", "a"), ("primes", ["a", "c", "d"]),
           ("square", "x^2 + 2x + 1"), ("steps", ["a", "b", "c"]),
           ("pairs", {"l1": "r1", "l2": "r2"}), ("capital", "Paris"), ("gaps", ["2", "Paris"]),
           ("truth", False)]
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def xapi_env(lrs):
    return {"PRACTICA_XAPI_ENDPOINT": lrs.endpoint, "PRACTICA_XAPI_USERNAME": "practica",
            "PRACTICA_XAPI_PASSWORD": LRS_PASSWORD, "PRACTICA_PUBLIC_URL": PUBLIC_URL}


def outbox_rows(server):
    db = sqlite3.connect(server.data_dir / "xapi.db")
    try:
        return [json.loads(row[0]) for row in db.execute("SELECT statement FROM outbox ORDER BY seq")]
    finally:
        db.close()


def wait_until(predicate, timeout=20, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class XapiTest(unittest.TestCase):
    def setUp(self):
        self.lrs = FakeLrs(username="practica", password=LRS_PASSWORD)
        self.server = Server(seed_content=str(FIXTURES), env=xapi_env(self.lrs),
                             extra_args=("--auth-rate-per-minute", "100000")).start()

    def tearDown(self):
        self.server.cleanup()
        self.lrs.close()
        for line in self.server.lines:
            self.assertNotIn(LRS_PASSWORD, line)

    def learner(self, server=None):
        client = Client(server or self.server)
        email = f"learner-{uuid.uuid4().hex[:10]}@example.org"
        status, _, body = client.signup(email)
        self.assertEqual(status, 201, body)
        client.email = email
        return client

    def answer(self, client, exercise, answer):
        status, _, body = client.call("POST", f"/api/exercises/drills.{exercise}/attempts",
                                      {"answer": answer, "time_taken_ms": 1234})
        self.assertEqual(status, 201, body)
        return body

    def staff(self, server):
        """An admin with a second factor: admins read every course's statements (instructors only
        those of the courses they own, which a seeded course is not)."""
        return staff(server, "admin")

    def test_attempts_and_completions_reach_the_lrs_through_restarts(self):
        # 1. Live: a learner answers one exercise wrongly, then the whole course correctly.
        ada = self.learner()
        wrong = self.answer(ada, "three-tries", 41)
        for exercise, answer in CORRECT:
            self.answer(ada, exercise, answer)
        statements = self.lrs.wait_for(len(CORRECT) + 1 + 2)  # answers, the lesson, the course
        by_verb = {}
        for s in statements:
            by_verb.setdefault(s["verb"]["id"], []).append(s)
        self.assertEqual(len(by_verb[ANSWERED]), len(CORRECT) + 1)
        self.assertEqual(sorted(s["object"]["id"] for s in by_verb[COMPLETED]),
                         [f"{PUBLIC_URL}/courses/drills", f"{PUBLIC_URL}/courses/drills/lessons/basics"])
        for s in statements:
            # The learner is the platform's user id, never the email.
            self.assertEqual(s["actor"], {"objectType": "Agent",
                                          "account": {"homePage": PUBLIC_URL,
                                                      "name": ada.user["id"]}})
            self.assertNotIn(ada.email, json.dumps(s))
        first = by_verb[ANSWERED][0]
        self.assertEqual(first["object"]["id"], f"{PUBLIC_URL}/courses/drills/exercises/three-tries")
        self.assertEqual(first["result"]["response"], "41")
        self.assertEqual(first["result"]["success"], False)
        self.assertEqual(first["result"]["duration"], "PT1.23S")
        self.assertEqual(first["context"]["contextActivities"]["grouping"][0]["id"],
                         f"{PUBLIC_URL}/courses/drills")
        self.assertEqual(first["context"]["extensions"][f"{PUBLIC_URL}/xapi/extensions/attempt-number"], 1)
        self.assertTrue(all(not r["problems"] for r in self.lrs.requests), self.lrs.requests)
        self.assertIsNotNone(wrong["attempt_id"])

        # 2. The LRS goes away; another learner answers; the statements wait in the outbox.
        lrs_port = self.lrs.port
        self.lrs.close()
        bob = self.learner()
        for exercise, answer in CORRECT[:3]:
            self.answer(bob, exercise, answer)
        wait_until(lambda: len(outbox_rows(self.server)) == 3, what="three queued statements")
        queued = outbox_rows(self.server)
        self.assertTrue(all(s["actor"]["account"]["name"] == bob.user["id"] for s in queued))

        # 3. The server stops with them queued, and starts again with the LRS back.
        self.assertEqual(self.server.stop(), 0)
        self.assertEqual(len(outbox_rows(self.server)), 3)
        self.lrs = FakeLrs(username="practica", password=LRS_PASSWORD, port=lrs_port)
        restarted = Server(seed_content=str(FIXTURES), data_dir=self.server.data_dir,
                           env=xapi_env(self.lrs)).start()
        try:
            delivered = self.lrs.wait_for(3)
            self.assertEqual({s["id"] for s in delivered}, {s["id"] for s in queued})
            wait_until(lambda: not outbox_rows(restarted), what="an empty outbox")

            # 4. The download rebuilds every statement, with the same ids, from analytics.
            teacher = self.staff(restarted)
            status, headers, body = teacher.call("GET", "/api/authoring/courses/drills/xapi")
            self.assertEqual(status, 200, body)
            self.assertIn("attachment", headers["content-disposition"])
            downloaded = {s["id"]: s for s in body}
            sent = {s["id"]: s for s in statements + delivered}
            self.assertEqual(set(downloaded), set(sent))
            for statement_id, s in sent.items():
                self.assertEqual(downloaded[statement_id], s)
            # A learner may not download it (the token outlives the restart: same keys).
            bob.server = restarted
            self.assertEqual(bob.call("GET", "/api/authoring/courses/drills/xapi")[0], 403)
        finally:
            restarted.stop()

    def test_a_deleted_learners_queued_statements_never_leave(self):
        self.lrs.fail(503, count=10_000)
        eve = self.learner()
        self.answer(eve, "pick-mean", "b")
        wait_until(lambda: len(outbox_rows(self.server)) == 1, what="a queued statement")
        status, _, _ = eve.call("DELETE", "/api/me", {"password": PASSWORD})
        self.assertEqual(status, 204)
        self.assertEqual(outbox_rows(self.server), [])

    def test_without_an_endpoint_nothing_is_queued_and_the_download_needs_the_address(self):
        plain = Server(seed_content=str(FIXTURES)).start()
        try:
            kim = self.learner(plain)
            status, _, _ = kim.call("POST", "/api/exercises/drills.truth/attempts",
                                    {"answer": False})
            self.assertEqual(status, 201)
            time.sleep(0.5)
            self.assertFalse((plain.data_dir / "xapi.db").exists())
            teacher = self.staff(plain)
            status, _, problem = teacher.call("GET", "/api/authoring/courses/drills/xapi")
            self.assertEqual(status, 503, problem)
            self.assertIn("PRACTICA_PUBLIC_URL", problem["detail"])
        finally:
            plain.cleanup()

    def test_a_bad_configuration_stops_start_up(self):
        code, out, err = run_cli("serve", "--listen", "127.0.0.1:0", "--data-dir",
                                 str(self.server.tmp / "other"),
                                 env={"PRACTICA_XAPI_ENDPOINT": "https://lrs.example.org/xapi",
                                      "PRACTICA_PUBLIC_URL": ""})
        self.assertEqual(code, 1)
        self.assertIn("PRACTICA_XAPI_ENDPOINT needs PRACTICA_PUBLIC_URL", out + err)


if __name__ == "__main__":
    unittest.main()
