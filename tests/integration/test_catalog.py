"""The catalog API on the demo course: what learners see, and that answer keys never leak."""
import json
import unittest

from harness import Server

FORBIDDEN_KEYS = {"correct", "feedback", "explanation", "hints", "answer", "answers",
                  "tolerance", "regex", "case_sensitive", "accents", "pairs", "distractors",
                  "samples", "penalty", "scoring"}


def all_keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from all_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from all_keys(inner)


class CatalogTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        _, _, page = cls.server.get_json("/api/courses")
        cls.course = page["items"][0]

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def test_first_start_loads_the_demo_course(self):
        status, _, page = self.server.get_json("/api/courses")
        self.assertEqual(status, 200)
        self.assertIsNone(page["next_cursor"])
        self.assertGreaterEqual(len(page["items"]), 1)
        course = page["items"][0]
        self.assertGreaterEqual(course["lesson_count"], 4)
        self.assertGreaterEqual(course["exercise_count"], 20)
        for key in ("slug", "title", "summary", "language", "tags"):
            self.assertIn(key, course)

    def test_course_outline(self):
        status, _, outline = self.server.get_json(f"/api/courses/{self.course['slug']}")
        self.assertEqual(status, 200)
        self.assertEqual(len(outline["lessons"]), self.course["lesson_count"])
        self.assertEqual(sum(l["exercise_count"] for l in outline["lessons"]),
                         self.course["exercise_count"])

    def test_every_lesson_renders_without_answer_keys(self):
        _, _, outline = self.server.get_json(f"/api/courses/{self.course['slug']}")
        types = set()
        for i, entry in enumerate(outline["lessons"]):
            status, _, lesson = self.server.get_json(
                f"/api/courses/{self.course['slug']}/lessons/{entry['slug']}")
            self.assertEqual(status, 200)
            self.assertEqual(lesson["title"], entry["title"])
            self.assertTrue(lesson["html"].strip())
            self.assertEqual(len(lesson["exercises"]), entry["exercise_count"])
            leaked = FORBIDDEN_KEYS & set(all_keys(lesson["exercises"]))
            self.assertFalse(leaked, f"{entry['slug']} leaks {leaked}")
            for exercise in lesson["exercises"]:
                types.add(exercise["type"])
                self.assertIn(f'data-exercise-id="{exercise["id"]}"', lesson["html"])
                self.assertTrue(exercise["prompt_html"])
            self.assertEqual(lesson["previous"] and lesson["previous"]["slug"],
                             outline["lessons"][i - 1]["slug"] if i > 0 else None)
            self.assertEqual(lesson["next"] and lesson["next"]["slug"],
                             outline["lessons"][i + 1]["slug"] if i + 1 < len(outline["lessons"])
                             else None)
            self.assertNotIn("<script", lesson["html"])
        self.assertEqual(types, {"single_choice", "multiple_choice", "true_false", "numeric",
                                 "short_text", "cloze", "ordering", "matching", "formula"})

    def test_lesson_etag_gives_304(self):
        _, outline_headers, outline = self.server.get_json(f"/api/courses/{self.course['slug']}")
        path = f"/api/courses/{self.course['slug']}/lessons/{outline['lessons'][0]['slug']}"
        status, headers, _ = self.server.request("GET", path)
        self.assertEqual(status, 200)
        etag = headers["etag"]
        status, headers, body = self.server.request("GET", path, headers={"If-None-Match": etag})
        self.assertEqual(status, 304)
        self.assertEqual(body, b"")

    def test_unknown_course_and_lesson_are_404(self):
        for path in ("/api/courses/no-such-course", "/api/courses/NOT_A_SLUG",
                     f"/api/courses/{self.course['slug']}/lessons/no-such-lesson",
                     "/api/courses/no-such-course/lessons/x"):
            status, headers, body = self.server.request("GET", path)
            self.assertEqual(status, 404, path)
            self.assertEqual(headers["content-type"], "application/problem+json")
            self.assertIn("request_id", json.loads(body))

    def test_pagination_parameters_are_validated(self):
        for query in ("limit=0", "limit=101", "limit=abc", "limit=5x", "cursor=%00bad"):
            status, headers, body = self.server.request("GET", f"/api/courses?{query}")
            self.assertEqual(status, 400, query)
            problem = json.loads(body)
            self.assertTrue(problem["errors"], query)
        status, _, page = self.server.get_json(f"/api/courses?limit=1&cursor={self.course['slug']}")
        self.assertEqual(status, 200)
        self.assertNotIn(self.course["slug"], [c["slug"] for c in page["items"]])

    def test_openapi_document_is_served(self):
        status, _, doc = self.server.get_json("/api/openapi.json")
        self.assertEqual(status, 200)
        self.assertEqual(doc["openapi"], "3.1.0")
        self.assertIn("/api/courses/{course}/lessons/{lesson}", doc["paths"])


class PaginationTest(unittest.TestCase):
    """Three courses, pages of two: the cursor walks them all exactly once."""

    def test_cursor_pagination_walks_every_course_once(self):
        import shutil
        import tempfile
        from pathlib import Path
        from harness import SOURCE_DIR
        tmp = Path(tempfile.mkdtemp(prefix="practica-seed-"))
        try:
            demo = next(p for p in (SOURCE_DIR / "content").iterdir() if (p / "course.yaml").exists())
            for name in ("alpha", "beta", "gamma"):
                shutil.copytree(demo, tmp / name)
                yaml_path = tmp / name / "course.yaml"
                text = yaml_path.read_text()
                lines = [f"slug: {name}" if l.startswith("slug:") else l for l in text.splitlines()]
                yaml_path.write_text("\n".join(lines) + "\n")
            server = Server(seed_content=str(tmp)).start()
            try:
                seen, cursor = [], None
                while True:
                    query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
                    _, _, page = server.get_json(f"/api/courses?{query}")
                    seen += [c["slug"] for c in page["items"]]
                    cursor = page["next_cursor"]
                    if cursor is None:
                        break
                self.assertEqual(seen, ["alpha", "beta", "gamma"])
            finally:
                server.cleanup()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()


class LiveImportTest(unittest.TestCase):
    """`practica import` into the database of a running server shows within a couple of seconds."""

    def test_reimport_while_serving_updates_the_catalog(self):
        import shutil
        import time
        from harness import run_cli, SOURCE_DIR
        server = Server().start()
        try:
            _, _, page = server.get_json("/api/courses")
            course = page["items"][0]
            lesson_path = f"/api/courses/{course['slug']}"
            server.get_json(lesson_path)  # cached now
            edited = server.tmp / "edited"
            demo = next(p for p in (SOURCE_DIR / "content").iterdir()
                        if (p / "course.yaml").exists())
            shutil.copytree(demo, edited)
            yaml_path = edited / "course.yaml"
            lines = ["title: Everyday Data, second edition" if l.startswith("title:") else l
                     for l in yaml_path.read_text().splitlines()]
            yaml_path.write_text("\n".join(lines) + "\n")
            code, _, err = run_cli("import", edited, *server.cli_args())
            self.assertEqual(code, 0, err)
            deadline = time.time() + 5
            title = None
            while time.time() < deadline:
                _, _, outline = server.get_json(lesson_path)
                title = outline["title"]
                if title == "Everyday Data, second edition":
                    break
                time.sleep(0.1)
            self.assertEqual(title, "Everyday Data, second edition")
        finally:
            server.cleanup()
