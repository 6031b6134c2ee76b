"""Attempts, hints, progress and reviews against the real binary, on a fixture course with
known answers (fixtures/drills)."""
import concurrent.futures
import json
import threading
import unittest
import uuid
from pathlib import Path

from harness import Server
from test_accounts import Client

DRILLS = Path(__file__).resolve().parent / "fixtures"


class LearningTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(seed_content=str(DRILLS),
                            extra_args=("--auth-rate-per-minute", "100000")).start()
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def learner(self):
        type(self).n += 1
        client = Client(self.server)
        status, _, body = client.signup(f"learner{self.n}-{uuid.uuid4().hex[:8]}@example.org")
        self.assertEqual(status, 201, body)
        return client

    def answer(self, client, exercise, answer, key=None, raw=None):
        headers = {"Idempotency-Key": key} if key else {}
        if raw is not None:
            headers["Content-Type"] = "application/json"
            headers["Authorization"] = f"Bearer {client.token}"
            status, out, data = self.server.request("POST", f"/api/exercises/drills.{exercise}/attempts",
                                                    body=raw, headers=headers)
            return status, out, json.loads(data) if data else None
        return client.call("POST", f"/api/exercises/drills.{exercise}/attempts",
                           {"answer": answer}, headers=headers)

    def test_lesson_exercises_carry_their_ref(self):
        _, _, lesson = self.server.get_json("/api/courses/drills/lessons/basics")
        refs = [e["ref"] for e in lesson["exercises"]]
        self.assertIn("drills.one-try", refs)

    def test_every_type_grades(self):
        client = self.learner()
        cases = [("three-tries", 42, 1.0), ("pick-mean", "a", 1.0), ("primes", ["a", "c"], 2 / 3),
                 ("square", "x^2 + 2x + 1", 1.0), ("steps", ["c", "a", "b"], 2 / 3),
                 ("pairs", {"l1": "r1", "l2": "r3"}, 0.5), ("capital", "  PARIS ", 1.0),
                 ("gaps", ["2", "paris"], 1.0), ("truth", False, 1.0)]
        for exercise, answer, expected in cases:
            status, _, result = self.answer(client, exercise, answer)
            self.assertEqual(status, 201, (exercise, result))
            self.assertAlmostEqual(result["raw_score"], expected, places=6, msg=exercise)
            self.assertEqual(result["correct"], expected == 1.0, exercise)

    def test_feedback_penalty_explanation_and_progress(self):
        client = self.learner()
        status, _, wrong = self.answer(client, "three-tries", 41)
        self.assertEqual(status, 201)
        self.assertEqual((wrong["correct"], wrong["attempts_left"]), (False, 2))
        self.assertNotIn("explanation_html", wrong)
        status, _, right = self.answer(client, "three-tries", 42)
        self.assertEqual((right["correct"], right["attempt_number"]), (True, 2))
        self.assertAlmostEqual(right["score"], 0.75)  # 1 − (2 − 1) × 0.25
        self.assertIn("42", right["explanation_html"])
        self.assertTrue(right["progress"]["solved"])
        self.assertGreater(right["progress"]["xp"], 0)
        self.assertEqual(right["progress"]["streak"], 1)
        _, _, choice = self.answer(client, "pick-mean", "b")
        self.assertIn("middle value", json.dumps(choice["parts"]))
        status, _, progress = client.call("GET", "/api/me/progress/drills")
        self.assertEqual(status, 200)
        self.assertAlmostEqual(progress["completion"], 1 / 10)
        by_id = {e["exercise_id"]: e for e in progress["exercises"]}
        self.assertEqual(by_id["three-tries"]["attempts"], 2)
        status, _, overview = client.call("GET", "/api/me/progress")
        self.assertEqual([c["course"] for c in overview["items"]], ["drills"])

    def test_explanation_after_the_last_try_and_then_no_more(self):
        client = self.learner()
        status, _, result = self.answer(client, "one-try", 4)
        self.assertEqual(status, 201)
        self.assertEqual(result["attempts_left"], 0)
        self.assertIn("five", result["explanation_html"])
        status, _, problem = self.answer(client, "one-try", 5)
        self.assertEqual(status, 409)
        self.assertEqual(problem["type"], "urn:practica:problem:attempts-exhausted")
        self.assertEqual(len(self.server.stored_attempts(client.user["id"], "one-try")), 1)

    def test_fifty_parallel_submissions_with_one_try_left_store_exactly_one(self):
        client = self.learner()
        barrier = threading.Barrier(50)

        def submit(i):
            barrier.wait()
            return self.answer(client, "one-try", 5, key=f"k{i}")[0]

        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            statuses = list(pool.map(submit, range(50)))
        self.assertEqual(statuses.count(201), 1, statuses)
        self.assertEqual(statuses.count(409), 49, statuses)
        self.assertEqual(len(self.server.stored_attempts(client.user["id"], "one-try")), 1)

    def test_idempotency_key_replays_refuses_other_bodies_and_is_per_learner(self):
        client = self.learner()
        key = str(uuid.uuid4())
        first = self.answer(client, "three-tries", 40, key=key)
        again = self.answer(client, "three-tries", 40, key=key)
        self.assertEqual((first[0], again[0]), (201, 201))
        self.assertEqual(first[2], again[2])  # the stored response, byte for byte the same JSON
        self.assertEqual(again[1].get("idempotent-replayed"), "true")
        other = self.answer(client, "three-tries", 42, key=key)
        self.assertEqual(other[0], 422)
        self.assertEqual(other[2]["type"], "urn:practica:problem:idempotency-key-reused")
        self.assertEqual(len(self.server.stored_attempts(client.user["id"])), 1)
        # Another learner may use the same key for their own attempt.
        self.assertEqual(self.answer(self.learner(), "three-tries", 42, key=key)[0], 201)

    def test_bad_answers_are_400_and_store_nothing(self):
        client = self.learner()
        bad = [("pick-mean", "zzz"), ("pick-mean", ["a"]), ("primes", ["a", "a"]),
               ("primes", "a"), ("three-tries", "42"), ("truth", "false"),
               ("steps", ["a", "b"]), ("steps", ["a", "b", "x"]), ("pairs", ["l1"]),
               ("gaps", ["2"]), ("square", "x^^2"), ("square", "(" * 300 + "x" + ")" * 300),
               ("square", "x" * 100_000), ("capital", "x" * 20_000), ("square", "y + 1")]
        for exercise, answer in bad:
            status, _, problem = self.answer(client, exercise, answer)
            self.assertIn(status, (400, 413), (exercise, str(answer)[:40], problem))
        for raw in ('{"answer": NaN}', '{"answer": 1e999}', '{"answer": Infinity}', "{}",
                    '{"answer": 1, "score": 1}', "not json"):
            status, _, _ = self.answer(client, "three-tries", None, raw=raw)
            self.assertEqual(status, 400, raw)
        status, _, problem = self.answer(client, "square", "x^^2")
        self.assertIn("column", json.dumps(problem))
        self.assertEqual(self.answer(client, "no-such-exercise", 1)[0], 404)
        status, _, _ = client.call("POST", "/api/exercises/nope.nope/attempts", {"answer": 1})
        self.assertEqual(status, 404)
        self.assertEqual(self.server.stored_attempts(client.user["id"]), [])

    def test_pathological_regex_input_answers_quickly(self):
        client = self.learner()
        import time
        started = time.time()
        status, _, result = self.answer(client, "capital", "pa" + "r" * 9000 + "!")
        self.assertEqual(status, 201)
        self.assertEqual(result["raw_score"], 0)
        self.assertLess(time.time() - started, 5)

    def test_signed_out_cannot_answer(self):
        status, _, _ = self.server.request("POST", "/api/exercises/drills.one-try/attempts",
                                           body='{"answer": 5}',
                                           headers={"Content-Type": "application/json"})
        self.assertEqual(status, 401)

    def test_hints_one_at_a_time_then_409(self):
        client = self.learner()
        path = "/api/exercises/drills.three-tries/hints"
        status, _, first = client.call("POST", path, {})
        self.assertEqual((status, first["hint_number"], first["hints_left"]), (200, 1, 1))
        self.assertIn("Six sevens", first["hint_html"])
        status, _, second = client.call("POST", path, {})
        self.assertEqual((second["hint_number"], second["hints_left"]), (2, 0))
        self.assertEqual(client.call("POST", path, {})[0], 409)

    def test_reviews_schedule_after_an_attempt(self):
        client = self.learner()
        self.answer(client, "truth", False)
        status, _, due = client.call("GET", "/api/me/reviews")
        self.assertEqual((status, due["items"]), (200, []))  # a new card is due tomorrow or later
        status, _, rated = client.call("POST", "/api/me/reviews/drills.truth", {"rating": "good"})
        self.assertEqual(status, 200, rated)
        self.assertGreaterEqual(rated["interval_days"], 1)
        self.assertEqual(client.call("POST", "/api/me/reviews/drills.truth",
                                     {"rating": "superb"})[0], 400)
        self.assertEqual(client.call("POST", "/api/me/reviews/drills.pick-mean",
                                     {"rating": "good"})[0], 404)  # never answered

    def test_deleting_the_account_deletes_progress(self):
        client = self.learner()
        self.answer(client, "truth", False)
        user_id = client.user["id"]
        _, _, export = client.call("GET", "/api/me/export")
        self.assertEqual(len(export["attempts"]), 1)
        self.assertEqual(client.call("DELETE", "/api/me", {"password": "correct horse battery staple 42"})[0], 204)
        self.assertEqual(self.server.stored_attempts(user_id), [])
        self.assertEqual(self.server.stored_progress(user_id), 0)


if __name__ == "__main__":
    unittest.main()
