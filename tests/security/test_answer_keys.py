"""The answer key never reaches a learner before grading: every response about the demo course
(content/), the drills and the content fixtures of every exercise type (tests/content/fixtures)
is walked for correctness flags, accepted answers, tolerances, hints not yet asked for,
explanations and feedback, by key and by the text the bundles hold; a wrong answer gets its grade
and the feedback of what it chose, but no explanation, accepted answer or right option's feedback
while tries remain (multiple choice's per-option parts are a known limit, docs/SECURITY.md); and
the order items are shown in cannot be turned back into the answer by anyone running the same
code. tests/integration/test_catalog.py checks the demo course's lesson keys
(its FORBIDDEN_KEYS, imported here)."""
import re
import shutil
import tempfile
import unittest
from pathlib import Path

import yaml

from attacker import BASE, DRILLS, SOURCE_DIR, learner, open_server, staff, walk
from test_catalog import FORBIDDEN_KEYS

FIXTURES = SOURCE_DIR / "tests" / "content" / "fixtures"
EXERCISE = re.compile(r"^```exercise\n(.*?)^```", re.M | re.S)
server = None
courses = {}  # slug -> {exercise id -> its definition in the bundle}


def bundles():
    yield SOURCE_DIR / "content" / "everyday-data"
    yield DRILLS / "drills"
    for folder in sorted(FIXTURES.iterdir()):
        if (folder / "course.yaml").exists():
            yield folder


def read_bundle(folder):
    slug = yaml.safe_load((folder / "course.yaml").read_text())["slug"]
    exercises = {}
    for lesson in sorted((folder / "lessons").glob("*.md")):
        for block in EXERCISE.findall(lesson.read_text()):
            definition = yaml.safe_load(block)
            exercises[definition["id"]] = definition
    return slug, exercises


def setUpModule():
    global server
    seed = Path(tempfile.mkdtemp(prefix="practica-keys-"))
    for folder in bundles():
        shutil.copytree(folder, seed / folder.name)
        slug, exercises = read_bundle(folder)
        courses[slug] = exercises
    server = open_server(seed_content=str(seed))
    server.seed_copy = seed


def tearDownModule():
    server.cleanup()
    shutil.rmtree(server.seed_copy, ignore_errors=True)


def plain(text):
    """A piece of Markdown as it reads once rendered, if it has no markup: else None."""
    text = " ".join(str(text).split())
    if len(text) < 12 or re.search(r"[$*_`\\\[\]<>{}|#&]", text):
        return None
    return text


def secret_texts(definition):
    """What a learner may only see after grading (or after asking for a hint), as plain text."""
    texts = []
    for key in ("explanation", "true_feedback", "false_feedback"):
        if key in definition:
            texts.append(definition[key])
    texts += definition.get("hints", [])
    for _, key, value in walk(definition):
        if key == "feedback" and isinstance(value, str):
            texts.append(value)
    return [t for t in map(plain, texts) if t]


def accepted_answers(definition):
    """Accepted answers that are words (numbers would match any count in the response)."""
    found = []
    for _, key, value in walk(definition):
        if key in ("answers", "answer") and isinstance(value, list):
            found += [a for a in value if isinstance(a, str)]
        elif key in ("answer", "text", "regex") and isinstance(value, str) and \
                definition["type"] in ("short_text", "cloze", "formula"):
            found.append(value)
    return [a for a in found if len(a) >= 4 and not a.isdigit()]


def strings(value):
    return "\n".join(v for _, _, v in walk(value) if isinstance(v, str)) + \
        ("\n" + value if isinstance(value, str) else "")


class AnswerKeysTest(unittest.TestCase):
    def lesson_responses(self, client=None):
        """(course, lesson JSON) of every lesson of every course, as `client` (None: signed
        out) gets them, after walking the catalog and each outline."""
        get = (lambda path: client.call("GET", path)) if client else server.get_json
        status, _, page = get("/api/courses?limit=100")
        self.assertEqual(status, 200)
        self.assertEqual(set(c["slug"] for c in page["items"]), set(courses))
        for course in page["items"]:
            status, _, outline = get(f"/api/courses/{course['slug']}")
            self.assertEqual(status, 200)
            yield course["slug"], page
            yield course["slug"], outline
            for lesson in outline["lessons"]:
                status, _, body = get(f"/api/courses/{course['slug']}/lessons/{lesson['slug']}")
                self.assertEqual(status, 200)
                yield course["slug"], body

    def assert_no_key(self, slug, response, where):
        keys = {key for _, key, _ in walk(response)}
        self.assertFalse(keys & FORBIDDEN_KEYS, (where, keys & FORBIDDEN_KEYS))
        text = strings(response)
        for exercise_id, definition in courses[slug].items():
            for secret in secret_texts(definition):
                self.assertNotIn(secret, text, (where, exercise_id))
        for _, key, value in walk(response):
            if key != "exercises" or not isinstance(value, list):
                continue
            for exercise in value:
                if not isinstance(exercise, dict) or exercise.get("id") not in courses[slug]:
                    continue
                shown = strings({k: v for k, v in exercise.items() if k != "prompt_html"})
                for answer in accepted_answers(courses[slug][exercise["id"]]):
                    self.assertNotIn(answer, shown, (where, exercise["id"]))

    def test_no_catalog_response_carries_a_key_signed_out_or_in(self):
        types = set()
        student = learner(server)
        for client in (None, student):
            for slug, response in self.lesson_responses(client):
                self.assert_no_key(slug, response, slug)
                for exercise in response.get("exercises", []) if "html" in response else []:
                    types.add(exercise["type"])
        self.assertEqual(len(types), 10, types)  # every type, the essay included

    def test_progress_and_review_responses_carry_no_key(self):
        student = learner(server)
        for ref, answer in (("drills.truth", True), ("drills.pick-mean", "b"),
                            ("drills.steps", ["c", "b", "a"]), ("drills.capital", "Lyon")):
            status, _, _ = student.call("POST", f"/api/exercises/{ref}/attempts",
                                        {"answer": answer})
            self.assertEqual(status, 201)
        for path in ("/api/me/progress", "/api/me/progress/drills", "/api/me/reviews?all=true",
                     "/api/me/reviews", "/api/courses/drills"):
            status, _, body = student.call("GET", path)
            self.assertEqual(status, 200, path)
            self.assert_no_key("drills", body, path)

    def test_a_wrong_answer_gets_no_explanation_accepted_answer_or_right_options_feedback(self):
        wrong = {"one-try": 4, "three-tries": 41, "pick-mean": "b", "primes": ["b"],
                 "square": "x + 7", "steps": ["c", "b", "a"], "pairs": {"l1": "r3", "l2": "r1"},
                 "capital": "Lyon", "gaps": ["7", "Rome"], "truth": True}
        student = learner(server)
        for exercise_id, answer in wrong.items():
            definition = courses["drills"][exercise_id]
            status, _, result = student.call("POST", f"/api/exercises/drills.{exercise_id}/attempts",
                                             {"answer": answer})
            self.assertEqual(status, 201, (exercise_id, result))
            self.assertFalse(result["correct"], exercise_id)
            keys = {key for _, key, _ in walk(result)}
            for key in ("correct_answer", "expected", "solution", "accepted", "answers",
                        "correct_options", "correct_order", "pairs"):
                self.assertNotIn(key, keys, exercise_id)
            text = strings(result)
            for answer_text in accepted_answers(definition):
                self.assertNotIn(answer_text, text, exercise_id)
            last_try = result.get("attempts_left") == 0
            if not last_try:  # the explanation comes with success or with the last try
                self.assertNotIn("explanation_html", result, exercise_id)
                if definition.get("explanation") and plain(definition["explanation"]):
                    self.assertNotIn(plain(definition["explanation"]), text, exercise_id)
            # Feedback only for what was chosen: never the feedback of the right option.
            for option in definition.get("options", []):
                if option.get("correct") and plain(option.get("feedback", "")):
                    self.assertNotIn(plain(option["feedback"]), text, exercise_id)

    def test_the_display_order_cannot_be_inverted_by_someone_running_the_same_code(self):
        """An attacker starts the same binary, authors exercises with the same course slugs, ids
        and sizes with items in a known order, reads the permutation their copy applies, and
        applies its inverse to what the real server shows. Were the order a function of public
        data, that would give back every authored order, which is the answer."""
        targets = []  # (slug, exercise id, authored item ids, shown item ids)
        for slug, exercises in courses.items():
            for exercise_id, definition in exercises.items():
                if definition["type"] == "ordering":
                    authored = [item["id"] for item in definition["items"]]
                elif definition["type"] == "matching":
                    authored = [p["right"]["id"] for p in definition["pairs"]] + \
                        [d["id"] for d in definition.get("distractors", [])]
                else:
                    continue
                targets.append((slug, exercise_id, definition["type"], authored))
        self.assertGreaterEqual(len(targets), 8)
        shown = {}
        for slug in {t[0] for t in targets}:
            status, _, outline = server.get_json(f"/api/courses/{slug}")
            for lesson in outline["lessons"]:
                _, _, body = server.get_json(f"/api/courses/{slug}/lessons/{lesson['slug']}")
                for exercise in body["exercises"]:
                    column = exercise.get("items") or exercise.get("right")
                    if column:
                        shown[(slug, exercise["id"])] = [entry["id"] for entry in column]

        copy = open_server(seed_content="")
        try:
            author = staff(copy, "admin")
            for slug in {t[0] for t in targets}:
                status, _, draft = author.call("POST", BASE, {"slug": slug, "title": "Copy"})
                self.assertEqual(status, 201, draft)
                status, _, draft = author.call("POST", f"{BASE}/{slug}/lessons",
                                               {"slug": "l", "title": "L", "markdown": "x"})
                self.assertEqual(status, 201, draft)
            for slug, exercise_id, kind, authored in targets:
                n = len(authored)
                if kind == "ordering":
                    exercise = {"id": exercise_id, "type": "ordering", "prompt": "P",
                                "items": [{"id": f"p{i}", "text": f"T{i}"} for i in range(n)]}
                else:
                    pairs = len(courses[slug][exercise_id]["pairs"])
                    exercise = {"id": exercise_id, "type": "matching", "prompt": "P",
                                "pairs": [{"left": {"id": f"l{i}", "text": f"L{i}"},
                                           "right": {"id": f"p{i}", "text": f"R{i}"}}
                                          for i in range(pairs)],
                                "distractors": [{"id": f"p{i}", "text": f"D{i}"}
                                                for i in range(pairs, n)]}
                status, _, draft = author.call("POST", f"{BASE}/{slug}/lessons/l/exercises",
                                               {"exercise": exercise})
                self.assertEqual(status, 201, draft)
            for slug in {t[0] for t in targets}:
                status, _, body = author.call("POST", f"{BASE}/{slug}/publish")
                self.assertEqual(status, 201, body)
            recovered = 0
            for slug, exercise_id, kind, authored in targets:
                _, _, body = copy.get_json(f"/api/courses/{slug}/lessons/l")
                mine = next(e for e in body["exercises"] if e["id"] == exercise_id)
                permutation = [int(entry["id"][1:]) for entry in (mine.get("items") or mine["right"])]
                guess = [None] * len(authored)
                for position, source in enumerate(permutation):
                    guess[source] = shown[(slug, exercise_id)][position]
                recovered += guess == authored
        finally:
            copy.cleanup()
        # By chance, an exercise of n items comes out right once in n! tries: for these twelve
        # (one of two items, four of three, …) seven or more right has odds of 3 in a million.
        self.assertLessEqual(recovered, len(targets) // 2,
                             f"{recovered} of {len(targets)} recovered")


if __name__ == "__main__":
    unittest.main()
