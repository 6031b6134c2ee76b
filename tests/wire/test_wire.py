"""Wire compatibility: practica's DynamoDB items and the official AWS SDKs agree.

practica speaks DynamoDB without an SDK (src/aws/: its own SigV4, JSON protocol and
AttributeValue encoding). Under tests/services/run_with.py --moto, where every request's
signature is checked, these tests show that:

- what practica writes (a course imported with `practica import`, attempts posted through the
  API) reads back through boto3 and through the AWS SDK for JavaScript v3 (read_with_js_sdk.mjs)
  as the same attribute values, holding what the API answered (course title and outline, attempt
  ids, scores, attempt numbers, XP, the review index);
- what boto3 writes in practica's item layout (docs/DATA.md; the headers of
  src/store/dynamodb/*.h) is read by practica's API: a learner's exercise item with a review card
  due now, a TOTALS item, and a whole course (course item, lesson and exercise items of its
  revision).

Run: python3 tests/services/run_with.py --moto -- python3 -m unittest -v test_wire
(from tests/wire/, with PRACTICA_BIN set or the dev build present).
"""
import calendar
import json
import os
import subprocess
import sys
import time
import unittest
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "aws_faults"))

from dynamodb_practica import (FIXTURES, boto3_client, learner_items, new_table,  # noqa: E402
                               plain, server_on, sign_up)

JS_READER = HERE / "read_with_js_sdk.mjs"
JS_SDK = HERE.parent / "stand-ins" / "node_modules" / "@aws-sdk" / "client-dynamodb"


def epoch(iso_time):
    """Seconds since the epoch of an API time ("2026-11-25T21:15:28Z")."""
    return calendar.timegm(time.strptime(iso_time.split(".")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S"))


def js_read(reads):
    """Runs the reads (GetItem / Query inputs) through the AWS SDK for JavaScript; the raw
    results, in the wire shape."""
    if not JS_SDK.exists():
        raise RuntimeError(f"{JS_SDK} is missing: run scripts/setup")
    done = subprocess.run(["node", str(JS_READER)], input=json.dumps(reads), capture_output=True,
                          text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise AssertionError(f"read_with_js_sdk.mjs failed ({done.returncode}): {done.stderr}")
    output = json.loads(done.stdout)
    js_read.sdk = output["sdk"]
    return output["results"]


def serialize(value):
    """A plain Python item as boto3 users write one (numbers as Decimal)."""
    from boto3.dynamodb.types import TypeSerializer
    serializer = TypeSerializer()
    return {name: serializer.serialize(field) for name, field in value.items()}


class WireTest(unittest.TestCase):
    """One table, the drills course imported into it, practica serving it."""

    @classmethod
    def setUpClass(cls):
        checked = os.environ.get("PRACTICA_TEST_SIGNATURES_CHECKED") == "1"
        print(f"\nsignatures checked by the stand-in: {'yes' if checked else 'NO'}", flush=True)
        cls.table = new_table("wire")
        cls.server = server_on(cls.table, seed_content="", bundles=[FIXTURES / "drills"])
        cls.dynamodb = boto3_client()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def get_item(self, pk, sk):
        """The item through boto3 and through the JS SDK: (boto3's, the JS SDK's), both raw."""
        key = {"pk": {"S": pk}, "sk": {"S": sk}}
        from_boto3 = self.dynamodb.get_item(TableName=self.table, Key=key,
                                            ConsistentRead=True).get("Item")
        [from_js] = js_read([{"op": "GetItem", "input": {"TableName": self.table, "Key": key,
                                                           "ConsistentRead": True}}])
        return from_boto3, from_js

    def query(self, **query):
        """Every item a Query finds, through boto3 and through the JS SDK (raw, in sk order)."""
        query["TableName"] = self.table
        from_boto3 = [item for page in self.dynamodb.get_paginator("query").paginate(**query)
                      for item in page["Items"]]
        [from_js] = js_read([{"op": "Query", "input": query}])
        return from_boto3, from_js

    def test_a_course_imported_by_practica_reads_the_same_in_both_sdks(self):
        """The course item and its revision's lesson and exercise items, as practica wrote them,
        decode to identical attribute values in boto3 and the JS SDK, and hold what the API
        shows: title, summary, counts, outline, every exercise of the lesson."""
        status, _, course = self.server.get_json("/api/courses/drills")
        self.assertEqual(status, 200, course)
        status, _, lesson = self.server.get_json("/api/courses/drills/lessons/basics")
        self.assertEqual(status, 200, lesson)
        exercise_ids = [exercise["id"] for exercise in lesson["exercises"]]

        from_boto3, from_js = self.get_item("CATALOG", "COURSE#drills")
        self.assertIsNotNone(from_boto3)
        self.assertEqual(from_js, from_boto3)
        item = plain(from_boto3)
        self.assertEqual((item["slug"], item["title"], item["summary"]),
                         ("drills", course["title"], course["summary"]))
        self.assertEqual(item["exercise_count"], len(exercise_ids))
        self.assertEqual(item["lesson_count"], 1)
        self.assertEqual([(entry["slug"], entry["title"]) for entry in json.loads(item["outline"])],
                         [("basics", lesson["title"])])

        from_boto3, from_js = self.query(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"CONTENT#drills#{item['revision']}"}})
        self.assertEqual(from_js, from_boto3)
        revision = {entry["sk"]["S"]: plain(entry) for entry in from_boto3}
        self.assertEqual(sorted(revision),
                         sorted(["LESSON#0000"] + [f"EXERCISE#{id}" for id in exercise_ids]))
        self.assertEqual(revision["LESSON#0000"]["title"], lesson["title"])
        for exercise in lesson["exercises"]:
            definition = json.loads(revision[f"EXERCISE#{exercise['id']}"]["definition"])
            self.assertEqual((definition["id"], definition["type"]),
                             (exercise["id"], exercise["type"]))
            self.assertEqual(definition["prompt"]["html"], exercise["prompt_html"])
        print(f"course items read alike by boto3 and @aws-sdk/client-dynamodb {js_read.sdk}",
              flush=True)

    def test_attempts_posted_through_the_api_read_the_same_in_both_sdks(self):
        """A learner's exercise items, TOTALS item and review-index entries, as practica wrote
        them, decode to identical attribute values in boto3 and the JS SDK, and hold the attempt
        ids, numbers, scores, keys and stored responses the API answered, and its progress."""
        learner = sign_up(self.server, "wire-reader")
        user = learner.user["id"]
        posted = [("truth", False, "w-1"), ("three-tries", 41, "w-2"), ("three-tries", 42, "w-3"),
                  ("capital", "par", None)]
        answers = {}
        for exercise, answer, key in posted:
            status, _, body = learner.call("POST", f"/api/exercises/drills.{exercise}/attempts",
                                           {"answer": answer},
                                           headers={"Idempotency-Key": key} if key else {})
            self.assertEqual(status, 201, body)
            answers.setdefault(exercise, []).append((key, answer, body))
        status, _, progress = learner.call("GET", "/api/me/progress/drills")
        self.assertEqual(status, 200, progress)

        from_boto3, from_js = self.query(
            KeyConditionExpression="pk = :pk", ConsistentRead=True,
            ExpressionAttributeValues={":pk": {"S": f"LEARNER#{user}"}})
        self.assertEqual(from_js, from_boto3)
        items = {item["sk"]["S"]: plain(item) for item in from_boto3}
        self.assertEqual(sorted(items), sorted(["TOTALS"] + [f"EX#drills#{e}" for e in answers]))

        by_exercise = {row["exercise_id"]: row for row in progress["exercises"]}
        for exercise, sent in answers.items():
            item = items[f"EX#drills#{exercise}"]
            log = item["log"]
            self.assertEqual([entry["id"] for entry in log],
                             [body["attempt_id"] for _, _, body in sent])
            self.assertEqual([int(entry["n"]) for entry in log],
                             [body["attempt_number"] for _, _, body in sent])
            self.assertEqual([float(entry["score"]) for entry in log],
                             [body["score"] for _, _, body in sent])
            self.assertEqual([float(entry["raw"]) for entry in log],
                             [body["raw_score"] for _, _, body in sent])
            self.assertEqual([json.loads(entry["answer"]) for entry in log],
                             [answer for _, answer, _ in sent])
            for entry, (key, _, body) in zip(log, sent):
                self.assertEqual(entry.get("key"), key)
                if key:
                    self.assertEqual(json.loads(entry["response"]), body)
            row = by_exercise[exercise]
            self.assertEqual((int(item["attempts"]), float(item["best_score"]), item["solved"]),
                             (row["attempts"], row["best_score"], row["solved"]))
            self.assertEqual(item["gsi1pk"], f"DUE#{user}")
            self.assertEqual(item["gsi1sk"], f"{int(item['due']):020d}#drills#{exercise}")

        totals = items["TOTALS"]
        last = answers["capital"][-1][2]["progress"]
        self.assertEqual((totals["xp"], totals["streak_length"]), (last["xp"], last["streak"]))
        self.assertEqual(totals["xp"], progress["xp"])
        self.assertEqual(set(totals["keys"]), {"w-1", "w-2", "w-3"})
        self.assertEqual(totals["keys"]["w-3"]["ref"], "EX#drills#three-tries")

        from_boto3, from_js = self.query(
            IndexName="due", KeyConditionExpression="gsi1pk = :learner",
            ExpressionAttributeValues={":learner": {"S": f"DUE#{user}"}})
        self.assertEqual(from_js, from_boto3)
        self.assertEqual(sorted(plain(item)["exercise"] for item in from_boto3), sorted(answers))

    def test_a_learner_item_written_by_boto3_is_read_by_practica(self):
        """boto3 writes a learner's exercise item (one attempt, a review card due an hour ago,
        its review-index keys) and TOTALS item in practica's layout. The API lists the card as
        due, shows the progress and the attempt, rates the card (a conditional update of the
        boto3 item), and stores a new attempt on top of it (a conditional write on its `ver`)."""
        learner = sign_up(self.server, "wire-writer")
        user = learner.user["id"]
        now = int(time.time())
        due, last_review = now - 3600, now - 3 * 86400
        attempt_id = "att_written_by_boto3_0001"
        exercise_item = {
            "pk": f"LEARNER#{user}", "sk": "EX#drills#pick-mean", "course": "drills",
            "exercise": "pick-mean", "lesson": "basics", "attempts": 1, "best_score": 1,
            "solved": True, "hints_used": 0, "has_card": True, "stability": Decimal("3.25"),
            "difficulty": Decimal("5.5"), "due": due, "last_review": last_review, "reps": 1,
            "lapses": 0, "gsi1pk": f"DUE#{user}", "gsi1sk": f"{due:020d}#drills#pick-mean",
            "ver": 1,
            "log": [{"id": attempt_id, "n": 1, "raw": 1, "score": 1, "correct": True,
                     "answer": '"a"', "at": last_review, "seq": 1}]}
        totals_item = {"pk": f"LEARNER#{user}", "sk": "TOTALS", "xp": 10, "streak_length": 1,
                       "streak_last_day": last_review // 86400, "ver": 1, "keys": {}}
        for item in (exercise_item, totals_item):
            self.dynamodb.put_item(TableName=self.table, Item=serialize(item))

        status, _, reviews = learner.call("GET", "/api/me/reviews")
        self.assertEqual(status, 200, reviews)
        self.assertEqual([card["ref"] for card in reviews["items"]], ["drills.pick-mean"])
        self.assertEqual(epoch(reviews["items"][0]["due"]), due)
        self.assertEqual(reviews["items"][0]["exercise"]["id"], "pick-mean")

        status, _, progress = learner.call("GET", "/api/me/progress/drills")
        self.assertEqual(status, 200, progress)
        self.assertEqual([(row["exercise_id"], row["attempts"], row["best_score"], row["solved"])
                          for row in progress["exercises"]], [("pick-mean", 1, 1.0, True)])
        self.assertEqual(progress["xp"], 10)
        status, _, export = learner.call("GET", "/api/me/export")
        self.assertEqual(status, 200, export)
        self.assertEqual([(a["attempt_id"], a["answer"]) for a in export["attempts"]],
                         [(attempt_id, '"a"')])

        status, _, rated = learner.call("POST", "/api/me/reviews/drills.pick-mean",
                                        {"rating": "good"})
        self.assertEqual(status, 200, rated)
        item = learner_items(self.dynamodb, self.table, user)["EX#drills#pick-mean"]
        self.assertEqual(item["due"], epoch(rated["due"]))
        self.assertGreater(item["due"], now)
        self.assertEqual((item["reps"], item["ver"]), (2, 2))
        self.assertEqual(item["gsi1sk"], f"{int(item['due']):020d}#drills#pick-mean")
        self.assertEqual(learner.call("GET", "/api/me/reviews")[2]["items"], [])

        status, _, body = learner.call("POST", "/api/exercises/drills.pick-mean/attempts",
                                       {"answer": "a"}, headers={"Idempotency-Key": "wb-1"})
        self.assertEqual(status, 201, body)
        self.assertEqual(body["attempt_number"], 2)
        items = learner_items(self.dynamodb, self.table, user)
        self.assertEqual([entry["id"] for entry in items["EX#drills#pick-mean"]["log"]],
                         [attempt_id, body["attempt_id"]])
        self.assertEqual(items["TOTALS"]["xp"], 10)  # a repeat solve earns nothing
        self.assertEqual(items["TOTALS"]["ver"], 2)

    def test_a_course_written_by_boto3_is_served_and_graded_by_practica(self):
        """boto3 writes a new course in practica's layout (course item, one lesson item and two
        exercise items under a revision, then bumps CATALOG/#VERSION so caches revalidate).
        The API lists it, shows its lesson and exercises, and grades attempts with its keys."""
        slug, revision = "wired", "b0705e3000000001"
        exercises = [
            {"id": "sky", "type": "true_false",
             "prompt": {"markdown": "The sky is blue.", "html": "<p>The sky is blue.</p>\n"},
             "hints": [], "explanation": {"markdown": "Rayleigh.", "html": "<p>Rayleigh.</p>\n"},
             "penalty": 0.0, "tags": [], "spec": {"answer": True}},
            {"id": "river", "type": "short_text",
             "prompt": {"markdown": "The river of Paris?", "html": "<p>The river of Paris?</p>\n"},
             "hints": [], "explanation": {"markdown": "", "html": ""}, "max_attempts": 2,
             "penalty": 0.5, "tags": [],
             "spec": {"answers": [{"text": "Seine", "regex": "", "score": 1.0,
                                   "feedback": {"markdown": "", "html": ""}}],
                      "case_sensitive": False, "accents_strict": False}}]
        definitions = [json.dumps(exercise) for exercise in exercises]
        blocks = [{"kind": "markdown", "text": {"markdown": "Written by boto3.\n",
                                                "html": "<p>Written by boto3.</p>\n"}}]
        blocks += [{"kind": "exercise", "exercise_id": exercise["id"]} for exercise in exercises]
        content = f"CONTENT#{slug}#{revision}"
        items = [
            {"pk": content, "sk": "LESSON#0000", "slug": "first", "title": "First steps",
             "file_name": "01-first", "blocks": json.dumps(blocks), "exercises": definitions},
            *({"pk": content, "sk": f"EXERCISE#{exercise['id']}", "definition": definition}
              for exercise, definition in zip(exercises, definitions)),
            {"pk": "CATALOG", "sk": f"COURSE#{slug}", "slug": slug, "title": "Wired by boto3",
             "summary": "A course no bundle ever held.", "language": "en",
             "tags": json.dumps(["wire"]), "lesson_count": 1, "exercise_count": 2,
             "outline": json.dumps([{"slug": "first", "title": "First steps", "exercises": 2}]),
             "revision": revision}]
        for item in items:  # the revision first, then the course item that points at it
            self.dynamodb.put_item(TableName=self.table, Item=serialize(item))
        self.dynamodb.update_item(TableName=self.table,
                                  Key={"pk": {"S": "CATALOG"}, "sk": {"S": "#VERSION"}},
                                  UpdateExpression="ADD n :one",
                                  ExpressionAttributeValues={":one": {"N": "1"}})

        status, _, catalog = self.server.get_json("/api/courses")
        self.assertEqual(status, 200, catalog)
        listed = {course["slug"]: course for course in catalog["items"]}
        self.assertEqual(listed[slug]["title"], "Wired by boto3")
        self.assertIn("drills", listed)
        status, _, course = self.server.get_json(f"/api/courses/{slug}")
        self.assertEqual(status, 200, course)
        self.assertEqual([lesson["slug"] for lesson in course["lessons"]], ["first"])
        status, _, lesson = self.server.get_json(f"/api/courses/{slug}/lessons/first")
        self.assertEqual(status, 200, lesson)
        self.assertEqual([(e["id"], e["type"], e["prompt_html"]) for e in lesson["exercises"]],
                         [(e["id"], e["type"], e["prompt"]["html"]) for e in exercises])
        self.assertNotIn("Seine", json.dumps(lesson))  # the key stays on the server

        learner = sign_up(self.server, "wire-course")
        path = f"/api/exercises/{slug}.%s/attempts"
        status, _, sky = learner.call("POST", path % "sky", {"answer": True})
        self.assertEqual((status, sky["correct"]), (201, True), sky)
        status, _, wrong = learner.call("POST", path % "river", {"answer": "Thames"})
        self.assertEqual((status, wrong["correct"], wrong["attempts_left"]), (201, False, 1))
        status, _, right = learner.call("POST", path % "river", {"answer": " seine "})
        self.assertEqual((status, right["correct"], right["score"]), (201, True, 0.5), right)
        self.assertEqual(learner.call("POST", path % "river", {"answer": "Seine"})[0], 409)


if __name__ == "__main__":
    unittest.main()
