"""practica on DynamoDB while DynamoDB misbehaves: throttling, 5xx, replies lost after the write.

A fault proxy (fault_proxy.py) sits between the real `practica serve` and the local DynamoDB
(moto or dynalite, started by tests/services/run_with.py). The tests post attempts through the
API as a real client would (an Idempotency-Key per attempt, the same request sent again after a
503 or a dropped connection), then read the table directly with boto3 and check what is stored.

What "correct" means here, precisely:

- An attempt that got 201 is stored exactly once, and the stored attempt is the one the 201
  named (same attempt id, same response on a replay).
- An attempt the client gave up on (it only ever saw 503s or connection failures) is stored at
  most once. It MAY be stored: with a `timeout` fault DynamoDB applied the write and only the
  reply was lost, so practica answered 503 although the attempt is in the table. No acknowledged
  attempt may be missing, and no attempt may be stored twice; more cannot be promised.
- While DynamoDB refuses everything, the API answers 503 quickly (retries are bounded by
  RetryPolicy's 3 s budget) with a problem+json body, and nothing reaches the table.
- The learner's TOTALS item (XP, streak, keys) is derived data (dynamodb_progress_store.h): the
  mixed test reports how far it drifts from the attempts, and does not fail on it.

The "reply lost" tests each lose one reply (`drop` on one PutItem) after DynamoDB applied the
write. They found that a retried write failing its own condition was taken for another client's
attempt: the TOTALS item skipped or counted twice, and an attempt without an Idempotency-Key
stored twice (or answered 409 on a one-try exercise). The store now looks for its own attempt id
in the log, and the TOTALS item remembers the attempts it counted.

Run: python3 tests/services/run_with.py --moto -- python3 -m unittest -v test_faults
(from tests/aws_faults/, with PRACTICA_BIN set or the dev build present). FAULT_SEED=N replays a
run's random fault choices (each run prints its seed).
"""
import concurrent.futures
import http.client
import json
import os
import random
import time
import unittest
import uuid

from dynamodb_practica import (boto3_client, dumps, learner_items, server_on, sign_up,
                               stand_in_endpoint, new_table, xp_from_logs)
from fault_proxy import FaultProxy

STAND_IN = "moto" if os.environ.get("PRACTICA_TEST_SIGNATURES_CHECKED") == "1" else "dynalite"

# Answers to the drills course (tests/integration/fixtures), right and wrong, on exercises without
# an attempt limit, so every attempt that gets through is stored.
ANSWERS = [("truth", False), ("capital", "Paris"), ("pick-mean", "b"), ("primes", ["a", "c"]),
           ("steps", ["a", "b", "c"]), ("gaps", ["2", "paris"]), ("capital", "par"),
           ("pick-mean", "a")]

# About 30 % of DynamoDB requests fail, in every way the proxy knows. Timeouts cost the client
# 5 s each (MakeTransport's timeout), so only a few are drawn.
MIXED_FAULTS = [{"fault": "timeout", "share": 0.03, "times": 3},
                {"fault": "drop", "share": 0.05},
                {"fault": "throttle", "share": 0.10},
                {"fault": "throttling", "share": 0.05},
                {"fault": "error500", "share": 0.07}]
REFUSE_ALL = [[{"fault": "throttle"}], [{"fault": "throttling"}], [{"fault": "error500"}]]

# How long a 503 may take while DynamoDB refuses everything: RetryPolicy's budget is 3 s and its
# backoffs are short; the margin is for a loaded CI machine.
QUICK_503_SECONDS = 5.0
# How long /api/ready may take when DynamoDB never answers: a store's Ping is one request of at
# most 1 s (Client::Probe), and ready stops at the first store that fails. Load balancers give a
# health check about 5 s.
UNANSWERED_READY_SECONDS = 4.0


def call(port, method, path, body=None, headers=None, timeout=30):
    """One request to practica: (status, lower-case headers, parsed body or None). The timeout
    is longer than anything practica may take here (harness.Server.request allows 10 s)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return response.status, headers, json.loads(data) if data else None
    finally:
        conn.close()


def post_attempt(port, token, exercise, answer, key=None):
    """One POST of an attempt on the drills course, with an Idempotency-Key when `key` is set."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return call(port, "POST", f"/api/exercises/drills.{exercise}/attempts",
                json.dumps({"answer": answer}), headers)


class Checks:
    """Named checks that all run before the test fails, so one CI log shows every broken
    promise, with an "N passed, M failed" line."""

    def __init__(self, title):
        self.title = title
        self.passed = 0
        self.failures = []

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)

    def report(self, test):
        print(f"\n[{STAND_IN}] {self.title}: {self.passed} passed, {len(self.failures)} failed",
              flush=True)
        for failure in self.failures[:20]:
            print(f"  FAILED: {failure}", flush=True)
        test.assertEqual(self.failures, [], f"{len(self.failures)} checks failed")


class FaultInjectionTest(unittest.TestCase):
    """practica serve → fault proxy → local DynamoDB; boto3 reads the table behind the proxy."""

    @classmethod
    def setUpClass(cls):
        seed = int(os.environ.get("FAULT_SEED", random.randrange(1 << 32)))
        print(f"\n[{STAND_IN}] FAULT_SEED={seed}", flush=True)
        cls.proxy = FaultProxy(stand_in_endpoint(), seed=seed)
        cls.table = new_table("faults")
        try:
            cls.server = server_on(cls.table, endpoint=cls.proxy.url)
        except BaseException:
            cls.proxy.close()
            raise
        cls.dynamodb = boto3_client()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.proxy.close()

    def setUp(self):
        self.proxy.configure([])  # every test starts with DynamoDB healthy
        self.proxy.reset_counts()
        self.started = time.monotonic()

    def tearDown(self):
        self.proxy.configure([])
        print(f"[{STAND_IN}] {self.id().rsplit('.', 1)[-1]}: "
              f"{time.monotonic() - self.started:.1f} s", flush=True)

    def items(self, learner):
        return learner_items(self.dynamodb, self.table, learner.user["id"])

    def test_mixed_faults_store_every_acknowledged_attempt_exactly_once(self):
        """~30 % of DynamoDB requests throttled, failed with 500, or applied with the reply lost
        (drop, timeout). Each of 72 attempts is retried with its key (at most 6 tries) after a
        503 or a connection failure. Every 201 is stored exactly once, as the attempt it named;
        every attempt the client gave up on is stored at most once; nothing else is stored."""
        learners = [sign_up(self.server, f"mixed{i}") for i in range(6)]
        run = uuid.uuid4().hex[:6]
        plan = []  # (key, learner, exercise, answer)
        for i in range(72):
            exercise, answer = ANSWERS[(i // len(learners)) % len(ANSWERS)]
            plan.append((f"mixed-{run}-{i}", learners[i % len(learners)], exercise, answer))
        tries = {key: [] for key, *_ in plan}  # key → [(status or error, attempt_id, replayed)]
        problems_503 = []

        def attempt(entry):
            key, learner, exercise, answer = entry
            for _ in range(6):
                try:
                    status, headers, body = post_attempt(self.server.port, learner.token,
                                                         exercise, answer, key)
                except (OSError, http.client.HTTPException) as error:
                    tries[key].append((type(error).__name__, None, False))
                    time.sleep(0.2)
                    continue
                attempt_id = body.get("attempt_id") if status == 201 else None
                tries[key].append((status, attempt_id, headers.get("idempotent-replayed") == "true"))
                if status != 503:
                    return
                problems_503.append((headers, body))
                time.sleep(min(float(headers.get("retry-after", "0.2")), 1.0))

        self.proxy.configure(MIXED_FAULTS, hold_seconds=15)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(attempt, plan))
        self.proxy.configure([])
        counts = self.proxy.counts()

        checks = Checks("mixed faults")
        stored = {}  # key → [(learner index, sk, entry)]
        all_ids = []
        totals_drift = []
        for index, learner in enumerate(learners):
            items = self.items(learner)
            for sk, item in items.items():
                if not sk.startswith("EX#"):
                    continue
                log = item.get("log", [])
                checks.check(int(item["attempts"]) == len(log),
                             f"{sk} of learner {index}: attempts {item['attempts']} but "
                             f"{len(log)} log entries")
                checks.check([int(e["n"]) for e in log] == list(range(1, len(log) + 1)),
                             f"{sk} of learner {index}: attempt numbers "
                             f"{[int(e['n']) for e in log]}")
                for entry in log:
                    all_ids.append(entry["id"])
                    stored.setdefault(entry.get("key"), []).append((index, sk, entry))
            totals = items.get("TOTALS", {})
            mine = {key for key, owner, *_ in plan if owner is learner}
            in_logs = {key for key in stored if key in mine}
            expected_xp = xp_from_logs(items)
            if int(totals.get("xp", 0)) != expected_xp or set(totals.get("keys", {})) != in_logs:
                totals_drift.append(
                    f"learner {index}: TOTALS xp {totals.get('xp')} (from the logs "
                    f"{expected_xp}), {len(in_logs - set(totals.get('keys', {})))} keys missing")

        checks.check(None not in stored, f"{len(stored.get(None, []))} attempts stored without "
                                         "their Idempotency-Key")
        checks.check(set(stored) - {None} <= set(tries),
                     f"keys stored that were never sent: {sorted(set(stored) - set(tries))}")
        checks.check(len(all_ids) == len(set(all_ids)), "an attempt id is stored twice")
        acknowledged = gave_up = stored_unacknowledged = 0
        for key, results in tries.items():
            statuses = [status for status, *_ in results]
            checks.check(all(s in (201, 503) or isinstance(s, str) for s in statuses),
                         f"{key}: statuses {statuses} (only 201, 503 and connection failures "
                         "are expected)")
            entries = stored.get(key, [])
            ids = {attempt_id for status, attempt_id, _ in results if status == 201}
            if ids:
                acknowledged += 1
                checks.check(len(entries) == 1,
                             f"{key} was acknowledged and is stored {len(entries)} times")
                checks.check(len(ids) == 1, f"{key} was acknowledged as different attempts {ids}")
                if len(entries) == 1 and len(ids) == 1:
                    entry = entries[0][2]
                    checks.check(entry["id"] in ids,
                                 f"{key}: stored attempt {entry['id']}, acknowledged {ids}")
                    checks.check(json.loads(entry["response"])["attempt_id"] == entry["id"],
                                 f"{key}: the stored response names another attempt")
            else:
                gave_up += 1
                stored_unacknowledged += len(entries)
                checks.check(len(entries) <= 1,
                             f"{key} was never acknowledged and is stored {len(entries)} times")
        for headers, body in problems_503:
            checks.check(headers.get("content-type") == "application/problem+json"
                         and body.get("status") == 503,
                         f"a 503 without a problem+json body: {headers.get('content-type')} "
                         f"{body}")
        checks.check(counts["requests"] > counts["outcomes"].get("forwarded", 0),
                     "the proxy injected no fault at all")

        sent = sum(len(results) for results in tries.values())
        print(f"\n[{STAND_IN}] mixed faults: {len(plan)} attempts, {acknowledged} acknowledged, "
              f"{gave_up} given up ({stored_unacknowledged} of those stored anyway: a reply "
              f"lost after the write); {sent} POSTs, {len(problems_503)} answered 503", flush=True)
        print(f"[{STAND_IN}] proxy: {counts['requests']} DynamoDB requests, outcomes "
              f"{dumps(counts['outcomes'])}", flush=True)
        if totals_drift:
            print(f"[{STAND_IN}] note: derived TOTALS drift from the attempts for "
                  f"{len(totals_drift)} of {len(learners)} learners (attempts the client gave up "
                  "on after the write landed unheard): " + "; ".join(totals_drift), flush=True)
        checks.report(self)

    def test_full_throttling_answers_503_quickly_and_writes_nothing(self):
        """With every DynamoDB request refused (throttled, ThrottlingException, 500) an attempt
        gets 503 problem+json with Retry-After within a few seconds (aws/dynamodb.h: retries
        within a 3 s budget, then kUnavailable with retry_after), no request reaches the table,
        and the learner's items are exactly as before. Once DynamoDB recovers, the same request
        with the same key is stored, once."""
        learner = sign_up(self.server, "throttled")
        self.assertEqual(post_attempt(self.server.port, learner.token, "truth", False, "t-1")[0],
                         201)
        before = self.items(learner)
        self.proxy.reset_counts()
        key = f"t-{uuid.uuid4().hex[:8]}"
        for rules in REFUSE_ALL:
            self.proxy.configure(rules)
            started = time.monotonic()
            status, headers, body = post_attempt(self.server.port, learner.token, "capital",
                                                 "Paris", key)
            elapsed = time.monotonic() - started
            with self.subTest(fault=rules[0]["fault"]):
                self.assertEqual(status, 503, body)
                self.assertLess(elapsed, QUICK_503_SECONDS)
                self.assertEqual(headers.get("content-type"), "application/problem+json")
                self.assertGreaterEqual(int(headers.get("retry-after", "0")), 1, headers)
                self.assertEqual((body["status"], body["type"]),
                                 (503, "urn:practica:problem:dynamodb-unavailable"))
                self.assertIn("request_id", body)
            status, _, _ = learner.call("GET", "/api/me/progress/drills")
            self.assertEqual(status, 503)
        counts = self.proxy.counts()
        self.assertEqual(counts["reached_upstream"], 0, counts)
        self.assertGreater(counts["requests"], 3, counts)  # practica did retry
        self.assertEqual(self.items(learner), before)

        self.proxy.configure([])
        status, headers, body = post_attempt(self.server.port, learner.token, "capital", "Paris",
                                             key)
        self.assertEqual(status, 201, body)
        self.assertNotIn("idempotent-replayed", headers)
        after = self.items(learner)
        self.assertEqual([e["id"] for e in after["EX#drills#capital"]["log"]],
                         [body["attempt_id"]])
        self.assertEqual(after["EX#drills#truth"], before["EX#drills#truth"])
        self.assertEqual(int(after["TOTALS"]["xp"]), xp_from_logs(after))
        self.assertEqual(set(after["TOTALS"]["keys"]), {"t-1", key})

    def test_ready_answers_503_while_dynamodb_fails(self):
        """/api/ready answers 503 problem+json instead of hanging: at once when DynamoDB refuses,
        and within about a second when DynamoDB does not answer at all (a Ping is one 1 s probe;
        the time is printed); 200 again once DynamoDB is back."""
        for rules, limit in (([{"fault": "throttle"}], QUICK_503_SECONDS),
                             ([{"fault": "blackhole"}], UNANSWERED_READY_SECONDS)):
            self.proxy.configure(rules, hold_seconds=30)
            started = time.monotonic()
            status, headers, body = call(self.server.port, "GET", "/api/ready")
            elapsed = time.monotonic() - started
            print(f"[{STAND_IN}] /api/ready with DynamoDB {rules[0]['fault']}: {status} in "
                  f"{elapsed:.1f} s", flush=True)
            with self.subTest(fault=rules[0]["fault"]):
                self.assertEqual(status, 503, body)
                self.assertEqual(headers.get("content-type"), "application/problem+json")
                self.assertLess(elapsed, limit)
        self.proxy.configure([])
        self.assertEqual(call(self.server.port, "GET", "/api/ready")[0], 200)

    def test_reply_lost_after_the_write_then_the_retry_replays_it(self):
        """The nasty case: DynamoDB applies the attempt's write but the reply never comes
        (`timeout`), so practica answers 503 although the attempt is stored. The client's retry
        with the same key gets 201 with the stored attempt (Idempotent-Replayed), and the table
        still holds it once."""
        learner = sign_up(self.server, "lost-reply")
        user = learner.user["id"]
        self.proxy.configure([{"fault": "timeout", "operations": ["PutItem"],
                               "contains": [f"LEARNER#{user}", "EX#drills#steps"], "times": 1}],
                             hold_seconds=30)
        status, _, body = post_attempt(self.server.port, learner.token, "steps", ["a", "b", "c"],
                                       "lost-1")
        self.assertEqual(status, 503, body)
        log = self.items(learner)["EX#drills#steps"]["log"]
        self.assertEqual([e["key"] for e in log], ["lost-1"])  # stored, though the client saw 503

        status, headers, body = post_attempt(self.server.port, learner.token, "steps",
                                             ["a", "b", "c"], "lost-1")
        self.assertEqual(status, 201, body)
        self.assertEqual(headers.get("idempotent-replayed"), "true")
        after = self.items(learner)["EX#drills#steps"]
        self.assertEqual([e["id"] for e in after["log"]], [body["attempt_id"]])
        self.assertEqual(int(after["attempts"]), 1)
        self.assertEqual(self.proxy.counts()["outcomes"].get("timeout"), 1)

    def test_reply_lost_after_the_write_still_counts_the_attempt_in_totals(self):
        """When the exercise item's PutItem is applied but its reply is lost (`drop`: practica
        retries at once, the retry fails its `ver` condition, and the next round finds the key in
        the log and replays), the attempt's XP and key still reach the TOTALS item."""
        learner = sign_up(self.server, "lost-totals")
        self.proxy.configure([{"fault": "drop", "operations": ["PutItem"],
                               "contains": [f"LEARNER#{learner.user['id']}", "EX#drills#truth"],
                               "times": 1}])
        status, _, body = post_attempt(self.server.port, learner.token, "truth", False, "lt-1")
        self.assertEqual(status, 201, body)
        items = self.items(learner)
        self.assertEqual(len(items["EX#drills#truth"]["log"]), 1)
        self.assertIn("TOTALS", items, "no TOTALS item: XP and streak were never written")
        self.assertEqual(int(items["TOTALS"]["xp"]), xp_from_logs(items))
        self.assertIn("lt-1", items["TOTALS"]["keys"])

    def test_reply_lost_on_the_totals_write_counts_xp_once(self):
        """When the TOTALS PutItem is applied but its reply is lost (`drop`), practica's retry
        fails the `ver` condition, re-reads the totals (which already hold this attempt) and must
        not add the attempt's XP a second time."""
        learner = sign_up(self.server, "double-xp")
        self.proxy.configure([{"fault": "drop", "operations": ["PutItem"],
                               "contains": [f"LEARNER#{learner.user['id']}", "TOTALS"],
                               "times": 1}])
        status, _, body = post_attempt(self.server.port, learner.token, "truth", False, "dx-1")
        self.assertEqual(status, 201, body)
        items = self.items(learner)
        self.assertEqual(body["progress"]["xp"], 10)
        self.assertEqual(int(items["TOTALS"]["xp"]), 10)

    def test_reply_lost_without_idempotency_key_stores_the_attempt_once(self):
        """An attempt sent without an Idempotency-Key whose exercise-item write is applied but
        whose reply is lost (`drop`) is stored once: the client sent it once and got one 201."""
        learner = sign_up(self.server, "no-key")
        self.proxy.configure([{"fault": "drop", "operations": ["PutItem"],
                               "contains": [f"LEARNER#{learner.user['id']}", "EX#drills#truth"],
                               "times": 1}])
        status, _, body = post_attempt(self.server.port, learner.token, "truth", False)
        self.assertEqual(status, 201, body)
        log = self.items(learner)["EX#drills#truth"]["log"]
        self.assertEqual([e["id"] for e in log], [body["attempt_id"]])

    def test_reply_lost_on_the_only_allowed_try_still_answers_201(self):
        """On an exercise with one try, an attempt without a key whose write is applied but whose
        reply is lost (`drop`) is answered 201 with that attempt, not 409 attempts-exhausted:
        the learner's only try was graded and stored."""
        learner = sign_up(self.server, "one-try")
        self.proxy.configure([{"fault": "drop", "operations": ["PutItem"],
                               "contains": [f"LEARNER#{learner.user['id']}",
                                            "EX#drills#one-try"], "times": 1}])
        status, _, body = post_attempt(self.server.port, learner.token, "one-try", 5)
        log = self.items(learner)["EX#drills#one-try"]["log"]
        self.assertEqual(len(log), 1)
        self.assertEqual(status, 201, body)
        self.assertEqual(body["attempt_id"], log[0]["id"])


if __name__ == "__main__":
    unittest.main()
