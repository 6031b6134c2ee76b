"""practica on a DynamoDB table, for the tests that run under tests/services/run_with.py --moto or
--dynalite (tests/aws_faults/, tests/wire/).

run_with.py exports the stand-in's address and credentials (AWS_ENDPOINT_URL_DYNAMODB,
AWS_REGION, AWS_ACCESS_KEY_ID, ...); practica and boto3 both read them. Each test class makes its
own table (a fresh name), so tests never see each other's items. Users stay in SQLite under the
server's data folder, as DESIGN.md's "DynamoDB for content and progress" has it.
"""
import json
import os
import sys
import uuid
from pathlib import Path

INTEGRATION = Path(__file__).resolve().parents[1] / "integration"
sys.path.insert(0, str(INTEGRATION))

from harness import Server, run_cli  # noqa: E402
from test_accounts import Client  # noqa: E402

FIXTURES = INTEGRATION / "fixtures"  # the "drills" course, with known answers
PASSWORD = "correct horse battery staple 42"


def stand_in_endpoint():
    """The local DynamoDB's URL; a clear error when the test was not started by run_with.py."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB")
    if not endpoint or not os.environ.get("AWS_REGION"):
        raise RuntimeError("AWS_ENDPOINT_URL_DYNAMODB is not set: run this test under "
                           "tests/services/run_with.py --moto (or --dynalite) -- python3 -m "
                           "unittest ...")
    return endpoint


def new_table(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def store_args(table):
    return ("--content-store", f"dynamodb:{table}", "--progress-store", f"dynamodb:{table}")


def migrate(table, data_dir):
    """`practica migrate` straight against the stand-in: creates the table."""
    code, out, err = run_cli("migrate", "--data-dir", data_dir, *store_args(table),
                             env={"AWS_ENDPOINT_URL_DYNAMODB": stand_in_endpoint()})
    if code != 0:
        raise RuntimeError(f"practica migrate failed ({code}):\n{out}{err}")
    return out


def import_bundle(table, data_dir, bundle):
    """`practica import` of a course bundle folder into `table`, straight against the stand-in."""
    code, out, err = run_cli("import", "--data-dir", data_dir, *store_args(table), bundle,
                             env={"AWS_ENDPOINT_URL_DYNAMODB": stand_in_endpoint()})
    if code != 0:
        raise RuntimeError(f"practica import failed ({code}):\n{out}{err}")
    return out


def server_on(table, *, endpoint=None, seed_content=FIXTURES, bundles=(), extra_args=()):
    """A started `practica serve` on `table` (migrated first, then `bundles` imported), talking to
    DynamoDB at `endpoint` (default: the stand-in itself; a fault proxy's URL to put one in
    between). seed_content="" loads no course at start."""
    server = Server(seed_content=str(seed_content),
                    extra_args=(*store_args(table), "--cookie-secure", "false",
                                "--auth-rate-per-minute", "1000000", *extra_args),
                    env={"AWS_ENDPOINT_URL_DYNAMODB": endpoint or stand_in_endpoint()})
    try:
        migrate(table, server.data_dir)
        for bundle in bundles:
            import_bundle(table, server.data_dir, bundle)
        return server.start()
    except BaseException:
        server.cleanup()
        raise


def sign_up(server, name):
    """A signed-in learner (a test_accounts.Client) with a fresh email address."""
    client = Client(server)
    status, _, body = client.signup(f"{name}-{uuid.uuid4().hex[:8]}@example.org", PASSWORD, name)
    if status != 201:
        raise AssertionError(f"sign-up answered {status}: {body}")
    return client


def boto3_client():
    """boto3's DynamoDB client on the stand-in (never through a fault proxy)."""
    import boto3
    from botocore.config import Config
    return boto3.client("dynamodb", endpoint_url=stand_in_endpoint(),
                        region_name=os.environ["AWS_REGION"],
                        config=Config(retries={"max_attempts": 3, "mode": "standard"}))


def plain(item):
    """A DynamoDB item (AttributeValue maps) as plain Python values (numbers as Decimal)."""
    from boto3.dynamodb.types import TypeDeserializer
    deserializer = TypeDeserializer()
    return {name: deserializer.deserialize(value) for name, value in item.items()}


def learner_items(dynamodb, table, user_id):
    """Every item of the learner's partition, as plain values, keyed by sk (strongly
    consistent)."""
    items = {}
    pages = dynamodb.get_paginator("query").paginate(
        TableName=table, KeyConditionExpression="pk = :pk", ConsistentRead=True,
        ExpressionAttributeValues={":pk": {"S": f"LEARNER#{user_id}"}})
    for page in pages:
        for item in page["Items"]:
            items[item["sk"]["S"]] = plain(item)
    return items


def xp_for_attempt(score, previous_best):
    """domain::XpForAttempt: 10 × score for a first solve, 2 × score for an improvement, else 0;
    rounded half away from zero."""
    score = min(max(float(score), 0.0), 1.0)
    previous_best = min(max(float(previous_best), 0.0), 1.0)
    if score <= previous_best:
        return 0
    points = 10 * score if previous_best == 0 else 2 * score
    return int(points + 0.5)


def xp_from_logs(items):
    """The XP that the learner's attempts earn, rebuilt from the exercise items' logs: what the
    TOTALS item's xp is derived from."""
    total = 0
    for sk, item in items.items():
        if not sk.startswith("EX#"):
            continue
        best = 0.0
        for entry in sorted(item.get("log", []), key=lambda e: int(e["n"])):
            total += xp_for_attempt(entry["score"], best)
            best = max(best, float(entry["score"]))
    return total


def dumps(value):
    return json.dumps(value, default=str, sort_keys=True)
