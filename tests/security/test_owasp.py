"""An attacker's view of the running binary, one class per item of the OWASP API Security Top 10
(2023), the item in every test's name. What tests/integration/test_accounts.py already proves for
accounts (BOLA on admin routes, forged tokens on /api/me, sign-up mass assignment, sign-in rate
limits, …) is not repeated here: these tests sweep every route of the OpenAPI document instead of
a few, and cover the items that suite leaves out. docs/SECURITY.md maps each control to its test."""
import concurrent.futures
import http.server
import io
import json
import re
import threading
import time
import unittest
import uuid
import zipfile

from attacker import (BASE, DRILLS, METHODS, PASSWORD, Client, Server, call_raw,
                      documented_operations, fill, fresh_code, learner, new_course, open_server,
                      parse_status_line, staff, walk)

server = None


def setUpModule():
    global server
    # With a public address, the xAPI download route is there to be attacked too.
    server = open_server(seed_content=str(DRILLS),
                         env={"PRACTICA_PUBLIC_URL": "https://learn.practica.test"})


def tearDownModule():
    server.cleanup()


def single_choice(exercise_id, correct="a"):
    return {"id": exercise_id, "type": "single_choice", "prompt": "Which one?",
            "options": [{"id": "a", "text": "A", "correct": correct == "a"},
                        {"id": "b", "text": "B", "correct": correct == "b"}]}


def published_course(instructor):
    slug = new_course(instructor)
    status, _, draft = instructor.call("POST", f"{BASE}/{slug}/lessons/basics/exercises",
                                       {"exercise": single_choice("q")})
    assert status == 201, draft
    status, _, body = instructor.call("POST", f"{BASE}/{slug}/publish")
    assert status == 201, body
    return slug


def course_routes():
    """Every documented operation on one course, its parameters filled for the course `{slug}`."""
    return [(method, path) for method, path in documented_operations(server)
            if "{course}" in path and path.startswith(("/api/authoring/", "/api/analytics/"))]


class Api1BrokenObjectLevelAuthorization(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.owner = staff(server, "instructor")
        cls.other = staff(server, "instructor")
        cls.slug = published_course(cls.owner)

    def test_api1_another_instructor_reaches_no_route_of_a_course_by_its_slug(self):
        _, headers, _ = self.owner.call("GET", f"{BASE}/{self.slug}")
        revision = headers["etag"]
        swept = 0
        for method, template in course_routes():
            path = fill(template, course=self.slug, exercise="q", lesson="basics")
            body = {} if method in ("POST", "PUT", "PATCH") else None
            status, _, problem = self.other.call(method, path, body)
            # Refused (404 for the course, 403 where only admins may, 400 for a body refused
            # before the course is looked at), and word for word what a course that does not
            # exist gets: the course is not revealed to exist.
            self.assertIn(status, (400, 403, 404), (method, path, problem))
            absent = fill(template, course="no-such-course", exercise="q", lesson="basics")
            other_status, _, other = self.other.call(method, absent, body)
            self.assertEqual((status, problem["detail"].replace(self.slug, "no-such-course")),
                             (other_status, other["detail"]), (method, path))
            swept += 1
        self.assertGreaterEqual(swept, 25)
        # Nothing changed: the draft is at the same revision and the course is still live.
        _, headers, _ = self.owner.call("GET", f"{BASE}/{self.slug}")
        self.assertEqual(headers["etag"], revision)
        self.assertEqual(server.request("GET", f"/api/courses/{self.slug}")[0], 200)

    def test_api1_an_exercise_version_is_reached_only_through_its_own_course(self):
        # Any instructor can be a learner elsewhere: the export names the version of the exercise
        # each attempt answered. Asked for through their own course, it must not be there, or
        # the answer key of someone else's exercise would come with it.
        status, _, _ = self.other.call("POST", "/api/exercises/drills.pick-mean/attempts",
                                       {"answer": "b"})
        self.assertEqual(status, 201)
        _, _, export = self.other.call("GET", "/api/me/export")
        fingerprint = export["attempts"][-1]["exercise_version"]
        own = new_course(self.other)
        status, _, body = self.other.call("GET", f"{BASE}/{own}/exercise-versions/{fingerprint}")
        self.assertEqual(status, 404, body)
        status, _, body = self.other.call("GET", f"{BASE}/drills/exercise-versions/{fingerprint}")
        self.assertEqual(status, 404, body)
        # The admin, who may manage drills, does get it there: the fingerprint is real.
        admin = staff(server, "admin")
        status, _, body = admin.call("GET", f"{BASE}/drills/exercise-versions/{fingerprint}")
        self.assertEqual((status, body.get("exercise_id")), (200, "pick-mean"), body)

    def test_api1_drafts_and_unpublished_courses_stay_out_of_learners_reach(self):
        admin = staff(server, "admin")
        slug = new_course(admin)
        status, _, draft = admin.call("POST", f"{BASE}/{slug}/lessons/basics/exercises",
                                      {"exercise": single_choice("q")})
        self.assertEqual(status, 201, draft)
        student = learner(server)

        def reach():
            return (server.request("GET", f"/api/courses/{slug}")[0],
                    server.request("GET", f"/api/courses/{slug}/lessons/basics")[0],
                    student.call("POST", f"/api/exercises/{slug}.q/attempts", {"answer": "a"})[0],
                    student.call("POST", f"/api/exercises/{slug}.q/hints", {})[0])

        self.assertEqual(reach(), (404, 404, 404, 404))  # a draft
        self.assertEqual(admin.call("POST", f"{BASE}/{slug}/publish")[0], 201)
        time.sleep(1.1)  # learners' caches see a publish within a second
        status, _, _ = student.call("POST", f"/api/exercises/{slug}.q/attempts", {"answer": "b"})
        self.assertEqual(status, 201)
        self.assertEqual(admin.call("POST", f"{BASE}/{slug}/unpublish")[0], 200)
        time.sleep(1.1)
        self.assertEqual(reach(), (404, 404, 404, 404))  # unpublished: gone again
        # Nobody takes a course over by creating one with its slug.
        status, _, problem = self.other.call("POST", BASE, {"slug": slug, "title": "Mine now"})
        self.assertEqual(status, 409, problem)

    def test_api1_an_owner_removed_by_an_admin_loses_the_course_at_once(self):
        admin = staff(server, "admin")
        instructor = staff(server, "instructor")
        slug = new_course(instructor)
        status, _, _ = admin.call("PUT", f"{BASE}/{slug}/owners", {"owners": [admin.user["id"]]})
        self.assertEqual(status, 200)
        self.assertEqual(instructor.call("GET", f"{BASE}/{slug}")[0], 404)
        self.assertEqual(instructor.call("POST", f"{BASE}/{slug}/publish")[0], 404)

    def test_api1_a_learner_sees_only_their_own_progress_attempts_and_export(self):
        ada, bob = learner(server), learner(server)
        status, _, attempt = ada.call("POST", "/api/exercises/drills.three-tries/attempts",
                                      {"answer": 41}, headers={"Idempotency-Key": "k-1"})
        self.assertEqual(status, 201, attempt)
        for path in ("/api/me/progress", "/api/me/progress/drills", "/api/me/reviews",
                     "/api/me/export", "/api/me"):
            status, _, body = bob.call("GET", path)
            self.assertEqual(status, 200, path)
            text = json.dumps(body)
            for secret in (ada.user["id"], ada.email, attempt["attempt_id"]):
                self.assertNotIn(secret, text, path)
        # Ada's idempotency key replays nothing of hers to Bob: he gets an attempt of his own.
        status, _, replay = bob.call("POST", "/api/exercises/drills.three-tries/attempts",
                                     {"answer": 41}, headers={"Idempotency-Key": "k-1"})
        self.assertEqual(status, 201, replay)
        self.assertNotEqual(replay["attempt_id"], attempt["attempt_id"])
        self.assertEqual(replay["attempts_left"], 2)
        # Query strings naming another user are not a way in.
        for path in (f"/api/me/progress?user={ada.user['id']}",
                     f"/api/me/export?user_id={ada.user['id']}"):
            status, _, body = bob.call("GET", path)
            self.assertNotIn(attempt["attempt_id"], json.dumps(body), path)


class Api2BrokenAuthentication(unittest.TestCase):
    def test_api2_a_deleted_accounts_tokens_and_cookie_are_dead(self):
        ada = learner(server)
        token, cookie = ada.token, ada.cookie
        status, _, _ = ada.call("DELETE", "/api/me", {"password": PASSWORD})
        self.assertEqual(status, 204)
        status, headers, _ = server.request("GET", "/api/me",
                                            headers={"Authorization": f"Bearer {token}"})
        self.assertEqual(status, 401)
        status, _, _ = server.request("POST", "/api/auth/refresh", body="{}",
                                      headers={"Content-Type": "application/json",
                                               "Cookie": f"practica_refresh={cookie}"})
        self.assertEqual(status, 401)
        # Signing up again with the email makes a new account, not the old one back.
        again = Client(server)
        self.assertEqual(again.signup(ada.email)[0], 201)
        self.assertNotEqual(again.user["id"], ada.user["id"])

    def test_api2_a_logged_out_refresh_cookie_is_refused(self):
        ada = learner(server)
        cookie = ada.cookie
        self.assertEqual(ada.call("POST", "/api/auth/logout", {})[0], 204)
        status, _, _ = server.request("POST", "/api/auth/refresh", body="{}",
                                      headers={"Content-Type": "application/json",
                                               "Cookie": f"practica_refresh={cookie}"})
        self.assertEqual(status, 401)

    def test_api2_the_second_factor_cannot_be_skipped_or_guessed(self):
        instructor = staff(server, "instructor")
        email = instructor.user["email"]
        # The password alone is not a session for an account with a second factor.
        status, _, body = Client(server).login(email)
        self.assertEqual(status, 401, body)
        self.assertNotIn("access_token", body)
        # Wrong codes run into the per-account limit long before a million guesses.
        statuses = [Client(server).login(email, otp=f"{n:06d}")[0] for n in range(12)]
        self.assertIn(429, statuses, statuses)
        self.assertNotIn(200, statuses)


class Api3BrokenObjectPropertyLevelAuthorization(unittest.TestCase):
    SECRET_KEYS = {"password", "password_hash", "totp_secret", "secret", "mfa_secret",
                   "refresh_token", "token_hash", "recovery_codes", "data_key", "seed"}

    def test_api3_mass_assignment_on_signup_me_admin_authoring_and_attempts(self):
        client = Client(server)
        email = f"mass-{uuid.uuid4().hex[:8]}@example.org"
        status, _, body = client.signup(email, id="usr_aaaaaaaaaaaaaaaaaaaaaaaaaa", disabled=False,
                                        mfa_enabled=True, created_at=0, email_verified=True)
        if status == 201:  # unknown fields ignored: none of them took effect
            self.assertNotEqual(body["user"]["id"], "usr_aaaaaaaaaaaaaaaaaaaaaaaaaa")
            self.assertFalse(body["user"].get("mfa_enabled", False))
        else:
            self.assertEqual(status, 400, body)
        admin = staff(server, "admin")
        target = learner(server)
        for change in ({"email": "taken@example.org"}, {"id": "usr_x"},
                       {"password_hash": "$argon2id$x"}, {"mfa_enabled": False},
                       {"created_at": 1}):
            status, _, problem = admin.call("PATCH", f"/api/admin/users/{target.user['id']}",
                                            change)
            self.assertEqual(status, 400, (change, problem))
        status, _, me = target.call("GET", "/api/me")
        self.assertEqual((me["email"], me["id"]), (target.email, target.user["id"]))
        # A learner's answer cannot carry its own grade.
        status, _, result = target.call("POST", "/api/exercises/drills.one-try/attempts",
                                        {"answer": 4, "score": 1, "correct": True})
        if status == 201:
            self.assertEqual((result["score"], result["correct"]), (0, False))
        else:
            self.assertEqual(status, 400, result)
        # An instructor cannot make a course theirs and someone else's, nor set its history.
        instructor = staff(server, "instructor")
        slug = f"c-{uuid.uuid4().hex[:8]}"
        for extra in ({"owners": [admin.user["id"]]}, {"live_version": 3},
                      {"revision": "forged"}):
            status, _, problem = instructor.call("POST", BASE,
                                                 {"slug": slug, "title": "T", **extra})
            self.assertEqual(status, 400, (extra, problem))

    def test_api3_no_response_exposes_hashes_secrets_or_other_peoples_emails(self):
        ada = learner(server)
        bob = learner(server)
        seen = []

        def record(client, method, path, body=None):
            status, headers, payload = client.call(method, path, body)
            seen.append((path, status, headers, payload))
            return payload

        enrol = record(ada, "POST", "/api/me/mfa/totp")
        secret = enrol["secret"]
        confirmed = record(ada, "POST", "/api/me/mfa/totp/confirm", {"code": fresh_code(secret)})
        # A recovery code signs in without waiting for the next 30-second step.
        status, _, login = ada.login(ada.email, otp=confirmed["recovery_codes"][0])
        self.assertEqual(status, 200, login)
        seen.append(("/api/auth/login", status, {}, login))
        record(ada, "POST", "/api/exercises/drills.truth/attempts", {"answer": False})
        for path in ("/api/me", "/api/me/export", "/api/me/progress", "/api/me/progress/drills",
                     "/api/me/reviews", "/api/courses", "/api/courses/drills",
                     "/api/courses/drills/lessons/basics"):
            record(ada, "GET", path)
        for path, status, headers, payload in seen:
            text = json.dumps(payload)
            self.assertNotIn("$argon2", text, path)
            self.assertNotIn(PASSWORD, text, path)
            self.assertNotIn(bob.email, text, path)
            self.assertNotIn(bob.user["id"], text, path)
            self.assertNotIn(ada.cookie, text, path)  # the refresh token is a cookie only
            if path in ("/api/me/mfa/totp", "/api/me/mfa/totp/confirm"):
                continue  # the secret, then the recovery codes, are shown once, at enrolment
            self.assertNotIn(secret, text, path)
            leaked = {key for _, key, _ in walk(payload)} & self.SECRET_KEYS
            self.assertFalse(leaked, (path, leaked))


class Api4UnrestrictedResourceConsumption(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.admin = staff(server, "admin")

    def test_api4_every_paginated_route_caps_its_page(self):
        _, _, doc = server.get_json("/api/openapi.json")
        paginated = [path for path, item in doc["paths"].items()
                     if any(p.get("name") == "limit" for op in item.values()
                            for p in op.get("parameters", []))]
        self.assertGreaterEqual(len(paginated), 3, paginated)
        for path in paginated:
            for query in ("limit=101", "limit=1000000", "limit=-1", "limit=99999999999999999999"):
                status, _, problem = self.admin.call("GET", f"{path}?{query}")
                self.assertEqual(status, 400, (path, query, problem))
                self.assertTrue(problem["errors"], path)
            status, _, page = self.admin.call("GET", f"{path}?limit=100")
            self.assertEqual(status, 200, (path, page))
            self.assertLessEqual(len(page["items"]), 100)

    def test_api4_analytics_and_xapi_ranges_are_bounded(self):
        paths = [f"/api/analytics/courses/drills/{what}"
                 for what in ("items", "funnel", "completions", "activity", "retention")]
        for path in paths + [f"{BASE}/drills/xapi"]:
            what = path
            status, _, problem = self.admin.call("GET", f"{path}?from=1900-01-01&to=2100-01-01")
            self.assertEqual(status, 400, (what, problem))
            status, _, problem = self.admin.call("GET", f"{path}?from=2024-01-01&to=2023-01-01")
            self.assertEqual(status, 400, (what, problem))
        started = time.monotonic()
        status, _, body = self.admin.call(
            "GET", "/api/analytics/courses/drills/activity?from=2016-01-01&to=2025-12-31")
        self.assertEqual(status, 200, body)
        self.assertLess(time.monotonic() - started, 5)

    def test_api4_an_upload_is_read_only_for_those_its_route_admits(self):
        # A bundle may be 100 MB for instructors; for anyone else the server's usual limit holds,
        # and the answer comes before the body is read (the client has sent only the head).
        student = learner(server)
        for token in (None, student.token):
            auth = f"Authorization: Bearer {token}\r\n" if token else ""
            raw = server.raw((f"PUT {BASE}/drills/bundle HTTP/1.1\r\nHost: x\r\n{auth}"
                              "Content-Type: application/zip\r\nContent-Length: 104857600\r\n"
                              "\r\n").encode() + b"PK" * 1000, read_timeout=3)
            self.assertEqual(parse_status_line(raw), 413, raw[:300])
        self.assertEqual(server.request("GET", "/api/health")[0], 200)

    def test_api4_uploads_are_rate_limited(self):
        own = open_server(seed_content=str(DRILLS))
        try:
            instructor = staff(own, "instructor")
            slug = new_course(instructor)
            statuses = [call_raw(own, instructor, "PUT", f"{BASE}/{slug}/gift", b"::a::b{",
                                 "text/plain")[0] for _ in range(22)]
            self.assertEqual(set(statuses[:20]), {400}, statuses)
            self.assertEqual(statuses[-1], 429, statuses)
        finally:
            own.cleanup()


class Api5BrokenFunctionLevelAuthorization(unittest.TestCase):
    def staff_operations(self):
        for method, template in documented_operations(server):
            if template.startswith(("/api/authoring", "/api/analytics", "/api/admin")):
                yield method, fill(template, exercise="one-try")

    def test_api5_learners_and_signed_out_callers_reach_no_staff_route(self):
        student = learner(server)
        swept = 0
        for method, path in self.staff_operations():
            body = {} if method in ("POST", "PUT", "PATCH") else None
            status, headers, problem = student.call(method, path, body)
            self.assertEqual(status, 403, (method, path, problem))
            self.assertEqual(headers["content-type"], "application/problem+json")
            status, _, _ = Client(server).call(method, path, body, auth=False)
            self.assertEqual(status, 401, (method, path))
            swept += 1
        self.assertGreaterEqual(swept, 30)

    def test_api5_staff_without_a_second_factor_reach_no_staff_route(self):
        for role in ("instructor", "admin"):
            client = staff(server, role, with_totp=False)
            for method, path in self.staff_operations():
                if role == "instructor" and path.startswith("/api/admin"):
                    continue  # refused for the role (below), whatever the second factor
                body = {} if method in ("POST", "PUT", "PATCH") else None
                status, _, problem = client.call(method, path, body)
                self.assertEqual(status, 403, (role, method, path, problem))
                self.assertEqual(problem["type"], "urn:practica:problem:mfa-enrollment-required")

    def test_api5_a_demoted_admin_or_instructor_loses_the_role_at_once(self):
        admin = staff(server, "admin")
        other_admin = staff(server, "admin")
        instructor = staff(server, "instructor")
        slug = new_course(instructor)
        for client in (other_admin, instructor):
            status, _, user = admin.call("PATCH", f"/api/admin/users/{client.user['id']}",
                                         {"role": "learner"})
            self.assertEqual((status, user["role"]), (200, "learner"))
        # The access tokens they hold were signed with the old role: no longer good for it, so a
        # demoted admin cannot put the role back on themselves in the token's last minutes.
        status, _, _ = other_admin.call("PATCH", f"/api/admin/users/{other_admin.user['id']}",
                                        {"role": "admin"})
        self.assertEqual(status, 401)
        self.assertEqual(other_admin.call("GET", "/api/admin/users")[0], 401)
        self.assertEqual(instructor.call("GET", f"{BASE}/{slug}")[0], 401)
        self.assertEqual(instructor.call("POST", "/api/auth/refresh", {})[0], 401)
        _, _, me = admin.call("GET", f"/api/admin/users?q={other_admin.user['email']}")
        self.assertEqual(me["items"][0]["role"], "learner")
        # Tokens signed after the change carry the new role and work.
        learner_again = staff(server, "instructor", with_totp=False)
        admin.call("PATCH", f"/api/admin/users/{learner_again.user['id']}", {"role": "learner"})
        time.sleep(1.1)  # tokens carry whole seconds: those of the change's second are refused
        again = Client(server)
        self.assertEqual(again.login(learner_again.user["email"])[0], 200)
        status, _, me = again.call("GET", "/api/me")
        self.assertEqual((status, me["role"]), (200, "learner"))

    def test_api5_instructors_reach_no_admin_route(self):
        instructor = staff(server, "instructor")
        for method, template in documented_operations(server):
            if template.startswith("/api/admin"):
                path = fill(template, id=instructor.user["id"])
                body = {"role": "admin"} if method == "PATCH" else None
                status, _, problem = instructor.call(method, path, body)
                self.assertEqual(status, 403, (method, path, problem))
        slug = new_course(instructor)
        status, _, problem = instructor.call("PUT", f"{BASE}/{slug}/owners",
                                             {"owners": [instructor.user["id"]]})
        self.assertEqual(status, 403, problem)
        self.assertEqual(instructor.call("GET", "/api/me")[2]["role"], "instructor")


class Api6UnrestrictedAccessToSensitiveBusinessFlows(unittest.TestCase):
    def test_api6_a_limited_exercise_stays_limited_across_sessions_keys_and_try(self):
        ada = learner(server)
        status, _, first = ada.call("POST", "/api/exercises/drills.one-try/attempts",
                                    {"answer": 4}, headers={"Idempotency-Key": "a"})
        self.assertEqual((status, first["correct"]), (201, False))
        self.assertEqual(first["attempts_left"], 0)  # one try only
        again = Client(server)
        self.assertEqual(again.login(ada.email)[0], 200)  # a new session
        for client, key in ((ada, "b"), (again, "c"), (again, None)):
            headers = {"Idempotency-Key": key} if key else {}
            status, _, problem = client.call("POST", "/api/exercises/drills.one-try/attempts",
                                             {"answer": 5}, headers=headers)
            self.assertEqual(status, 409, problem)
        # The authors' "try it" grades without recording: it is not a learner's back door.
        status, _, problem = ada.call("POST", f"{BASE}/drills/exercises/one-try/try",
                                      {"answer": 5})
        self.assertEqual(status, 403, problem)
        self.assertEqual(len(server.stored_attempts(ada.user["id"], "one-try")), 1)

    def test_api6_parallel_hint_requests_count_each_hint_once(self):
        ada = learner(server)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(ada.call, "POST", "/api/exercises/drills.three-tries/hints", {})
                       for _ in range(8)]
            answers = [f.result() for f in futures]
        shown = sorted(body["hint_number"] for status, _, body in answers if status == 200)
        self.assertEqual(shown, [1, 2], answers)  # the drill has two hints
        self.assertEqual(sorted(status for status, _, _ in answers), [200] * 2 + [409] * 6)
        _, _, progress = ada.call("GET", "/api/me/progress/drills")
        self.assertEqual(progress["exercises"][0]["hints_used"], 2)
        status, _, problem = ada.call("POST", "/api/exercises/drills.three-tries/hints", {})
        self.assertEqual((status, problem["type"]), (409, "urn:practica:problem:no-more-hints"))


class Api7ServerSideRequestForgery(unittest.TestCase):
    """Practica fetches URLs only from its configuration (the LRS, AWS endpoints); nothing a
    request carries makes it connect anywhere. A listener stands in for an internal service and
    counts every connection while URLs pointing at it travel through every input that takes
    text: Markdown, GIFT (with its [html] images), bundles, course fields, headers."""

    def setUp(self):
        self.hits = []
        hits = self.hits

        class Trap(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the standard library's name)
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            do_POST = do_HEAD = do_GET

            def log_message(self, *args):
                pass

        self.trap = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trap)
        threading.Thread(target=self.trap.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.trap.server_address[1]}"

    def tearDown(self):
        self.trap.shutdown()
        self.trap.server_close()

    def test_api7_urls_in_markdown_gift_bundles_and_headers_are_never_fetched(self):
        instructor = staff(server, "instructor")
        slug = new_course(instructor)
        url = self.url
        markdown = (f"![x]({url}/img.png) [link]({url}/link) <img src=\"{url}/html.png\"> "
                    f"<iframe src=\"{url}/frame\"></iframe> $\\href{{{url}/tex}}{{x}}$")
        self.assertEqual(instructor.call("POST", "/api/authoring/preview",
                                         {"markdown": markdown})[0], 200)
        status, _, draft = instructor.call("POST", f"{BASE}/{slug}/lessons",
                                           {"slug": "remote", "title": "Remote",
                                            "markdown": markdown})
        self.assertEqual(status, 201, draft)
        exercise = single_choice("img")
        exercise["prompt"] = f"![chart]({url}/chart.png) Which one?"
        instructor.call("POST", f"{BASE}/{slug}/lessons/remote/exercises", {"exercise": exercise})
        self.assertEqual(instructor.call("PATCH", f"{BASE}/{slug}",
                                         {"summary": f"See {url}/summary"})[0], 200)
        status, _, body = instructor.call("POST", f"{BASE}/{slug}/publish")
        self.assertEqual(status, 201, body)
        status, _, body = call_raw(server, instructor, "PUT", f"{BASE}/{slug}/gift",
                                   f"::pic::[html]<img src=\"{url}/gift.png\"> A?{{T}}\n".encode(),
                                   "text/plain")
        self.assertEqual(status, 400, body)  # refused: Practica has no images in GIFT's HTML
        gift = (f"::link::[html]<a href=\"{url}/gift-a\">see</a> Which?{{=A ~B}}\n\n"
                f"::md::[markdown]![a]({url}/gift-md.png) True?{{T}}\n")
        status, _, body = call_raw(server, instructor, "PUT", f"{BASE}/{slug}/gift",
                                   gift.encode(), "text/plain")
        self.assertEqual(status, 200, body)
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr(f"{slug}/course.yaml",
                       f"format: 1\nslug: {slug}\ntitle: T\nimage: {url}/cover.png\n"
                       f"lessons:\n  - 01-a\n")
            z.writestr(f"{slug}/lessons/01-a.md",
                       f"---\ntitle: A\n---\n![x]({url}/bundle.png)\n")
        call_raw(server, instructor, "PUT", f"{BASE}/{slug}/bundle", archive.getvalue(),
                 "application/zip")
        # URLs in headers that proxies and frameworks are known to trust.
        for header in ("Referer", "X-Forwarded-Host", "Forwarded", "X-Original-URL", "Origin"):
            server.request("GET", f"/api/courses/{slug}", headers={header: url})
        server.request("GET", f"{url}/absolute-form")  # the request target as a URL
        server.raw(f"GET {url}/absolute HTTP/1.1\r\nHost: {url[7:]}\r\n\r\n".encode())
        time.sleep(0.5)
        self.assertEqual(self.hits, [])


class Api8SecurityMisconfiguration(unittest.TestCase):
    def responses(self):
        """One response of every kind: JSON, problems of each status, the OpenAPI document."""
        student = learner(server)
        yield "ok", server.request("GET", "/api/courses")
        yield "404", server.request("GET", "/api/nope")
        yield "405", server.request("DELETE", "/api/courses")
        yield "401", server.request("GET", "/api/me")
        yield "403", student.server.request(
            "GET", "/api/admin/users", headers={"Authorization": f"Bearer {student.token}"})
        yield "400", server.request("POST", "/api/auth/login", body="{",
                                    headers={"Content-Type": "application/json"})
        yield "413", server.request("POST", "/api/auth/login", body="x" * 5000,
                                    headers={"Content-Type": "application/json"})
        yield "415", server.request("POST", "/api/auth/login", body="a=b",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        yield "openapi", server.request("GET", "/api/openapi.json")

    def test_api8_every_response_carries_the_security_headers_and_no_versions(self):
        for kind, (status, headers, body) in self.responses():
            for name in ("content-security-policy", "x-content-type-options", "x-frame-options",
                         "referrer-policy", "cross-origin-opener-policy"):
                self.assertIn(name, headers, (kind, status))
            self.assertNotIn("x-powered-by", headers)
            server_header = headers.get("server", "")
            self.assertFalse(re.search(r"\d", server_header), server_header)
            if headers.get("content-type") == "application/problem+json":
                text = body.decode()
                for leak in ("boost::", "std::", ".cc:", "what():", "Traceback", "sqlite",
                             "SQLITE", "0x", "/work/", "/home/"):
                    self.assertNotIn(leak, text, (kind, text))

    def test_api8_trace_track_connect_and_unknown_methods_are_refused(self):
        for method in ("TRACE", "TRACK", "CONNECT", "PROPFIND", "FOO", "DEBUG"):
            raw = server.raw(f"{method} /api/courses HTTP/1.1\r\nHost: x\r\nCookie: secret=1"
                             f"\r\nConnection: close\r\n\r\n".encode())
            status = int(raw.split(b" ", 2)[1])
            self.assertIn(status, (400, 405, 501), (method, raw[:200]))
            self.assertNotIn(b"secret=1", raw, method)  # TRACE echoing cookies back (XST)

    def test_api8_cors_is_never_granted_to_any_origin_with_credentials(self):
        student = learner(server)
        for origin in ("https://evil.example", "null", "http://127.0.0.1", "https://practica.test"):
            preflight = server.request("OPTIONS", "/api/me", headers={
                "Origin": origin, "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization"})
            for status, headers, _ in (preflight, student.server.request(
                    "GET", "/api/me", headers={"Origin": origin,
                                               "Authorization": f"Bearer {student.token}"})):
                self.assertNotEqual(headers.get("access-control-allow-origin"), "*")
                self.assertNotEqual(headers.get("access-control-allow-origin"), origin, origin)
                self.assertNotIn("access-control-allow-credentials", headers)
            self.assertNotIn(preflight[0], (200, 204), origin)

    def test_api8_no_signed_in_answer_may_be_kept_by_a_shared_cache(self):
        admin = staff(server, "admin")
        student = learner(server)
        student.call("POST", "/api/exercises/drills.truth/attempts", {"answer": False})
        checked = 0
        for method, template in documented_operations(server):
            if method != "GET":
                continue
            learners = template.startswith("/api/exercises")
            path = fill(template, exercise="drills.one-try" if learners else "one-try",
                        id=student.user["id"])
            if server.request("GET", path)[0] != 401:
                continue  # public: the same for everyone
            for client in (admin, student):
                status, headers, _ = server.request(
                    "GET", path, headers={"Authorization": f"Bearer {client.token}"})
                if status == 200:
                    self.assertIn("no-store", headers.get("cache-control", ""), path)
                    checked += 1
        self.assertGreaterEqual(checked, 20)

    def test_api8_the_refresh_cookie_is_locked_down(self):
        client = Client(server)
        status, headers, _ = client.signup(f"c-{uuid.uuid4().hex[:8]}@example.org")
        cookie = headers["set-cookie"]
        for attribute in ("HttpOnly", "SameSite=Strict", "Path=/api/auth", "Secure"):
            self.assertIn(attribute, cookie)
        self.assertNotIn("Domain=", cookie)


class Api9ImproperInventoryManagement(unittest.TestCase):
    def test_api9_every_method_the_server_answers_on_a_documented_path_is_documented(self):
        documented = {}
        for method, template in documented_operations(server):
            documented.setdefault(template, set()).add(method)
        for template, methods in documented.items():
            path = fill(template)
            for method in set(METHODS) - methods:
                status, headers, _ = server.request(method, path)
                self.assertEqual(status, 405, (method, template))
                allowed = {m.strip() for m in headers["allow"].split(",")} - {"HEAD"}
                self.assertEqual(allowed, methods, template)

    def test_api9_undocumented_debug_and_versioned_paths_are_404(self):
        for path in ("/api", "/api/", "/api/debug", "/api/metrics", "/api/status", "/api/env",
                     "/api/config", "/api/admin", "/api/internal", "/api/v1/courses",
                     "/api/v2/courses", "/api/graphql", "/api/swagger.json", "/api/docs",
                     "/api/users", "/api/admin/keys", "/api/courses/drills/answers",
                     "/api/exercises/drills.one-try", "/api/exercises/drills.one-try/answer",
                     "/api/health/../admin/users", "/api/COURSES", "/api/courses/",
                     "/metrics", "/debug/pprof", "/.env", "/.git/config", "/server-status"):
            status, headers, _ = server.request("GET", path)
            self.assertIn(status, (400, 404), path)
            self.assertEqual(headers["content-type"], "application/problem+json", path)

    def test_api9_the_document_names_no_route_the_server_does_not_answer(self):
        for method, template in documented_operations(server):
            status, _, body = server.request(method, fill(template))
            self.assertNotEqual(status, 405, (method, template))
            if status == 404:  # a missing resource, never a missing route
                self.assertNotIn("No API route", body.decode(), (method, template))


class Api10UnsafeConsumptionOfApis(unittest.TestCase):
    """The LRS is outside the platform's trust: a stand-in that answers with redirects, huge and
    binary bodies, absurd Retry-After values and slow replies must not hurt the server, leak the
    LRS credentials anywhere else, or lose statements."""

    def test_api10_a_malicious_lrs_cannot_redirect_flood_or_stall_the_server(self):
        password = "lrs-" + uuid.uuid4().hex
        elsewhere, lrs_requests = [], []
        behaviour = {"mode": "redirect"}

        class Elsewhere(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                elsewhere.append(dict(self.headers))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        class Lrs(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                lrs_requests.append(behaviour["mode"])
                mode = behaviour["mode"]
                if mode == "redirect":
                    self.send_response(307)
                    self.send_header("Location", f"http://127.0.0.1:{trap_port}/statements")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif mode == "flood":
                    self.send_response(503)
                    self.send_header("Retry-After", "999999999999")
                    self.send_header("Content-Length", str(64 * 1024 * 1024))
                    self.end_headers()
                    try:
                        chunk = (b"\xff\xfe\r\n{\"log\": \"injected\"}\n\x00" * 1024)
                        for _ in range(2048):
                            self.wfile.write(chunk)
                    except OSError:
                        pass
                elif mode == "stall":
                    time.sleep(30)

            def log_message(self, *args):
                pass

        trap = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)
        trap_port = trap.server_address[1]
        lrs = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Lrs)
        lrs.daemon_threads = True
        for s in (trap, lrs):
            threading.Thread(target=s.serve_forever, daemon=True).start()
        target = Server(seed_content=str(DRILLS), env={
            "PRACTICA_XAPI_ENDPOINT": f"http://127.0.0.1:{lrs.server_address[1]}/xapi",
            "PRACTICA_XAPI_USERNAME": "practica", "PRACTICA_XAPI_PASSWORD": password,
            "PRACTICA_PUBLIC_URL": "https://learn.practica.test"}).start()
        try:
            ada = learner(target)
            status, _, _ = ada.call("POST", "/api/exercises/drills.truth/attempts",
                                    {"answer": False})
            self.assertEqual(status, 201)
            deadline = time.monotonic() + 15
            while not lrs_requests and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertTrue(lrs_requests, "the statement never reached the LRS")
            behaviour["mode"] = "flood"
            time.sleep(3)  # the sender's back-off after the redirect is about a second
            behaviour["mode"] = "stall"
            for _ in range(3):
                started = time.monotonic()
                self.assertEqual(target.request("GET", "/api/health")[0], 200)
                self.assertLess(time.monotonic() - started, 3)
                status, _, _ = ada.call("POST", "/api/exercises/drills.capital/attempts",
                                        {"answer": "Paris"})
                self.assertEqual(status, 201)
            self.assertEqual(elsewhere, [], "followed the LRS's redirect")
            log = "".join(target.lines)
            self.assertNotIn(password, log)
            for line in target.lines:
                if line.startswith("{"):
                    json.loads(line)  # every log line still one JSON object
            self.assertNotIn('"log": "injected"', log)
            self.assertLess(max(len(line) for line in target.lines), 16 * 1024)
            # Nothing was dropped: the statements wait in the outbox for a sane LRS.
            import sqlite3
            db = sqlite3.connect(target.data_dir / "xapi.db")
            try:
                self.assertGreaterEqual(db.execute("SELECT count(*) FROM outbox").fetchone()[0], 1)
            finally:
                db.close()
        finally:
            target.stop(timeout=20)
            target.cleanup()
            for s in (trap, lrs):
                s.shutdown()
                s.server_close()


if __name__ == "__main__":
    unittest.main()
