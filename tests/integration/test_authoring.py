"""The authoring API against the real binary (issue 9, part 1): an instructor writes a course,
publishes it, learners answer, edits publish new versions without rewriting what was answered,
a rollback publishes an old version again, and nobody but the course's owners and admins gets
near it."""
import io
import json
import os
import time
import unittest
import uuid
import zipfile

from harness import Server, parse_status_line
from test_accounts import Client, staff

BASE = "/api/authoring/courses"


def settle():
    """Learners' caches check the content version at most once a second: a publish reaches them
    within a second."""
    time.sleep(1.1)


def single_choice(exercise_id, prompt, correct="a"):
    return {"id": exercise_id, "type": "single_choice", "prompt": prompt,
            "options": [{"id": "a", "text": "The mean", "correct": correct == "a",
                         "feedback": "Sum divided by count."},
                        {"id": "b", "text": "The median", "correct": correct == "b"}],
            "shuffle": False}


class AuthoringTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_args=("--auth-rate-per-minute", "100000")).start()
        cls.owner = staff(cls.server, "instructor")
        cls.other = staff(cls.server, "instructor")
        cls.admin = staff(cls.server, "admin")

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def learner(self):
        client = Client(self.server)
        status, _, body = client.signup(f"learner-{uuid.uuid4().hex[:10]}@example.org")
        self.assertEqual(status, 201, body)
        return client

    def course(self, client=None, slug=None, lessons=("basics",)):
        """A new course of `client` (the owner by default) with empty lessons; its slug."""
        client = client or self.owner
        slug = slug or f"c-{uuid.uuid4().hex[:8]}"
        status, _, draft = client.call("POST", BASE, {"slug": slug, "title": f"Course {slug}"})
        self.assertEqual(status, 201, draft)
        for lesson in lessons:
            status, _, draft = client.call("POST", f"{BASE}/{slug}/lessons",
                                           {"slug": lesson, "title": lesson.title(),
                                            "markdown": f"About {lesson}, with $x^2$."})
            self.assertEqual(status, 201, draft)
        return slug

    def add(self, slug, lesson, exercise, client=None, **extra):
        status, headers, draft = (client or self.owner).call(
            "POST", f"{BASE}/{slug}/lessons/{lesson}/exercises", {"exercise": exercise, **extra})
        self.assertEqual(status, 201, draft)
        return draft, headers

    def answer(self, client, slug, exercise, answer):
        status, _, result = client.call("POST", f"/api/exercises/{slug}.{exercise}/attempts",
                                        {"answer": answer})
        self.assertEqual(status, 201, result)
        return result

    # --- the whole story ------------------------------------------------------------------

    def test_write_publish_answer_edit_roll_back_unpublish(self):
        owner = self.owner
        slug = self.course()

        # A key that contradicts its type: the field is named, nothing is added.
        bad = single_choice("q1", "Which is the average?")
        bad["options"][1]["correct"] = True
        status, headers, problem = owner.call("POST", f"{BASE}/{slug}/lessons/basics/exercises",
                                              {"exercise": bad})
        self.assertEqual(status, 400, problem)
        self.assertEqual(headers["content-type"], "application/problem+json")
        fields = {e["field"]: e["message"] for e in problem["errors"]}
        self.assertIn("exercise.options", fields, problem)
        self.assertIn("exactly one option with correct: true, found 2", fields["exercise.options"])
        status, headers, draft = owner.call("GET", f"{BASE}/{slug}")
        self.assertEqual(status, 200, draft)
        self.assertEqual(draft["lessons"][0]["exercises"], [])
        revision = draft["revision"]
        self.assertEqual(headers["etag"], f'"{revision}"')
        self.assertEqual(draft["status"], "draft")
        self.assertEqual(draft["owners"], [owner.user["id"]])

        # Two good exercises; the draft comes back with each change.
        v1_prompt = "Which one is the sum divided by the count?"
        draft, headers = self.add(slug, "basics", single_choice("q1", v1_prompt))
        self.assertEqual(draft["revision"], revision + 1)
        draft, _ = self.add(slug, "basics", {"id": "q2", "type": "numeric",
                                              "prompt": "The mean of 2, 4 and 9?",
                                              "answer": 5, "tolerance": 0.001})
        lesson = draft["lessons"][0]
        self.assertEqual([e["id"] for e in lesson["exercises"]], ["q1", "q2"])
        self.assertEqual(lesson["exercises"][1]["answer"], 5)
        self.assertEqual(lesson["blocks"], [{"markdown": "About basics, with $x^2$.\n"},
                                            {"exercise": "q1"}, {"exercise": "q2"}])

        # Nobody sees a draft.
        status, _, _ = self.server.get_json(f"/api/courses/{slug}")
        self.assertEqual(status, 404)

        # Publish version 1.
        status, _, published = owner.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 201, published)
        self.assertEqual(published["version"], 1)
        self.assertEqual(published["course"]["status"], "published")
        self.assertFalse(published["course"]["unpublished_changes"])
        status, _, outline = self.server.get_json(f"/api/courses/{slug}")
        self.assertEqual(status, 200, outline)
        self.assertEqual(outline["exercise_count"], 2)

        # A learner answers version 1.
        learner = self.learner()
        first = self.answer(learner, slug, "q1", "a")
        self.assertTrue(first["correct"], first)

        # The owner edits the exercise (the key moves to b) and publishes version 2.
        edited = single_choice("q1", "Which one is the middle value?", correct="b")
        status, _, draft = owner.call("PUT", f"{BASE}/{slug}/exercises/q1", {"exercise": edited})
        self.assertEqual(status, 200, draft)
        self.assertTrue(draft["unpublished_changes"])
        status, _, published = owner.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual((status, published["version"]), (201, 2), published)
        settle()
        second = self.answer(learner, slug, "q1", "a")
        self.assertFalse(second["correct"], second)

        # The first attempt still resolves to the exercise as version 1 had it.
        status, _, export = learner.call("GET", "/api/me/export")
        self.assertEqual(status, 200, export)
        versions = [a["exercise_version"] for a in export["attempts"] if a["course"] == slug]
        self.assertEqual(len(versions), 2)
        self.assertNotEqual(versions[0], versions[1])
        status, _, then = owner.call("GET", f"{BASE}/{slug}/exercise-versions/{versions[0]}")
        self.assertEqual(status, 200, then)
        self.assertEqual(then["exercise"]["prompt"], v1_prompt)
        self.assertEqual(then["first_version"], 1)
        self.assertEqual([o.get("correct", False) for o in then["exercise"]["options"]],
                         [True, False])
        self.assertNotIn("correct", json.dumps(then["view"]))  # the learner's view has no key
        status, _, now = owner.call("GET", f"{BASE}/{slug}/exercise-versions/{versions[1]}")
        self.assertEqual((status, now["exercise"]["prompt"]), (200, "Which one is the middle value?"))
        status, _, current = owner.call("GET", f"{BASE}/{slug}/exercises/q1")
        self.assertEqual((status, current["fingerprint"]), (200, versions[1]), current)

        # Roll back to version 1: published as version 3, equal to version 1, and the draft.
        status, _, rolled = owner.call("POST", f"{BASE}/{slug}/versions/1/rollback")
        self.assertEqual(status, 201, rolled)
        self.assertEqual((rolled["version"], rolled["rolled_back_to"]), (3, 1))
        _, _, v1 = owner.call("GET", f"{BASE}/{slug}/versions/1")
        _, _, v3 = owner.call("GET", f"{BASE}/{slug}/versions/3")
        self.assertEqual(v3["lessons"], v1["lessons"])
        self.assertEqual((v3["source"], v3["live"], v1["live"]), ("rollback", True, False))
        _, _, draft = owner.call("GET", f"{BASE}/{slug}")
        self.assertEqual(draft["lessons"], v1["lessons"])
        settle()
        self.assertTrue(self.answer(learner, slug, "q1", "a")["correct"])
        status, _, listed = owner.call("GET", f"{BASE}/{slug}/versions")
        self.assertEqual(status, 200, listed)
        self.assertEqual([(v["version"], v["source"], v["live"]) for v in listed["items"]],
                         [(3, "rollback", True), (2, "publish", False), (1, "publish", False)])
        self.assertEqual(listed["items"][2]["published_by"], owner.user["id"])

        # Unpublished: gone from the catalog and the learner's progress; published again: back,
        # without a new version (nothing changed).
        status, _, off = owner.call("POST", f"{BASE}/{slug}/unpublish")
        self.assertEqual((status, off["course"]["status"]), (200, "unpublished"), off)
        settle()
        status, _, _ = self.server.get_json(f"/api/courses/{slug}")
        self.assertEqual(status, 404)
        status, _, problem = learner.call("POST", f"/api/exercises/{slug}.q1/attempts",
                                          {"answer": "a"})
        self.assertEqual(status, 404, problem)
        _, _, progress = learner.call("GET", "/api/me/progress")
        self.assertNotIn(slug, [p["course"] for p in progress["items"]])
        status, _, again = owner.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual((status, again["version"]), (200, 3), again)
        settle()
        status, _, _ = self.server.get_json(f"/api/courses/{slug}")
        self.assertEqual(status, 200)
        _, _, progress = learner.call("GET", "/api/me/progress")
        self.assertIn(slug, [p["course"] for p in progress["items"]])

    # --- concurrency ----------------------------------------------------------------------

    def test_a_stale_revision_is_refused(self):
        slug = self.course()
        status, headers, draft = self.owner.call("GET", f"{BASE}/{slug}")
        etag = headers["etag"]
        status, headers, changed = self.owner.call("PATCH", f"{BASE}/{slug}", {"title": "New"},
                                                   headers={"If-Match": etag})
        self.assertEqual(status, 200, changed)
        self.assertEqual(headers["etag"], f'"{draft["revision"] + 1}"')
        # A second author still holding the old ETag.
        for method, path, body in (("PATCH", f"{BASE}/{slug}", {"title": "Mine"}),
                                   ("POST", f"{BASE}/{slug}/lessons", {"slug": "x", "title": "X"}),
                                   ("POST", f"{BASE}/{slug}/publish", None)):
            status, headers, problem = self.owner.call(method, path, body,
                                                       headers={"If-Match": etag})
            self.assertEqual(status, 412, (method, path, problem))
            self.assertEqual(headers["content-type"], "application/problem+json")
        _, _, draft = self.owner.call("GET", f"{BASE}/{slug}")
        self.assertEqual(draft["title"], "New")
        self.assertEqual([l["slug"] for l in draft["lessons"]], ["basics"])
        self.assertEqual(draft["status"], "draft")
        status, _, problem = self.owner.call("PATCH", f"{BASE}/{slug}", {"title": "T"},
                                             headers={"If-Match": "yesterday"})
        self.assertEqual(status, 400, problem)

    # --- lessons and exercises in order ---------------------------------------------------

    def test_reorder_and_move_lessons_and_exercises(self):
        slug = self.course(lessons=("one", "two"))
        for i in (1, 2, 3):
            self.add(slug, "one", {"id": f"e{i}", "type": "true_false",
                                   "prompt": f"Statement {i}.", "answer": True})
        draft, _ = self.add(slug, "one", {"id": "e0", "type": "true_false", "prompt": "First.",
                                          "answer": False}, position=0)
        self.assertEqual([e["id"] for e in draft["lessons"][0]["exercises"]],
                         ["e0", "e1", "e2", "e3"])
        status, _, draft = self.owner.call("POST", f"{BASE}/{slug}/exercises/e2/move",
                                           {"lesson": "two"})
        self.assertEqual(status, 200, draft)
        self.assertEqual([e["id"] for e in draft["lessons"][0]["exercises"]], ["e0", "e1", "e3"])
        self.assertEqual([e["id"] for e in draft["lessons"][1]["exercises"]], ["e2"])
        status, _, draft = self.owner.call("POST", f"{BASE}/{slug}/exercises/e3/move",
                                           {"lesson": "one", "position": 0})
        self.assertEqual([e["id"] for e in draft["lessons"][0]["exercises"]], ["e3", "e0", "e1"])

        # The lesson body: text between exercises, each exercise placed once.
        body = [{"markdown": "Intro."}, {"exercise": "e1"}, {"markdown": "Between."},
                {"exercise": "e3"}, {"exercise": "e0"}]
        status, _, draft = self.owner.call("PATCH", f"{BASE}/{slug}/lessons/one",
                                           {"title": "The first", "blocks": body})
        self.assertEqual(status, 200, draft)
        lesson = draft["lessons"][0]
        self.assertEqual(lesson["title"], "The first")
        self.assertEqual(lesson["blocks"], [{"markdown": "Intro.\n"}, {"exercise": "e1"},
                                            {"markdown": "Between.\n"}, {"exercise": "e3"},
                                            {"exercise": "e0"}])
        status, _, problem = self.owner.call("PATCH", f"{BASE}/{slug}/lessons/one",
                                             {"blocks": [{"exercise": "e1"}, {"exercise": "e1"},
                                                         {"markdown": "```exercise\nid: x\n```"}]})
        self.assertEqual(status, 400, problem)
        self.assertEqual({e["field"] for e in problem["errors"]},
                         {"blocks[1].exercise"}, problem)

        status, _, draft = self.owner.call("PUT", f"{BASE}/{slug}/lesson-order",
                                           {"lessons": ["two", "one"]})
        self.assertEqual(status, 200, draft)
        self.assertEqual([l["slug"] for l in draft["lessons"]], ["two", "one"])
        status, _, problem = self.owner.call("PUT", f"{BASE}/{slug}/lesson-order",
                                             {"lessons": ["two"]})
        self.assertEqual((status, problem["errors"][0]["field"]), (400, "lessons"))

        status, _, draft = self.owner.call("DELETE", f"{BASE}/{slug}/exercises/e0")
        self.assertEqual(status, 200, draft)
        self.assertEqual([e["id"] for e in draft["lessons"][1]["exercises"]], ["e1", "e3"])
        status, _, draft = self.owner.call("DELETE", f"{BASE}/{slug}/lessons/two")
        self.assertEqual([l["slug"] for l in draft["lessons"]], ["one"])
        status, _, problem = self.owner.call("DELETE", f"{BASE}/{slug}/lessons/two")
        self.assertEqual(status, 404, problem)

        # Published exactly as a bundle would read it.
        status, _, published = self.owner.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 201, published)
        status, _, learner_view = self.server.get_json(f"/api/courses/{slug}/lessons/one")
        self.assertEqual(status, 200, learner_view)
        self.assertEqual([e["id"] for e in learner_view["exercises"]], ["e1", "e3"])
        self.assertIn("<p>Between.</p>", learner_view["html"])

    def test_publishing_checks_the_course_as_a_bundle(self):
        slug = self.course(lessons=())
        status, _, problem = self.owner.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 400, problem)
        self.assertIn("course", [e["field"] for e in problem["errors"]])
        status, _, _ = self.owner.call("POST", f"{BASE}/{slug}/lessons",
                                       {"slug": "empty", "title": "Empty"})
        status, _, problem = self.owner.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 400, problem)
        self.assertIn("lessons[0]", [e["field"] for e in problem["errors"]], problem)
        status, _, _ = self.server.get_json(f"/api/courses/{slug}")
        self.assertEqual(status, 404)
        status, _, versions = self.owner.call("GET", f"{BASE}/{slug}/versions")
        self.assertEqual(versions["items"], [])

    # --- the try-it panel and previews ----------------------------------------------------

    def test_try_an_answer_and_preview_markdown(self):
        slug = self.course()
        self.add(slug, "basics", {"id": "f", "type": "formula", "prompt": "Expand $(x+1)^2$.",
                                  "answer": "x^2 + 2x + 1", "variables": {"x": [-5, 5]},
                                  "explanation": "Square it."})
        status, _, graded = self.owner.call("POST", f"{BASE}/{slug}/exercises/f/try",
                                            {"answer": "(x+1)*(x+1)"})
        self.assertEqual(status, 200, graded)
        self.assertEqual((graded["score"], graded["correct"]), (1, True))
        self.assertIn("Square it.", graded["explanation_html"])
        status, _, graded = self.owner.call("POST", f"{BASE}/{slug}/exercises/f/try",
                                            {"answer": "x^2 + 1"})
        self.assertEqual((status, graded["correct"]), (200, False))
        status, _, problem = self.owner.call("POST", f"{BASE}/{slug}/exercises/f/try",
                                             {"answer": "x +* 1"})
        self.assertEqual(status, 400, problem)
        status, _, view = self.owner.call("GET", f"{BASE}/{slug}/exercises/f")
        self.assertEqual(status, 200, view)
        self.assertEqual(view["view"]["variables"], ["x"])
        self.assertNotIn("answer", view["view"])
        # Nothing was stored: no attempts, no progress.
        self.assertEqual(self.server.stored_progress(self.owner.user["id"]), 0)

        status, _, preview = self.owner.call("POST", "/api/authoring/preview",
                                             {"markdown": "**Mean**: $\\bar{x}$ <script>x</script>"})
        self.assertEqual(status, 200, preview)
        self.assertIn("<strong>Mean</strong>", preview["html"])
        self.assertIn("\\bar{x}", preview["html"])
        self.assertNotIn("<script>", preview["html"])
        status, _, preview = self.owner.call("POST", "/api/authoring/preview",
                                             {"markdown": "An *option*", "inline": True})
        self.assertEqual(preview["html"], "An <em>option</em>")

    # --- who may -------------------------------------------------------------------------

    def test_another_instructor_gets_404_and_a_learner_403(self):
        slug = self.course()
        self.add(slug, "basics", single_choice("q1", "Pick."))
        status, _, _ = self.owner.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 201)
        _, _, current = self.owner.call("GET", f"{BASE}/{slug}/exercises/q1")
        fingerprint = current["fingerprint"]
        calls = [("GET", f"{BASE}/{slug}", None),
                 ("PATCH", f"{BASE}/{slug}", {"title": "Mine now"}),
                 ("GET", f"{BASE}/{slug}/owners", None),
                 ("PUT", f"{BASE}/{slug}/owners", {"owners": []}),
                 ("POST", f"{BASE}/{slug}/lessons", {"slug": "x", "title": "X"}),
                 ("PATCH", f"{BASE}/{slug}/lessons/basics", {"title": "X"}),
                 ("DELETE", f"{BASE}/{slug}/lessons/basics", None),
                 ("PUT", f"{BASE}/{slug}/lesson-order", {"lessons": ["basics"]}),
                 ("POST", f"{BASE}/{slug}/lessons/basics/exercises",
                  {"exercise": single_choice("q9", "P")}),
                 ("GET", f"{BASE}/{slug}/exercises/q1", None),
                 ("PUT", f"{BASE}/{slug}/exercises/q1", {"exercise": single_choice("q1", "P")}),
                 ("DELETE", f"{BASE}/{slug}/exercises/q1", None),
                 ("POST", f"{BASE}/{slug}/exercises/q1/move", {"lesson": "basics"}),
                 ("POST", f"{BASE}/{slug}/exercises/q1/try", {"answer": "a"}),
                 ("POST", f"{BASE}/{slug}/publish", None),
                 ("POST", f"{BASE}/{slug}/unpublish", None),
                 ("GET", f"{BASE}/{slug}/versions", None),
                 ("GET", f"{BASE}/{slug}/versions/1", None),
                 ("POST", f"{BASE}/{slug}/versions/1/rollback", None),
                 ("GET", f"{BASE}/{slug}/exercise-versions/{fingerprint}", None),
                 ("GET", f"/api/analytics/courses/{slug}/items", None)]
        for method, path, body in calls:
            status, _, problem = self.other.call(method, path, body)
            self.assertEqual(status, 404, (method, path, problem))
            # The same answer as for a course that does not exist.
            status, _, missing = self.other.call(method, path.replace(slug, "no-such-course"), body)
            self.assertEqual(status, 404, (method, path, missing))
            self.assertEqual(problem["title"], missing["title"])
        status, _, mine = self.other.call("GET", BASE)
        self.assertNotIn(slug, [c["slug"] for c in mine["items"]])

        learner = self.learner()
        for method, path, body in calls[:3] + [("GET", BASE, None),
                                               ("POST", BASE, {"slug": "l", "title": "L"}),
                                               ("POST", "/api/authoring/preview",
                                                {"markdown": "x"})]:
            status, _, problem = learner.call(method, path, body)
            self.assertEqual(status, 403, (method, path, problem))
        unverified = staff(self.server, "instructor", with_totp=False)
        status, _, problem = unverified.call("GET", BASE)
        self.assertEqual(status, 403, problem)

        # Still the owner's, unchanged.
        status, _, draft = self.owner.call("GET", f"{BASE}/{slug}")
        self.assertEqual((status, draft["revision"], draft["live_version"]), (200, 3, 1), draft)
        status, _, analytics = self.owner.call("GET", f"/api/analytics/courses/{slug}/items")
        self.assertEqual(status, 200, analytics)

    def test_admins_manage_every_course_and_set_owners(self):
        slug = self.course()
        status, _, draft = self.admin.call("GET", f"{BASE}/{slug}")
        self.assertEqual(status, 200, draft)
        status, _, listed = self.admin.call("GET", f"{BASE}?limit=100")
        self.assertIn(slug, [c["slug"] for c in listed["items"]])

        # An owner may not hand the course over; an admin may.
        status, _, problem = self.owner.call("PUT", f"{BASE}/{slug}/owners",
                                             {"owners": [self.other.user["id"]]})
        self.assertEqual(status, 403, problem)
        learner = self.learner()
        status, _, problem = self.admin.call("PUT", f"{BASE}/{slug}/owners",
                                             {"owners": [learner.user["id"], "usr_nobody"]})
        self.assertEqual(status, 400, problem)
        self.assertEqual([e["field"] for e in problem["errors"]], ["owners[0]", "owners[1]"])
        status, _, owners = self.admin.call("PUT", f"{BASE}/{slug}/owners",
                                            {"owners": [self.other.user["id"]]})
        self.assertEqual(status, 200, owners)
        self.assertEqual([o["id"] for o in owners["owners"]], [self.other.user["id"]])
        self.assertEqual(owners["owners"][0]["role"], "instructor")
        status, _, _ = self.other.call("GET", f"{BASE}/{slug}")
        self.assertEqual(status, 200)
        status, _, _ = self.owner.call("GET", f"{BASE}/{slug}")
        self.assertEqual(status, 404)

        # The demo course was loaded before anyone authored it: it is on record as an import,
        # managed by admins until they name its owners.
        status, _, demo = self.admin.call("GET", f"{BASE}/everyday-data")
        self.assertEqual(status, 200, demo)
        self.assertEqual((demo["live_version"], demo["owners"]), (1, []))
        status, _, versions = self.admin.call("GET", f"{BASE}/everyday-data/versions")
        self.assertEqual(versions["items"][0]["source"], "import")
        self.assertIsNone(versions["items"][0]["published_by"])
        status, _, _ = self.owner.call("GET", f"{BASE}/everyday-data")
        self.assertEqual(status, 404)

    def test_bad_requests_are_problems(self):
        slug = self.course()
        cases = [("POST", BASE, {"slug": "x-" + slug, "title": "T", "owners": ["me"]}, "owners"),
                 ("POST", BASE, {"slug": "Not A Slug", "title": "T"}, "slug"),
                 ("POST", BASE, {"slug": slug, "title": "Again"}, "slug"),
                 ("PATCH", f"{BASE}/{slug}", {"language": "english!"}, "language"),
                 ("PATCH", f"{BASE}/{slug}", {"tags": ["ok", 7]}, "tags[1]"),
                 ("POST", f"{BASE}/{slug}/lessons", {"slug": "basics", "title": "Twice"}, "slug"),
                 ("POST", f"{BASE}/{slug}/lessons", {"slug": "l2", "title": " "}, "title"),
                 ("POST", f"{BASE}/{slug}/lessons/basics/exercises",
                  {"exercise": {"id": "n", "type": "numeric", "prompt": "P", "answer": "five"}},
                  "exercise.answer"),
                 ("POST", f"{BASE}/{slug}/lessons/basics/exercises",
                  {"exercise": {"id": "t", "type": "true_false", "prompt": "P", "answr": True}},
                  "exercise.answr"),
                 ("POST", f"{BASE}/{slug}/lessons/basics/exercises", {"exercise": [1]}, "exercise")]
        for method, path, body, field in cases:
            status, headers, problem = self.owner.call(method, path, body)
            self.assertIn(status, (400, 409), (method, path, problem))
            self.assertEqual(headers["content-type"], "application/problem+json")
            self.assertIn(field, [e["field"] for e in problem.get("errors", [])], (body, problem))
        status, _, problem = self.owner.call("PUT", f"{BASE}/{slug}/exercises/nope",
                                             {"exercise": single_choice("nope", "P")})
        self.assertEqual(status, 404, problem)
        self.add(slug, "basics", single_choice("q1", "P"))
        status, _, problem = self.owner.call("PUT", f"{BASE}/{slug}/exercises/q1",
                                             {"exercise": single_choice("q2", "P")})
        self.assertEqual((status, problem["errors"][0]["field"]), (400, "exercise.id"))
        status, _, problem = self.owner.call("GET", f"{BASE}/{slug}/exercise-versions/zzz")
        self.assertEqual(status, 404, problem)
        status, _, problem = self.owner.call("GET", f"{BASE}/{slug}/versions/7")
        self.assertEqual(status, 404, problem)
        # Nothing half-applied: the draft holds only what succeeded.
        _, _, draft = self.owner.call("GET", f"{BASE}/{slug}")
        self.assertEqual([l["slug"] for l in draft["lessons"]], ["basics"])
        self.assertEqual([e["id"] for e in draft["lessons"][0]["exercises"]], ["q1"])
        self.assertEqual(draft["language"], "en")


    # --- a course as a zip (issue 9, part 3) -------------------------------------------------

    def zip_request(self, client, method, path, body=None, headers=None):
        hdrs = {**(headers or {})}
        if client is not None:
            hdrs["Authorization"] = f"Bearer {client.token}"
        if body is not None:
            hdrs["Content-Type"] = "application/zip"
        return self.server.request(method, path, body=body, headers=hdrs)

    def test_download_a_draft_as_a_zip_and_upload_it_changed(self):
        slug = self.course()
        self.add(slug, "basics", single_choice("q1", "Which one is the mean?"))
        status, headers, data = self.zip_request(self.owner, "GET", f"{BASE}/{slug}/bundle")
        self.assertEqual(status, 200, data)
        self.assertEqual(headers["content-type"], "application/zip")
        self.assertEqual(headers["content-disposition"], f'attachment; filename="{slug}.zip"')
        etag = headers["etag"]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.assertIsNone(archive.testzip())
            names = archive.namelist()
            lesson_name = next(n for n in names if n.startswith(f"{slug}/lessons/"))
            self.assertEqual(names, [f"{slug}/course.yaml", lesson_name])
            files = {n: archive.read(n) for n in names}
        # The same bytes again while the draft is unchanged.
        self.assertEqual(self.zip_request(self.owner, "GET", f"{BASE}/{slug}/bundle")[2], data)

        # Edited on the author's machine, zipped again by hand (bundle at the zip's root, a large
        # incompressible asset that takes the body past the server's usual 1 MiB) and uploaded.
        files[lesson_name] = files[lesson_name].replace(b"About basics", b"All about basics")
        upload = io.BytesIO()
        with zipfile.ZipFile(upload, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                archive.writestr(name.split("/", 1)[1], content)
            archive.writestr("assets/photo.jpg", os.urandom(2 * 1024 * 1024), zipfile.ZIP_STORED)
        body = upload.getvalue()
        self.assertGreater(len(body), 2 * 1024 * 1024)
        status, headers, draft = self.zip_request(self.owner, "PUT", f"{BASE}/{slug}/bundle", body,
                                                  {"If-Match": etag})
        self.assertEqual(status, 200, draft)
        draft = json.loads(draft)
        self.assertIn("All about basics", draft["lessons"][0]["blocks"][0]["markdown"])
        self.assertEqual(headers["etag"], f'"{draft["revision"]}"')
        self.assertEqual(draft["status"], "draft")
        status, _, published = self.owner.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 201, published)

        # Stale, someone else's: refused. Past 1 MiB, only callers the route admits
        # (instructors and admins with a second factor) are read at all.
        status, _, _ = self.zip_request(self.owner, "PUT", f"{BASE}/{slug}/bundle", body,
                                        {"If-Match": etag})
        self.assertEqual(status, 412)
        self.assertEqual(self.zip_request(self.other, "PUT", f"{BASE}/{slug}/bundle", b"PK")[0],
                         404)
        self.assertEqual(self.zip_request(self.other, "GET", f"{BASE}/{slug}/bundle")[0], 404)
        head = (f"PUT {BASE}/{slug}/bundle HTTP/1.1\r\nHost: x\r\nContent-Type: application/zip"
                f"\r\nContent-Length: {len(body)}\r\n").encode()
        self.assertEqual(parse_status_line(self.server.raw(head + b"\r\n")), 413)
        self.assertEqual(parse_status_line(self.server.raw(
            head + f"Authorization: Bearer {self.learner().token}\r\n\r\n".encode())), 413)
        # Over 50 MiB: refused from the header, before any of the body is read.
        too_big = (f"PUT {BASE}/{slug}/bundle HTTP/1.1\r\nHost: x\r\n"
                   f"Authorization: Bearer {self.owner.token}\r\n"
                   f"Content-Length: {50 * 1024 * 1024 + 1}\r\n\r\n").encode()
        self.assertEqual(parse_status_line(self.server.raw(too_big)), 413)

    def test_a_bad_zip_names_the_entry_and_line_and_changes_nothing(self):
        slug = self.course()
        status, headers, _ = self.owner.call("GET", f"{BASE}/{slug}")
        revision = headers["etag"]

        def upload(entries):
            data = io.BytesIO()
            with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, content in entries.items():
                    archive.writestr(name, content)
            status, _, problem = self.zip_request(self.owner, "PUT", f"{BASE}/{slug}/bundle",
                                                  data.getvalue())
            self.assertEqual(status, 400, problem)
            return {e["field"]: e["message"] for e in json.loads(problem)["errors"]}

        course_yaml = f"format: 1\nslug: {slug}\ntitle: T\n"
        lesson = "---\ntitle: A\n---\n```exercise\nid: x\ntype: essay_question\n```\n"
        fields = upload({f"{slug}/course.yaml": course_yaml, f"{slug}/lessons/01-a.md": lesson})
        self.assertIn("essay_question", fields.get(f"{slug}.zip/{slug}/lessons/01-a.md:6", ""))
        fields = upload({"course.yaml": course_yaml, "../evil.md": "x"})
        self.assertIn("'..'", fields.get(f"{slug}.zip/../evil.md:0", ""), fields)
        fields = upload({"course.yaml": "format: 1\nslug: other-course\ntitle: T\n",
                         "lessons/01-a.md": "---\ntitle: A\n---\nText.\n"})
        self.assertIn("other-course", fields.get("slug", ""), fields)
        status, _, problem = self.zip_request(self.owner, "PUT", f"{BASE}/{slug}/bundle",
                                              b"not a zip")
        self.assertEqual(status, 400, problem)
        status, headers, _ = self.owner.call("GET", f"{BASE}/{slug}")
        self.assertEqual(headers["etag"], revision)

    # --- a question bank in Moodle's GIFT format (issue 9, part 4) ----------------------------

    def gift_request(self, method, path, body=None, headers=None, client=None):
        hdrs = {"Authorization": f"Bearer {(client or self.owner).token}", **(headers or {})}
        if body is not None:
            hdrs["Content-Type"] = "text/plain; charset=utf-8"
            body = body.encode()
        return self.server.request(method, path, body=body, headers=hdrs)

    def test_upload_a_gift_bank_as_the_draft_and_download_it_again(self):
        slug = self.course()
        bank = ("$CATEGORY: $course$/top/Averages\n\n"
                "::mean::Which one is the sum divided by the count?"
                "{=Mean ~%50%Median#Close. ~Mode}\n\n"
                "$CATEGORY: $course$/top/Spread\n\n"
                "::sd::Is the standard deviation ever negative?{F#It is a square root.}\n\n"
                "::why::Explain in a sentence what a variance measures.{}\n")
        status, headers, data = self.gift_request("PUT", f"{BASE}/{slug}/gift", bank)
        self.assertEqual(status, 200, data)
        draft = json.loads(data)
        self.assertEqual([lesson["title"] for lesson in draft["lessons"]], ["Averages", "Spread"])
        self.assertEqual(draft["title"], f"Course {slug}")  # the course's own fields stay
        status, _, published = self.owner.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 201, published)
        settle()
        # A learner answers the weighted option and the essay.
        learner = self.learner()
        partial = self.answer(learner, slug, "mean", "b")
        self.assertAlmostEqual(partial["raw_score"], 0.5)
        essay = self.answer(learner, slug, "why", "How far values sit from their mean.")
        self.assertFalse(essay["graded"])

        status, headers, text = self.gift_request("GET", f"{BASE}/{slug}/gift")
        self.assertEqual(status, 200, text)
        self.assertTrue(headers["content-type"].startswith("text/plain"))
        self.assertEqual(headers["content-disposition"], f'attachment; filename="{slug}.gift"')
        text = text.decode()
        self.assertIn("$CATEGORY: Averages", text)
        self.assertIn("~%50%", text)
        # What was downloaded uploads again to the same questions.
        status, _, again = self.gift_request("PUT", f"{BASE}/{slug}/gift", text)
        self.assertEqual(status, 200, again)
        again = json.loads(again)
        self.assertEqual(again["lessons"], draft["lessons"])

    def test_a_bad_gift_bank_names_its_lines_and_changes_nothing(self):
        slug = self.course()
        status, headers, _ = self.owner.call("GET", f"{BASE}/{slug}")
        revision = headers["etag"]
        bank = "::ok::Two plus two?{#4}\n\n::broken::Pick one {=a ~b\n\n::next::Hi{T}\n"
        status, headers, problem = self.gift_request("PUT", f"{BASE}/{slug}/gift", bank)
        self.assertEqual(status, 400, problem)
        self.assertEqual(headers["content-type"], "application/problem+json")
        fields = [e["field"] for e in json.loads(problem)["errors"]]
        self.assertTrue(any(f.startswith(f"{slug}.gift:3") for f in fields), fields)
        status, headers, _ = self.owner.call("GET", f"{BASE}/{slug}")
        self.assertEqual(headers["etag"], revision)
        # Someone else's course is not there; neither is a bad flag value.
        self.assertEqual(self.gift_request("PUT", f"{BASE}/{slug}/gift", "::a::b{T}\n",
                                           client=self.other)[0], 404)
        self.assertEqual(self.gift_request(
            "GET", f"{BASE}/{slug}/gift?skip_unsupported=maybe")[0], 400)

if __name__ == "__main__":
    unittest.main()
