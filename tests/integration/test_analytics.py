"""Analytics against the real binary: events from real sign-ups, lesson reads and attempts checked
against values worked out by hand, and a generated year of events (recorded with `practica
analytics import`) checked against statistics computed here, independently, from the same events.
"""
import collections
import datetime
import json
import random
import statistics
import time
import unittest
import uuid
from pathlib import Path

from harness import REMOTE_STORES, Server, run_cli
from test_accounts import PASSWORD, Client, staff

FIXTURES = Path(__file__).resolve().parent / "analytics_fixtures"
EXERCISES = {"q1": "one", "q2": "one", "q3": "two"}  # exercise → lesson of the stats course
LESSONS = {"one": ["q1", "q2"], "two": ["q3"]}
DAY = 86400


def epoch_day(t):
    return t // DAY


def week_start(day):
    return day - (day + 3) % 7  # 1970-01-01 was a Thursday


def month_start(day):
    d = datetime.date(1970, 1, 1) + datetime.timedelta(days=day)
    return (d.replace(day=1) - datetime.date(1970, 1, 1)).days


def iso(day):
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=day)).isoformat()


class AnalyticsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(seed_content=str(FIXTURES),
                            extra_args=("--auth-rate-per-minute", "100000")).start()
        cls.instructor = cls.make_staff("instructor")
        # Instructors read the analytics of the courses they own: an admin makes this one the
        # owner of the stats course (loaded as seed content, so without owners).
        admin = cls.make_staff("admin")
        status, _, owners = admin.call("PUT", "/api/authoring/courses/stats/owners",
                                       {"owners": [cls.instructor.user["id"]]})
        assert status == 200, owners

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    @classmethod
    def make_staff(cls, role, with_totp=True, server=None):
        return staff(server or cls.server, role, with_totp)

    def learner(self):
        client = Client(self.server)
        status, _, body = client.signup(f"learner-{uuid.uuid4().hex[:10]}@example.org")
        self.assertEqual(status, 201, body)
        return client

    def view(self, client, lesson):
        status, _, _ = client.call("GET", f"/api/courses/stats/lessons/{lesson}")
        self.assertEqual(status, 200)

    def answer(self, client, exercise, answer, time_taken_ms=None):
        body = {"answer": answer}
        if time_taken_ms is not None:
            body["time_taken_ms"] = time_taken_ms
        status, _, result = client.call("POST", f"/api/exercises/stats.{exercise}/attempts", body)
        self.assertEqual(status, 201, result)
        return result

    def analytics(self, what, client=None, **params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        path = f"/api/analytics/courses/stats/{what}" + (f"?{query}" if query else "")
        return (client or self.instructor).call("GET", path)

    # --- events from the real API, values by hand ---------------------------------------

    def test_small_course_by_hand(self):
        if REMOTE_STORES:
            self.skipTest("with progress in DynamoDB, attempts reach analytics through the table's "
                          "stream: tests/lambda/test_stream_ingest.py")
        today = epoch_day(int(time.time()))
        one, two, three, four = (self.learner() for _ in range(4))
        for client in (one, two, three, four):
            self.view(client, "one")
        self.view(one, "two")
        self.answer(one, "q1", "a", 3000)
        self.answer(one, "q2", "Paris")
        self.answer(one, "q3", 42)
        self.answer(two, "q1", "b", 5000)
        self.answer(two, "q2", "=HYPERLINK(\"http://x\")")
        self.answer(two, "q2", "Paris")
        self.answer(three, "q1", "a")
        self.answer(three, "q2", "London")

        # Learners are told no.
        status, _, problem = self.analytics("items", client=one)
        self.assertEqual(status, 403, problem)

        status, headers, items = self.analytics("items", **{"from": iso(today), "to": iso(today)})
        self.assertEqual(status, 200, items)
        self.assertEqual((items["course"], items["from"], items["to"]), ("stats", iso(today), iso(today)))
        by_id = {item["exercise"]: item for item in items["items"]}
        self.assertEqual(list(by_id), ["q1", "q2", "q3"])
        q1 = by_id["q1"]
        self.assertEqual((q1["attempts"], q1["learners"], q1["first_attempts"]), (3, 3, 3))
        # First attempts 1, 0, 1; the rest of the course for the same learners 2, 0, 0.
        self.assertAlmostEqual(q1["facility"], 66.67, places=2)
        self.assertAlmostEqual(q1["sd"], 57.74, places=2)  # sqrt(1/3)
        self.assertAlmostEqual(q1["discrimination"], 50.0, places=2)
        self.assertEqual(q1["median_time_ms"], 3000)  # 3000 and 5000: the lower middle
        self.assertEqual(q1["common_wrong_answers"], [{"answer": '"b"', "count": 1}])
        self.assertEqual((q1["lesson"], q1["type"], q1["ref"]), ("one", "single_choice", "stats.q1"))
        q2 = by_id["q2"]
        self.assertEqual((q2["attempts"], q2["learners"], q2["first_attempts"]), (4, 3, 3))
        self.assertAlmostEqual(q2["facility"], 33.33, places=2)
        self.assertEqual({w["answer"] for w in q2["common_wrong_answers"]},
                         {'"London"', '"=HYPERLINK(\\"http://x\\")"'})
        q3 = by_id["q3"]
        self.assertEqual((q3["attempts"], q3["first_attempts"], q3["facility"], q3["sd"]),
                         (1, 1, 100.0, None))
        self.assertIsNone(q3["discrimination"])  # one learner: nothing to correlate
        self.assertIsNone(q3["median_time_ms"])

        status, _, funnel = self.analytics("funnel", **{"from": iso(today), "to": iso(today)})
        self.assertEqual(status, 200, funnel)
        self.assertEqual([(s["lesson"], s["title"], s["viewed"], s["attempted"], s["completed"])
                          for s in funnel["lessons"]],
                         [("one", "Lesson one", 4, 3, 1), ("two", "Lesson two", 1, 1, 1)])

        status, _, done = self.analytics("completions", **{"from": iso(today - 2), "to": iso(today)})
        self.assertEqual(status, 200, done)
        self.assertEqual(done["exercises"], 3)
        self.assertEqual(done["completed_before"], 0)
        self.assertEqual([(d["date"], d["completed"], d["cumulative"]) for d in done["days"]],
                         [(iso(today - 2), 0, 0), (iso(today - 1), 0, 0), (iso(today), 1, 1)])

        status, _, active = self.analytics("activity", interval="week",
                                           **{"from": iso(today), "to": iso(today)})
        self.assertEqual(status, 200, active)
        self.assertEqual(active["periods"], [{"start": iso(week_start(today)), "learners": 4}])

        status, _, retention = self.analytics("retention", **{"from": iso(today), "to": iso(today)})
        self.assertEqual(status, 200, retention)
        self.assertEqual(retention["cohorts"], [{"week": iso(week_start(today)), "learners": 4,
                                                 "retained": [4], "rates": [1.0]}])

        # The same table as CSV, safe to open in a spreadsheet.
        status, headers, body = self.instructor.server.request(
            "GET", f"/api/analytics/courses/stats/items?format=csv&from={iso(today)}&to={iso(today)}",
            headers={"Authorization": f"Bearer {self.instructor.token}"})
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/csv"))
        self.assertIn('attachment; filename="stats-items.csv"', headers["content-disposition"])
        rows = body.decode().split("\r\n")
        self.assertEqual(rows[0], "exercise,lesson,type,prompt,attempts,learners,first_attempts,"
                                  "facility,sd,discrimination,median_time_ms,common_wrong_answers")
        self.assertEqual(rows[1], 'q1,one,single_choice,Which one is the sum divided by the count?,'
                                  '3,3,3,66.67,57.74,50.00,3000,"""b"" (1)"')

        # Deleting an account keeps the counts and drops what the person typed.
        status, _, _ = three.call("DELETE", "/api/me", {"password": PASSWORD})
        self.assertEqual(status, 204)
        status, _, after = self.analytics("items", **{"from": iso(today), "to": iso(today)})
        q2_after = {i["exercise"]: i for i in after["items"]}["q2"]
        self.assertEqual((q2_after["attempts"], q2_after["learners"]), (4, 3))
        self.assertNotIn('"London"', [w["answer"] for w in q2_after["common_wrong_answers"]])

    # --- bad input ------------------------------------------------------------------------

    def test_bad_ranges_and_unknown_courses_are_problems(self):
        cases = [({"from": "2026-02-30"}, "from"), ({"to": "yesterday"}, "to"),
                 ({"from": "2026-05-02", "to": "2026-05-01"}, "from"),
                 ({"from": "1999-12-31", "to": "2000-01-05"}, "from"),
                 ({"from": "2000-01-01", "to": "2099-01-01"}, "from"),
                 ({"format": "xml"}, "format")]
        for params, field in cases:
            status, headers, problem = self.analytics("items", **params)
            self.assertEqual(status, 400, params)
            self.assertEqual(headers["content-type"], "application/problem+json")
            self.assertIn(field, [f["field"] for f in problem.get("errors", [])], (params, problem))
        status, _, problem = self.analytics("activity", interval="year")
        self.assertEqual(status, 400, problem)
        status, _, problem = self.instructor.call("GET", "/api/analytics/courses/nope/items")
        self.assertEqual(status, 404, problem)
        status, _, problem = self.instructor.call("GET", "/api/analytics/courses/BAD..slug/items")
        self.assertEqual(status, 404, problem)

    def test_an_instructor_who_does_not_own_the_course_is_told_it_does_not_exist(self):
        stranger = self.make_staff("instructor")
        for what in ("items", "funnel", "completions", "activity", "retention"):
            status, _, problem = self.analytics(what, client=stranger)
            self.assertEqual(status, 404, (what, problem))

    def test_an_instructor_without_a_second_factor_is_refused(self):
        client = self.make_staff("instructor", with_totp=False)
        status, _, problem = self.analytics("items", client=client)
        self.assertEqual(status, 403, problem)

    def test_a_quiet_range_gives_zeros_and_nulls_never_nan(self):
        params = {"from": "2001-01-01", "to": "2001-03-31"}
        status, _, items = self.analytics("items", **params)
        self.assertEqual(status, 200)
        for item in items["items"]:
            self.assertEqual((item["attempts"], item["facility"], item["discrimination"],
                              item["common_wrong_answers"]), (0, None, None, []))
        _, _, funnel = self.analytics("funnel", **params)
        self.assertEqual([s["viewed"] for s in funnel["lessons"]], [0, 0])
        _, _, active = self.analytics("activity", interval="month", **params)
        self.assertEqual([p["start"] for p in active["periods"]],
                         ["2001-01-01", "2001-02-01", "2001-03-01"])
        self.assertEqual({p["learners"] for p in active["periods"]}, {0})
        _, _, retention = self.analytics("retention", **params)
        self.assertEqual(retention["cohorts"], [])
        for what in ("items", "funnel", "completions", "activity", "retention"):
            status, _, raw = self.server.request(
                "GET", f"/api/analytics/courses/stats/{what}?from=2001-01-01&to=2001-03-31",
                headers={"Authorization": f"Bearer {self.instructor.token}"})
            self.assertEqual(status, 200)
            self.assertNotIn(b"NaN", raw)
            self.assertNotIn(b"Infinity", raw)

    def test_import_names_the_bad_line_and_writes_nothing(self):
        path = self.server.tmp / "bad-events.jsonl"
        good = {"type": "login", "event_id": "bad-file-1", "user_id": "u", "occurred_at": 1}
        path.write_text(json.dumps(good) + "\n" + json.dumps(
            {"type": "attempt", "event_id": "bad-file-2", "user_id": "u", "course": "stats",
             "lesson": "one", "exercise": "q1", "attempt_number": 1, "score": 1.5,
             "correct": True, "occurred_at": 1}) + "\n")
        code, _, err = run_cli("analytics", "import", str(path), *self.server.cli_args())
        self.assertEqual(code, 1)
        self.assertIn(f"{path}:2:", err)
        self.assertIn("score", err)

    # --- a generated data set, checked against an independent computation ----------------

    def test_generated_events_match_an_independent_computation(self):
        # A server of its own, so that the other tests' events do not mix with these; an admin
        # reads them.
        server = Server(seed_content=str(FIXTURES)).start()
        self.addCleanup(server.cleanup)
        admin = self.make_staff("admin", server=server)

        def get(what, **params):
            status, _, body = self.analytics(what, client=admin, **params)
            self.assertEqual(status, 200, body)
            return body
        events = generate(seed=8, learners=400, first_day=19723)  # 2024-01-01, a Monday
        path = server.tmp / "generated.jsonl"
        path.write_text("".join(json.dumps(e) + "\n" for e in events))
        code, out, err = run_cli("analytics", "import", str(path), *server.cli_args(),
                                 timeout=120)
        self.assertEqual(code, 0, err)
        self.assertIn(f"recorded {len(events)} events", out)

        first, last = 19723 + 14, 19723 + 14 + 62  # a range that cuts weeks and months
        params = {"from": iso(first), "to": iso(last)}
        expected = Expected(events, first, last)

        items = get("items", **params)
        self.assertEqual([i["exercise"] for i in items["items"]], ["q1", "q2", "q3"])
        for item in items["items"]:
            want = expected.item(item["exercise"])
            self.assertEqual((item["attempts"], item["learners"], item["first_attempts"]),
                             (want["attempts"], want["learners"], want["first_attempts"]),
                             item["exercise"])
            for key in ("facility", "sd", "discrimination"):
                self.assertIsNotNone(item[key], (item["exercise"], key))
                self.assertAlmostEqual(item[key], want[key], delta=0.006,
                                       msg=(item["exercise"], key))
            self.assertEqual(item["median_time_ms"], want["median_time_ms"])
            self.assertEqual(item["common_wrong_answers"], want["wrong"], item["exercise"])
        # The generator made q3 the one that tells learners apart best.
        disc = {i["exercise"]: i["discrimination"] for i in items["items"]}
        self.assertGreater(disc["q3"], 20)

        funnel = get("funnel", **params)
        self.assertEqual([(s["lesson"], s["viewed"], s["attempted"], s["completed"])
                          for s in funnel["lessons"]], expected.funnel())

        done = get("completions", **params)
        before, by_day = expected.completions()
        self.assertEqual(done["completed_before"], before)
        self.assertEqual({d["date"]: d["completed"] for d in done["days"] if d["completed"]},
                         {iso(day): n for day, n in by_day.items()})
        self.assertEqual(done["days"][-1]["cumulative"], before + sum(by_day.values()))

        for interval, start_of in (("day", lambda d: d), ("week", week_start),
                                   ("month", month_start)):
            active = get("activity", interval=interval, **params)
            got = {p["start"]: p["learners"] for p in active["periods"] if p["learners"]}
            self.assertEqual(got, {iso(k): v for k, v in expected.active(start_of).items()},
                             interval)

        retention = get("retention", **params)
        self.assertEqual([(c["week"], c["learners"], c["retained"]) for c in retention["cohorts"]],
                         expected.retention())


# --- the generator and the independent computation ----------------------------------------

def generate(seed, learners, first_day):
    """Learners of differing ability signing up over ten weeks, reading lessons and answering the
    stats course's three exercises (q3 the hardest and the most telling), some coming back
    weeks later; a tenth of them have no sign-up event (accounts older than analytics)."""
    rng = random.Random(seed)
    events = []
    difficulty = {"q1": -1.0, "q2": 0.0, "q3": 1.2}
    wrong_answers = {"q1": ['"b"', '"c"'], "q2": ['"London"', '"Lyon"', '"paris?"', '"Rome"'],
                     "q3": ["41", "48", "36"]}
    for n in range(learners):
        user = f"gen-{n:04d}"
        ability = rng.gauss(0, 1.2)
        joined = (first_day + rng.randrange(70)) * DAY + rng.randrange(DAY)
        if rng.random() >= 0.1:
            events.append({"type": "signup", "event_id": f"{user}-signup", "user_id": user,
                           "occurred_at": joined})
        t = joined + rng.randrange(3600)
        sessions = 1 + int(rng.expovariate(0.7))
        ids = collections.Counter()
        for session in range(sessions):
            if session:
                t += rng.randrange(DAY, 21 * DAY)
            for lesson, exercises in LESSONS.items():
                if rng.random() < 0.15 * (1 + session):
                    break  # drops out
                ids["view"] += 1
                events.append({"type": "lesson_view", "event_id": f"{user}-view-{ids['view']}",
                               "user_id": user, "course": "stats", "lesson": lesson,
                               "occurred_at": t})
                t += rng.randrange(30, 600)
                for exercise in exercises:
                    if rng.random() < 0.1:
                        continue
                    number = ids[exercise]
                    if number and rng.random() < 0.5:
                        continue
                    p = 1 / (1 + 2.718281828 ** -(1.7 * (ability - difficulty[exercise])))
                    correct = rng.random() < p
                    score = 1.0 if correct else rng.choice([0.0, 0.0, 0.5])
                    ids[exercise] += 1
                    attempt = {"type": "attempt", "event_id": f"{user}-{exercise}-{ids[exercise]}",
                               "user_id": user, "course": "stats", "lesson": lesson,
                               "exercise": exercise, "exercise_version": "v1",
                               "attempt_number": ids[exercise],
                               "score": round(score * (0.9 ** (ids[exercise] - 1)), 4),
                               "correct": correct,
                               "answer": '"a"' if correct else rng.choice(wrong_answers[exercise]),
                               "occurred_at": t}
                    if rng.random() < 0.8:
                        attempt["time_taken_ms"] = rng.randrange(2000, 90000)
                    events.append(attempt)
                    t += rng.randrange(20, 300)
        if ids:
            events.append({"type": "enrolment", "event_id": f"enr_{user}_stats", "user_id": user,
                           "course": "stats", "occurred_at": joined + 1})
    # A login is no course activity; an event of another course is not this one's.
    events.append({"type": "login", "event_id": "gen-login", "user_id": "gen-0000",
                   "occurred_at": (first_day + 20) * DAY})
    events.append({"type": "lesson_view", "event_id": "gen-other", "user_id": "gen-0001",
                   "course": "other", "lesson": "x", "occurred_at": (first_day + 20) * DAY})
    return events


class Expected:
    """The analytics of `events` for the range [first, last] (epoch days), from the definitions in
    src/store/analytics_store.h, computed without any of practica's code."""

    def __init__(self, events, first, last):
        self.begin, self.end = first * DAY, (last + 1) * DAY
        self.first, self.last = first, last
        self.attempts = [e for e in events if e["type"] == "attempt" and e["course"] == "stats"]
        self.course_events = [e for e in events if e.get("course") == "stats"]
        self.signups = {}
        for e in events:
            if e["type"] == "signup":
                self.signups[e["user_id"]] = min(e["occurred_at"],
                                                 self.signups.get(e["user_id"], e["occurred_at"]))

    def in_range(self, e):
        return self.begin <= e["occurred_at"] < self.end

    def item(self, exercise):
        ranged = [a for a in self.attempts if self.in_range(a)]
        mine = [a for a in ranged if a["exercise"] == exercise]
        firsts = {}
        for a in ranged:
            if a["attempt_number"] == 1:
                firsts[(a["user_id"], a["exercise"])] = a["score"]
        x, y = [], []
        for (user, ex), score in firsts.items():
            if ex != exercise:
                continue
            x.append(score)
            y.append(sum(s for (u, e), s in firsts.items() if u == user and e != exercise))
        times = sorted(a["time_taken_ms"] for a in mine if "time_taken_ms" in a)
        wrong = collections.Counter(a["answer"] for a in mine if not a["correct"] and a["answer"])
        top = sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0].encode()))[:3]
        return {"attempts": len(mine), "learners": len({a["user_id"] for a in mine}),
                "first_attempts": len(x), "facility": 100 * statistics.fmean(x),
                "sd": 100 * statistics.stdev(x),
                "discrimination": 100 * statistics.correlation(x, y),
                "median_time_ms": times[(len(times) + 1) // 2 - 1] if times else None,
                "wrong": [{"answer": a, "count": c} for a, c in top]}

    def funnel(self):
        rows = []
        for lesson, exercises in LESSONS.items():
            viewed = {e["user_id"] for e in self.course_events
                      if e["type"] == "lesson_view" and e["lesson"] == lesson and self.in_range(e)}
            ranged = [a for a in self.attempts if self.in_range(a) and a["exercise"] in exercises]
            attempted = {a["user_id"] for a in ranged}
            solved = collections.defaultdict(set)
            for a in ranged:
                if a["correct"]:
                    solved[a["user_id"]].add(a["exercise"])
            completed = [u for u, s in solved.items() if s == set(exercises)]
            rows.append((lesson, len(viewed), len(attempted), len(completed)))
        return rows

    def completions(self):
        first_correct = {}
        for a in self.attempts:
            if a["correct"] and a["occurred_at"] < self.end:
                key = (a["user_id"], a["exercise"])
                first_correct[key] = min(a["occurred_at"], first_correct.get(key, a["occurred_at"]))
        done = collections.defaultdict(list)
        for (user, _), t in first_correct.items():
            done[user].append(t)
        before, by_day = 0, collections.Counter()
        for user, times in done.items():
            if len(times) == len(EXERCISES):
                day = epoch_day(max(times))
                if day < self.first:
                    before += 1
                else:
                    by_day[day] += 1
        return before, dict(by_day)

    def active(self, start_of):
        periods = collections.defaultdict(set)
        for e in self.course_events:
            if self.in_range(e):
                periods[start_of(epoch_day(e["occurred_at"]))].add(e["user_id"])
        return {k: len(v) for k, v in periods.items()}

    def retention(self):
        events = [e for e in self.course_events if e["occurred_at"] < self.end]
        first_seen, weeks = {}, collections.defaultdict(set)
        for e in events:
            user = e["user_id"]
            first_seen[user] = min(e["occurred_at"], first_seen.get(user, e["occurred_at"]))
            weeks[user].add(week_start(epoch_day(e["occurred_at"])))
        cohorts = collections.defaultdict(list)
        for user, seen in first_seen.items():
            cohort = week_start(epoch_day(self.signups.get(user, seen)))
            if week_start(self.first) <= cohort <= self.last:
                cohorts[cohort].append(user)
        last_week = week_start(self.last)
        rows = []
        for cohort in sorted(cohorts):
            users = cohorts[cohort]
            retained = [sum(1 for u in users if cohort + 7 * k in weeks[u])
                        for k in range((last_week - cohort) // 7 + 1)]
            rows.append((iso(cohort), len(users), retained))
        return rows


if __name__ == "__main__":
    unittest.main()
