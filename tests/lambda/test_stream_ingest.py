"""DynamoDB Streams → `practica lambda` → analytics, end to end, on moto_server (run inside
tests/services/run_with.py --moto).

One `practica lambda` process serves the API with content and progress in a DynamoDB table whose
stream is on (as infra/ configures it) and analytics in its SQLite file. A learner answers through
HTTP events; the attempts reach analytics only when the stream's own records, read from moto with
boto3, are handed back to the function as a Streams batch, as Lambda's event source mapping would.
"""
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import uuid
from pathlib import Path

import boto3

from test_lambda_runtime import (BIN, DRILLS, PASSWORD, Lambda, check_sanitizers, http_api_event,
                                 http_response)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "xapi"))
from fake_lrs import FakeLrs  # noqa: E402


def stream_batch(records):
    """GetRecords' records in the form Lambda delivers them (times as epoch seconds)."""
    out = []
    for record in records:
        record = dict(record)
        change = dict(record["dynamodb"])
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, datetime.datetime):
            change["ApproximateCreationDateTime"] = int(created.timestamp())
        record["dynamodb"] = change
        record.setdefault("eventSource", "aws:dynamodb")
        out.append(record)
    return {"Records": out}


class StreamIngestTest(unittest.TestCase):
    def setUp(self):
        region = os.environ["AWS_REGION"]
        endpoint = os.environ["AWS_ENDPOINT_URL_DYNAMODB"]
        self.table = f"stream-{uuid.uuid4().hex[:8]}"
        self.dynamodb = boto3.client("dynamodb", region_name=region, endpoint_url=endpoint)
        self.streams = boto3.client("dynamodbstreams", region_name=region, endpoint_url=endpoint)
        stores = ["--content-store", f"dynamodb:{self.table}",
                  "--progress-store", f"dynamodb:{self.table}"]
        tmp = tempfile.mkdtemp(prefix="practica-stream-")
        self.addCleanup(shutil.rmtree, tmp, True)
        self.data_dir = Path(tmp) / "data"
        migrate = subprocess.run([BIN, "migrate", "--data-dir", str(self.data_dir), *stores],
                                 capture_output=True, text=True, timeout=60)
        self.assertEqual(migrate.returncode, 0, migrate.stderr)
        check_sanitizers("practica migrate", migrate.stderr)
        self.dynamodb.update_table(TableName=self.table, StreamSpecification={
            "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        self.stores = stores
        self.fn = self.start_function()

    def start_function(self, env=None):
        fn = Lambda(env=env, args=["--data-dir", str(self.data_dir), "--seed-content", str(DRILLS),
                                   "--auth-rate-per-minute", "100000", *self.stores])
        self.addCleanup(fn.cleanup)
        return fn

    def http(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, _, _, data = http_response(self.fn.api.call(
            http_api_event(method, path, headers=headers,
                           body=json.dumps(body) if body is not None else None), timeout=30))
        return status, json.loads(data) if data else None

    def stream_records(self):
        arn = self.dynamodb.describe_table(TableName=self.table)["Table"]["LatestStreamArn"]
        records = []
        for shard in self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            iterator = self.streams.get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"],
                ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while iterator:
                page = self.streams.get_records(ShardIterator=iterator)
                records += page["Records"]
                if not page["Records"]:
                    break
                iterator = page.get("NextShardIterator")
        return records

    def analytics_rows(self):
        db = sqlite3.connect(self.data_dir / "analytics.db")
        try:
            return db.execute(
                "SELECT event_id, user_id, course, lesson, exercise, exercise_version, "
                "attempt_number, score, correct, time_taken_ms FROM attempt_events "
                "ORDER BY attempt_number").fetchall()
        finally:
            db.close()

    def test_attempts_reach_analytics_through_the_stream_once(self):
        status, signed_up = self.http("POST", "/api/auth/signup", {
            "email": f"stream-{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD,
            "display_name": "Streamer"})
        self.assertEqual(status, 201, signed_up)
        token, user = signed_up["access_token"], signed_up["user"]["id"]
        ids = []
        for answer, ms in ((41, 5000), (42, 2500)):
            status, result = self.http("POST", "/api/exercises/drills.three-tries/attempts",
                                       {"answer": answer, "time_taken_ms": ms}, token)
            self.assertEqual(status, 201, result)
            ids.append(result["attempt_id"])
        # With progress in DynamoDB the API leaves attempts to the stream.
        self.assertEqual(self.analytics_rows(), [])

        batch = stream_batch(self.stream_records())
        self.assertTrue(any(r["eventName"] == "MODIFY" for r in batch["Records"]))
        outcome = self.fn.api.call(batch, timeout=30)
        self.assertEqual(outcome.kind, "response", outcome)
        self.assertEqual(outcome.json(), {"batchItemFailures": []})
        rows = self.analytics_rows()
        self.assertEqual([r[0] for r in rows], ids)
        first, second = rows
        self.assertEqual(first[1:5], (user, "drills", "basics", "three-tries"))
        self.assertEqual(len(first[5]), 16)  # the exercise's version fingerprint
        self.assertEqual((first[6], first[7], first[8], first[9]), (1, 0.0, 0, 5000))
        self.assertEqual((second[6], second[8], second[9]), (2, 1, 2500))

        # Lambda delivers at least once: the same batch again changes nothing.
        self.assertEqual(self.fn.api.call(batch, timeout=30).json(), {"batchItemFailures": []})
        self.assertEqual(len(self.analytics_rows()), 2)
        # The ingest logs what it did, naming the invocation like every other log line.
        entry = self.fn.wait_for_log(lambda e: e.get("msg") == "stream batch ingested")
        self.assertEqual(entry["records"], len(batch["Records"]))
        self.assertIn("aws_request_id", entry)

    def test_the_ingest_handler_opens_only_the_analytics_store(self):
        status, signed_up = self.http("POST", "/api/auth/signup", {
            "email": f"ingest-{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD,
            "display_name": "Streamer"})
        self.assertEqual(status, 201, signed_up)
        token = signed_up["access_token"]
        ids = []
        for answer in (41, 42):
            status, result = self.http("POST", "/api/exercises/drills.three-tries/attempts",
                                       {"answer": answer}, token)
            self.assertEqual(status, 201, result)
            ids.append(result["attempt_id"])
        batch = stream_batch(self.stream_records())

        # The ingest function as infra/ runs it: the same stores named, DynamoDB out of reach.
        # Its start-up must not need the table (no DescribeTable, no key expiry).
        ingest = Lambda(
            env={"PRACTICA_LAMBDA_HANDLER": "ingest",
                 "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9"},
            args=["--data-dir", str(self.data_dir), "--seed-content", "", *self.stores])
        self.addCleanup(ingest.cleanup)
        ready = ingest.wait_for_log(lambda e: e.get("msg") == "lambda runtime ready")
        self.assertEqual(ready["handler"], "ingest")
        outcome = ingest.api.call(batch, timeout=30)
        self.assertEqual(outcome.kind, "response", outcome)
        self.assertEqual(outcome.json(), {"batchItemFailures": []})
        self.assertEqual([r[0] for r in self.analytics_rows()], ids)

        # Stream batches only: an HTTP request is no event for it.
        refused = ingest.api.call(http_api_event("GET", "/api/courses"), timeout=30)
        self.assertEqual(refused.kind, "error")
        self.assertEqual(refused.json()["errorType"], "Practica.UnknownEvent")
        messages = [e.get("msg") for e in ingest.log_entries()]
        self.assertNotIn("DynamoDB client", messages)
        self.assertFalse(any("idempotency keys" in (m or "") for m in messages), messages)

    def test_the_stream_is_the_xapi_outbox(self):
        lrs = FakeLrs(username="practica", password="lrs-secret")
        self.addCleanup(lrs.close)
        self.fn.cleanup()
        self.fn = self.start_function({
            "PRACTICA_XAPI_ENDPOINT": lrs.endpoint, "PRACTICA_XAPI_USERNAME": "practica",
            "PRACTICA_XAPI_PASSWORD": "lrs-secret", "PRACTICA_PUBLIC_URL": "https://learn.test"})
        status, signed_up = self.http("POST", "/api/auth/signup", {
            "email": f"xapi-{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD,
            "display_name": "Streamer"})
        self.assertEqual(status, 201, signed_up)
        token, user = signed_up["access_token"], signed_up["user"]["id"]
        ids = []
        for answer in (41, 42):
            status, result = self.http("POST", "/api/exercises/drills.three-tries/attempts",
                                       {"answer": answer}, token)
            self.assertEqual(status, 201, result)
            ids.append(result["attempt_id"])
        batch = stream_batch(self.stream_records())

        # The LRS is down: analytics takes the batch, the invocation fails, Lambda will retry.
        lrs.fail(503, count=1000)
        outcome = self.fn.api.call(batch, timeout=30)
        self.assertEqual(outcome.kind, "error", outcome)
        self.assertEqual(len(self.analytics_rows()), 2)
        self.assertEqual(lrs.statements, [])

        # Lambda's retry finds it back: both answers arrive, once however often replayed.
        lrs.reset()
        for _ in range(2):
            self.assertEqual(self.fn.api.call(batch, timeout=30).json(), {"batchItemFailures": []})
        statements = lrs.statements
        self.assertEqual(len(statements), 2)
        self.assertEqual([s["actor"]["account"]["name"] for s in statements], [user, user])
        self.assertEqual([s["result"]["success"] for s in statements], [False, True])
        self.assertEqual(len(self.analytics_rows()), 2)
        self.assertEqual([r["problems"] for r in lrs.requests if r["problems"]], [])

    def test_the_ingest_handler_sends_xapi_with_the_password_from_secrets_manager(self):
        lrs = FakeLrs(username="practica", password="from-the-secret")
        self.addCleanup(lrs.close)
        secrets = boto3.client("secretsmanager", region_name=os.environ["AWS_REGION"],
                               endpoint_url=os.environ["AWS_ENDPOINT_URL_SECRETS_MANAGER"])
        arn = secrets.create_secret(
            Name=f"lrs-{uuid.uuid4().hex[:8]}",
            SecretString=json.dumps({"password": "from-the-secret"}))["ARN"]
        status, signed_up = self.http("POST", "/api/auth/signup", {
            "email": f"secret-{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD,
            "display_name": "Streamer"})
        self.assertEqual(status, 201, signed_up)
        status, result = self.http("POST", "/api/exercises/drills.three-tries/attempts",
                                   {"answer": 42}, signed_up["access_token"])
        self.assertEqual(status, 201, result)
        batch = stream_batch(self.stream_records())

        ingest = Lambda(
            env={"PRACTICA_LAMBDA_HANDLER": "ingest", "PRACTICA_XAPI_ENDPOINT": lrs.endpoint,
                 "PRACTICA_XAPI_USERNAME": "practica", "PRACTICA_XAPI_PASSWORD_SECRET": arn,
                 "PRACTICA_PUBLIC_URL": "https://learn.test"},
            args=["--data-dir", str(self.data_dir), "--seed-content", "", *self.stores])
        self.addCleanup(ingest.cleanup)
        outcome = ingest.api.call(batch, timeout=30)
        self.assertEqual(outcome.kind, "response", outcome)
        self.assertEqual([s["result"]["success"] for s in lrs.statements], [True])
        self.assertEqual([r["problems"] for r in lrs.requests if r["problems"]], [])
        # The password never reaches the log.
        self.assertFalse(any("from-the-secret" in line for line in ingest.lines))

        # A secret that does not exist stops the start-up, naming the variable.
        broken = Lambda(
            env={"PRACTICA_LAMBDA_HANDLER": "ingest", "PRACTICA_XAPI_ENDPOINT": lrs.endpoint,
                 "PRACTICA_XAPI_USERNAME": "practica",
                 "PRACTICA_XAPI_PASSWORD_SECRET": arn + "-missing",
                 "PRACTICA_PUBLIC_URL": "https://learn.test"},
            args=["--data-dir", str(self.data_dir), "--seed-content", "", *self.stores])
        self.addCleanup(broken.cleanup)
        init_error = broken.api.init_errors.get(timeout=30)
        self.assertIn("PRACTICA_XAPI_PASSWORD_SECRET", init_error.json()["errorMessage"])


if __name__ == "__main__":
    unittest.main()
