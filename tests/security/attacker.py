"""What the security suites share: the integration harness and its account helpers (imported from
tests/integration, never copied) and a few tools an attacker needs: accounts of each kind, the
routes the OpenAPI document lists with their parameters filled in, and a walk over JSON."""
import json
import sys
import uuid
from pathlib import Path

INTEGRATION = Path(__file__).resolve().parents[1] / "integration"
sys.path.insert(0, str(INTEGRATION))

from harness import SOURCE_DIR, Server, parse_status_line, run_cli  # noqa: E402,F401
from test_accounts import PASSWORD, Client, fresh_code, staff  # noqa: E402,F401

DRILLS = INTEGRATION / "fixtures"  # the drills course: every graded type, known answers
BASE = "/api/authoring/courses"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def open_server(**kwargs):
    """A started server whose sign-in rate limit stays out of the way of the tests."""
    extra = ("--auth-rate-per-minute", "100000", *kwargs.pop("extra_args", ()))
    return Server(extra_args=extra, **kwargs).start()


def learner(server):
    client = Client(server)
    client.email = f"learner-{uuid.uuid4().hex[:10]}@example.org"
    status, _, body = client.signup(client.email)
    assert status == 201, body
    return client


def new_course(instructor, lessons=("basics",)):
    """A course of `instructor` with empty lessons; its slug."""
    slug = f"c-{uuid.uuid4().hex[:8]}"
    status, _, draft = instructor.call("POST", BASE, {"slug": slug, "title": f"Course {slug}"})
    assert status == 201, draft
    for lesson in lessons:
        status, _, draft = instructor.call("POST", f"{BASE}/{slug}/lessons",
                                           {"slug": lesson, "title": lesson.title(),
                                            "markdown": f"About {lesson}."})
        assert status == 201, draft
    return slug


def documented_operations(server):
    """(method, path template) for every operation of the server's OpenAPI document."""
    status, _, doc = server.get_json("/api/openapi.json")
    assert status == 200
    return [(method.upper(), path) for path, item in doc["paths"].items()
            for method in item if method.upper() in METHODS]


def fill(template, **values):
    """The path template with its {parameters} replaced by `values`, or by plausible ids."""
    defaults = {"course": "drills", "lesson": "basics", "exercise": "drills.one-try",
                "version": "1", "fingerprint": "0123456789abcdef", "id": "usr_nobody"}
    defaults.update(values)
    out = template
    for name, value in defaults.items():
        out = out.replace("{" + name + "}", value)
    assert "{" not in out, out
    return out


def walk(value, path="$"):
    """Every (path, key, value) of a JSON document, depth first."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path, key, inner
            yield from walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from walk(inner, f"{path}[{i}]")


def call_raw(server, client, method, path, body=b"", content_type="application/json",
             headers=None):
    """A request with a body of raw bytes, signed in as `client` (None: signed out)."""
    hdrs = {"Content-Type": content_type, **(headers or {})}
    if client is not None and client.token:
        hdrs["Authorization"] = f"Bearer {client.token}"
    status, out, data = server.request(method, path, body=body, headers=hdrs)
    try:
        payload = json.loads(data) if data else None
    except ValueError:
        payload = data
    return status, out, payload
