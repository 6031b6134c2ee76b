"""`practica import | export | migrate` on real files and a real database."""
import filecmp
import re
import shutil
import socket
import sqlite3
import tempfile
import unittest
import zipfile
from pathlib import Path

from harness import SOURCE_DIR, run_cli

DEMO = next(p for p in sorted((SOURCE_DIR / "content").iterdir()) if (p / "course.yaml").exists())


def slug_of(bundle):
    for line in (bundle / "course.yaml").read_text().splitlines():
        if line.startswith("slug:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no slug")


def tree_diff(a, b):
    cmp = filecmp.dircmp(a, b)
    problems = cmp.left_only + cmp.right_only + cmp.diff_files
    for sub in cmp.common_dirs:
        problems += tree_diff(Path(a) / sub, Path(b) / sub)
    return problems


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="practica-cli-"))
        self.data = self.tmp / "data"

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def course_rows(self):
        db = sqlite3.connect(self.data / "practica.db")
        try:
            return db.execute("SELECT slug, title FROM courses ORDER BY slug").fetchall()
        finally:
            db.close()

    def test_import_export_import_is_identical(self):
        code, out, err = run_cli("import", DEMO, "--data-dir", self.data)
        self.assertEqual(code, 0, err)
        slug = slug_of(DEMO)
        self.assertIn(f"imported {slug}", out)
        first = self.tmp / "export1"
        code, _, err = run_cli("export", slug, first, "--data-dir", self.data)
        self.assertEqual(code, 0, err)
        self.assertTrue((first / "course.yaml").exists())

        data2 = self.tmp / "data2"
        code, _, err = run_cli("import", first, "--data-dir", data2)
        self.assertEqual(code, 0, err)
        second = self.tmp / "export2"
        code, _, err = run_cli("export", slug, second, "--data-dir", data2)
        self.assertEqual(code, 0, err)
        self.assertEqual(tree_diff(first, second), [])
        lessons = sorted(p.name for p in (first / "lessons").iterdir())
        self.assertEqual(lessons, sorted(p.name for p in (DEMO / "lessons").iterdir()))

    def test_broken_bundle_names_file_and_line_and_imports_nothing(self):
        broken = self.tmp / "broken"
        shutil.copytree(DEMO, broken)
        lesson = sorted((broken / "lessons").iterdir())[0]
        text = lesson.read_text().splitlines()
        # Break the type of the first exercise.
        line_no = next(i for i, l in enumerate(text) if l.startswith("type:")) + 1
        text[line_no - 1] = "type: essay_question"
        lesson.write_text("\n".join(text) + "\n")
        code, _, err = run_cli("import", broken, "--data-dir", self.data)
        self.assertEqual(code, 1)
        self.assertRegex(err, re.escape(f"lessons/{lesson.name}:{line_no}") + r".*essay_question")
        self.assertEqual(self.course_rows(), [])

    def test_failed_reimport_keeps_the_previous_course(self):
        self.assertEqual(run_cli("import", DEMO, "--data-dir", self.data)[0], 0)
        before = self.course_rows()
        broken = self.tmp / "broken"
        shutil.copytree(DEMO, broken)
        (broken / "course.yaml").write_text((broken / "course.yaml").read_text()
                                            .replace("title:", "title: [unclosed", 1))
        code, _, err = run_cli("import", broken, "--data-dir", self.data)
        self.assertEqual(code, 1)
        self.assertIn("course.yaml:", err)
        self.assertEqual(self.course_rows(), before)

    def test_one_broken_bundle_in_a_folder_imports_none(self):
        folder = self.tmp / "many"
        shutil.copytree(DEMO, folder / "a-good")
        shutil.copytree(DEMO, folder / "b-bad")
        (folder / "b-bad" / "course.yaml").write_text("format: 1\nslug: Not A Slug\ntitle: x\n")
        code, _, err = run_cli("import", folder, "--data-dir", self.data)
        self.assertEqual(code, 1)
        self.assertIn("b-bad/course.yaml:2", err)
        self.assertEqual(self.course_rows(), [])

    def test_missing_folder_and_unknown_course(self):
        code, _, err = run_cli("import", self.tmp / "nowhere", "--data-dir", self.data)
        self.assertEqual(code, 1)
        self.assertIn("nowhere", err)
        code, _, err = run_cli("export", "no-such-course", self.tmp / "out", "--data-dir", self.data)
        self.assertEqual(code, 1)
        self.assertIn("no-such-course", err)

    def test_zip_export_import_export_is_identical(self):
        self.assertEqual(run_cli("import", DEMO, "--data-dir", self.data)[0], 0)
        slug = slug_of(DEMO)
        first = self.tmp / "out" / f"{slug}.zip"
        code, out, err = run_cli("export", slug, first, "--data-dir", self.data)
        self.assertEqual(code, 0, err)
        self.assertIn(f"exported {slug} to {first}", out)
        with zipfile.ZipFile(first) as archive:
            self.assertIsNone(archive.testzip())
            names = archive.namelist()
            self.assertEqual(names, sorted(names))
            self.assertIn(f"{slug}/course.yaml", names)
            self.assertEqual(sorted(n for n in names if "/lessons/" in n),
                             sorted(f"{slug}/lessons/{p.name}" for p in (DEMO / "lessons").iterdir()))
            self.assertEqual({i.date_time for i in archive.infolist()}, {(1980, 1, 1, 0, 0, 0)})

        # The zip imports into a fresh database and exports to the same bytes, and to the same
        # folder as the folder export.
        data2 = self.tmp / "data2"
        code, out, err = run_cli("import", first, "--data-dir", data2)
        self.assertEqual(code, 0, err)
        self.assertIn(f"imported {slug}", out)
        second = self.tmp / "again.zip"
        self.assertEqual(run_cli("export", slug, second, "--data-dir", data2)[0], 0)
        self.assertEqual(first.read_bytes(), second.read_bytes())
        folder1, folder2 = self.tmp / "folder1", self.tmp / "folder2"
        self.assertEqual(run_cli("export", slug, folder1, "--data-dir", self.data)[0], 0)
        self.assertEqual(run_cli("export", slug, folder2, "--data-dir", data2)[0], 0)
        self.assertEqual(tree_diff(folder1, folder2), [])

    def test_imports_a_zipped_folder(self):
        # What zipping the bundle folder by hand gives: folder entries, the bundle one level down.
        made = self.tmp / "by-hand.zip"
        with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(DEMO.rglob("*")):
                archive.write(path, "my-course/" + path.relative_to(DEMO).as_posix())
        code, out, err = run_cli("import", made, "--data-dir", self.data)
        self.assertEqual(code, 0, err)
        self.assertIn(f"imported {slug_of(DEMO)}", out)

    def test_broken_zip_names_entry_and_line_and_imports_nothing(self):
        lesson = sorted((DEMO / "lessons").iterdir())[0]
        text = lesson.read_text().splitlines()
        line_no = next(i for i, l in enumerate(text) if l.startswith("type:")) + 1
        text[line_no - 1] = "type: essay_question"
        broken = self.tmp / "broken.zip"
        with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(DEMO / "course.yaml", "c/course.yaml")
            for path in sorted((DEMO / "lessons").iterdir()):
                data = "\n".join(text) + "\n" if path == lesson else path.read_text()
                archive.writestr(f"c/lessons/{path.name}", data)
        code, _, err = run_cli("import", broken, "--data-dir", self.data)
        self.assertEqual(code, 1)
        self.assertRegex(err, re.escape(f"{broken}/c/lessons/{lesson.name}:{line_no}") +
                         r".*essay_question")
        self.assertEqual(self.course_rows(), [])

    def test_unsafe_zip_is_refused_by_entry_and_imports_nothing(self):
        evil = self.tmp / "evil.zip"
        with zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(DEMO.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(DEMO).as_posix())
            archive.writestr("../outside.txt", "x")
            bomb = zipfile.ZipInfo("assets/zeros.bin")
            archive.writestr(bomb, bytes(50 * 1024 * 1024), zipfile.ZIP_DEFLATED, 9)
        self.assertLess(evil.stat().st_size, 1024 * 1024)
        code, _, err = run_cli("import", evil, "--data-dir", self.data)
        self.assertEqual(code, 1)
        self.assertIn(f"{evil}/../outside.txt:0: the name has a '..' segment", err)
        self.assertIn(f"{evil}/assets/zeros.bin:0: the entry inflates to 52428800 bytes", err)
        self.assertEqual(self.course_rows(), [])
        self.assertFalse((self.tmp / "outside.txt").exists())

    def test_user_create_and_set_role(self):
        password = "a sturdy passphrase for the cli"
        code, out, err = run_cli("user", "create", "--email", "Root@Example.org", "--role", "admin",
                                 "--data-dir", self.data, input_text=password + "\n")
        self.assertEqual(code, 0, err)
        self.assertIn("created admin Root@Example.org", out)
        db = sqlite3.connect(self.data / "practica.db")
        try:
            row = db.execute("SELECT role, display_name, password_hash FROM users").fetchone()
        finally:
            db.close()
        self.assertEqual(row[0:2], ("admin", "Root"))
        self.assertTrue(row[2].startswith("$argon2id$v=19$m=19456,t=2,p=1$"))
        self.assertNotIn(password, row[2])
        code, out, err = run_cli("user", "set-role", "--email", "root@example.org", "--role",
                                 "instructor", "--data-dir", self.data)
        self.assertEqual(code, 0, err)
        self.assertIn("is now instructor", out)
        # The same email again, a weak password, an unknown account: clear errors, exit 1.
        code, _, err = run_cli("user", "create", "--email", "root@EXAMPLE.org", "--data-dir",
                               self.data, input_text=password + "\n")
        self.assertEqual(code, 1)
        self.assertIn("error", err)
        code, _, err = run_cli("user", "create", "--email", "weak@example.org", "--data-dir",
                               self.data, input_text="password1\n")
        self.assertEqual(code, 1)
        self.assertNotIn("password1", err)
        code, _, err = run_cli("user", "set-role", "--email", "nobody@example.org", "--role",
                               "admin", "--data-dir", self.data)
        self.assertEqual(code, 1)

    def test_migrate_and_version_and_usage(self):
        code, out, _ = run_cli("migrate", "--data-dir", self.data)
        self.assertEqual(code, 0)
        self.assertRegex(out, r"migrated from schema version 0 to [1-9]")
        self.assertTrue((self.data / "practica.db").exists())
        code, out, _ = run_cli("migrate", "--data-dir", self.data)
        self.assertEqual(code, 0)
        self.assertIn("is up to date", out)
        db = sqlite3.connect(self.data / "practica.db")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute(f"PRAGMA user_version = {version + 1}")  # as if a newer practica wrote it
        db.close()
        code, _, err = run_cli("migrate", "--data-dir", self.data)
        self.assertEqual(code, 1)
        self.assertIn("newer", err)
        code, out, _ = run_cli("version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^practica \d+\.\d+\.\d+")
        code, _, _ = run_cli("frobnicate")
        self.assertEqual(code, 2)


if __name__ == "__main__":
    unittest.main()


class StoreSelectionTest(unittest.TestCase):
    """PRACTICA_*_STORE and the matching flags: a bad choice stops the command before it writes."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="practica-stores-"))
        self.data = self.tmp / "data"

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_a_bad_store_is_refused_by_name_and_nothing_is_created(self):
        password = "Sup3r-secret-pw"
        cases = [
            (["serve", "--listen", "127.0.0.1:0"], "--user-store", "mysql://u:" + password + "@h/d",
             "PRACTICA_USER_STORE"),
            (["migrate"], "--content-store", "postgres:postgresql://u:" + password + "@h/d",
             "PRACTICA_CONTENT_STORE"),
            (["import", DEMO], "--progress-store", "dynamodb:x", "PRACTICA_PROGRESS_STORE"),
        ]
        for args, flag, value, variable in cases:
            with self.subTest(flag=flag):
                code, _, err = run_cli(*args, "--data-dir", self.data, flag, value)
                self.assertEqual(code, 1, err)
                self.assertIn(variable, err)
                self.assertNotIn(password, err)
                self.assertFalse((self.data / "practica.db").exists())

    def test_an_unreachable_analytics_database_stops_serve(self):
        with socket.socket() as closed:  # bound, never listening: connections are refused
            closed.bind(("127.0.0.1", 0))
            url = f"postgresql://practica:{'s3cret-pw'}@127.0.0.1:{closed.getsockname()[1]}/d"
            code, out, err = run_cli("serve", "--listen", "127.0.0.1:0", "--data-dir", self.data,
                                     "--seed-content", "", "--analytics-store", "postgres:" + url)
        said = out + err  # serve reports in its JSON log lines on stdout
        self.assertEqual(code, 1, said)
        self.assertIn("PRACTICA_ANALYTICS_STORE", said)
        self.assertNotIn("s3cret-pw", said)

    def test_an_unreachable_dynamodb_stops_serve_and_migrate(self):
        with socket.socket() as closed:  # bound, never listening: connections are refused
            closed.bind(("127.0.0.1", 0))
            env = {"AWS_ENDPOINT_URL_DYNAMODB": f"http://127.0.0.1:{closed.getsockname()[1]}",
                   "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
                   "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI-example-secret",
                   "AWS_EC2_METADATA_DISABLED": "true"}
            for command in (["serve", "--listen", "127.0.0.1:0", "--seed-content", ""],
                            ["migrate"]):
                with self.subTest(command=command[0]):
                    code, out, err = run_cli(*command, "--data-dir", self.data,
                                             "--progress-store", "dynamodb:practica-test",
                                             env=env, timeout=60)
                    self.assertEqual(code, 1, out + err)
                    self.assertIn("DynamoDB", out + err)
                    self.assertNotIn(env["AWS_SECRET_ACCESS_KEY"], out + err)


GIFT_FIXTURES = SOURCE_DIR / "tests" / "content" / "fixtures" / "gift"

QUIZ_GIFT = """// A Moodle quiz: weights, an essay, categories.
$CATEGORY: $course$/top/Averages

// [id:middle] [tag:median]
::Middle value:: Which average is the middle value of a sorted list?{
\t=The median#Yes.
\t~%50%The mode#Half right: an average, not the middle one.
\t~The mean
}

::Primes:: Which of these are prime?{~%50%2 ~%50%5 ~%-100%4#4 \\= 2 × 2.}

$CATEGORY: $course$/top/In your own words

::Why median:: House prices are €200k, €210k, €220k and €2.5M. Which average would you report, and why?{
\t####The median describes a typical house; the mean describes none.
}
"""


class GiftCliTest(unittest.TestCase):
    """`practica import-gift | export-gift`, then the imported course served and answered."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="practica-gift-"))
        self.data = self.tmp / "data"
        self.quiz = self.tmp / "quiz.gift"
        self.quiz.write_text(QUIZ_GIFT)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def import_gift(self, path, *flags, data=None):
        return run_cli("import-gift", path, "--course", "gift-quiz", *flags,
                       "--data-dir", data or self.data)

    def test_import_serve_and_answer_a_weighted_choice_and_an_essay(self):
        code, out, err = self.import_gift(self.quiz, "--title", "A GIFT quiz")
        self.assertEqual(code, 0, err)
        self.assertIn("imported gift-quiz", out)

        # Imported before the server starts; no seed content, so the course is the GIFT one.
        from harness import Server
        from test_accounts import Client
        server = Server(seed_content="", data_dir=self.data).start()
        try:
            status, _, course = server.get_json("/api/courses/gift-quiz")
            self.assertEqual(status, 200, course)
            self.assertEqual(course["title"], "A GIFT quiz")
            self.assertEqual([l["slug"] for l in course["lessons"]],
                             ["averages", "in-your-own-words"])
            status, _, lesson = server.get_json("/api/courses/gift-quiz/lessons/averages")
            self.assertEqual(status, 200, lesson)
            middle = next(e for e in lesson["exercises"] if e["id"] == "middle")
            self.assertEqual(middle["type"], "single_choice")
            self.assertNotIn("score", str(middle))  # weights are part of the key

            client = Client(server)
            status, _, body = client.signup("gift-learner@example.org")
            self.assertEqual(status, 201, body)
            status, _, half = client.call("POST", "/api/exercises/gift-quiz.middle/attempts",
                                          {"answer": "b"})
            self.assertEqual(status, 201, half)
            self.assertEqual((half["score"], half["correct"], half["graded"]), (0.5, False, True))
            self.assertIn("Half right", half["parts"][0]["feedback_html"])
            status, _, primes = client.call("POST", "/api/exercises/gift-quiz.primes/attempts",
                                            {"answer": ["a", "b"]})
            self.assertEqual(status, 201, primes)
            self.assertEqual((primes["raw_score"], primes["correct"]), (1, True))
            status, _, wrong = client.call("POST", "/api/exercises/gift-quiz.primes/attempts",
                                           {"answer": ["a", "c"]})
            self.assertEqual((status, wrong["raw_score"]), (201, 0))  # 0.5 − 1, floored

            essay_text = "The median: one mansion pulls the mean far above any house."
            status, _, essay = client.call("POST", "/api/exercises/gift-quiz.why-median/attempts",
                                           {"answer": essay_text})
            self.assertEqual(status, 201, essay)
            self.assertEqual((essay["graded"], essay["correct"], essay["score"]), (False, False, 0))
            self.assertIn("typical house", essay["explanation_html"])
            self.assertTrue(essay["progress"]["solved"])
            status, _, blank = client.call("POST", "/api/exercises/gift-quiz.why-median/attempts",
                                           {"answer": "   "})
            self.assertEqual(status, 400, blank)

            status, _, progress = client.call("GET", "/api/me/progress/gift-quiz")
            self.assertEqual(status, 200, progress)
            self.assertAlmostEqual(progress["completion"], 2 / 3)  # primes and the essay
            self.assertAlmostEqual(progress["score"], 0.75)  # (0.5 + 1) / 2 graded exercises
        finally:
            server.cleanup()

        # The essay is stored with its attempt, for an instructor to read.
        db = sqlite3.connect(self.data / "practica.db")
        try:
            answers = [row[0] for row in db.execute(
                "SELECT answer_json FROM attempts WHERE exercise = 'why-median'")]
        finally:
            db.close()
        self.assertEqual(answers, [f'"{essay_text}"'])

    def test_export_then_import_gives_the_same_course(self):
        self.assertEqual(self.import_gift(self.quiz, "--title", "Quiz")[0], 0)
        first = self.tmp / "out" / "first.gift"
        code, out, err = run_cli("export-gift", "gift-quiz", first, "--data-dir", self.data)
        self.assertEqual(code, 0, err)
        self.assertIn(f"exported gift-quiz to {first}", out)
        text = first.read_text()
        self.assertIn("$CATEGORY: Averages", text)
        self.assertIn("~%50%The mode", text)
        self.assertIn("// [id:middle] [tag:median]", text)

        data2 = self.tmp / "data2"
        self.assertEqual(self.import_gift(first, "--title", "Quiz", data=data2)[0], 0)
        second = self.tmp / "second.gift"
        self.assertEqual(run_cli("export-gift", "gift-quiz", second, "--data-dir", data2)[0], 0)
        self.assertEqual(first.read_text(), second.read_text())

    def test_every_fixture_imports(self):
        for fixture in sorted(GIFT_FIXTURES.glob("*.gift")):
            with self.subTest(fixture=fixture.name):
                code, _, err = self.import_gift(fixture)
                self.assertEqual(code, 0, err)

    def test_malformed_gift_names_file_and_line_and_imports_nothing(self):
        self.assertEqual(self.import_gift(self.quiz, "--title", "Before")[0], 0)
        broken = self.tmp / "broken.gift"
        broken.write_text(QUIZ_GIFT.replace("{~%50%2", "{~%50%2 {"))
        code, _, err = self.import_gift(broken)
        self.assertEqual(code, 1)
        self.assertIn(f"{broken}:11: '{{' inside an answer block", err)
        db = sqlite3.connect(self.data / "practica.db")
        try:
            self.assertEqual(db.execute("SELECT title FROM courses").fetchall(), [("Before",)])
        finally:
            db.close()

    def test_unsupported_questions_are_refused_unless_skipped_and_listed(self):
        mixed = self.tmp / "mixed.gift"
        mixed.write_text("::Two right:: Pick {=a =b ~c}\n\n::Fine:: Is this fine?{T}\n")
        code, _, err = self.import_gift(mixed)
        self.assertEqual(code, 1)
        self.assertIn(f"{mixed}:1: a one-answer question with 2 fully right answers", err)
        self.assertIn("--skip-unsupported", err)
        code, out, err = self.import_gift(mixed, "--skip-unsupported")
        self.assertEqual(code, 0, err)
        self.assertIn(f"practica: {mixed}:1: a one-answer question with 2 fully right answers", err)
        self.assertIn("(question skipped)", err)
        self.assertIn("imported gift-quiz", out)

    def test_export_refuses_what_gift_cannot_hold_unless_skipped(self):
        self.assertEqual(run_cli("import", DEMO, "--data-dir", self.data)[0], 0)
        slug = slug_of(DEMO)
        out_file = self.tmp / "demo.gift"
        code, _, err = run_cli("export-gift", slug, out_file, "--data-dir", self.data)
        self.assertEqual(code, 1)
        self.assertIn("has what GIFT cannot hold", err)
        self.assertRegex(err, r"exercise [a-z0-9-]+: ")
        self.assertFalse(out_file.exists())
        code, out, err = run_cli("export-gift", slug, out_file, "--skip-unsupported",
                                 "--data-dir", self.data)
        self.assertEqual(code, 0, err)
        self.assertIn("it is left out", err)
        code, _, err = self.import_gift(out_file, "--skip-unsupported")
        self.assertEqual(code, 0, err)
