#!/usr/bin/env python3
"""Lambda cold start and warm invocation overhead of `practica lambda`, against the fake Runtime API
of tests/lambda (fake_runtime_api.py).

Cold start: from the exec of the binary, as Lambda execs a custom runtime (a file named `bootstrap`,
no arguments, configuration in the environment), to the moment the whole first response has
arrived at the Runtime API. The event is queued before the exec, so the first GET /next is answered
at once, as on Lambda. SQLite store, data folder prepared beforehand: the demo course imported, the
schema migrated and the key file made by one earlier start. Median and p90 of --runs starts.

Warm overhead: on one process, invocations of GET /api/health one after another; for each, the
time from the fake's handing out the event to its having the whole response, minus the handler's
own time as the access log reports it (duration_ms: routing, handler, security headers). What is
left is the runtime's work (reading the event, JSON in and out, the log context, the POST) plus
the fake's wake-up on the loopback, so it is an upper bound.

Usage: bench/lambda_cold_start.py [--runs 30] [--warm 3000] [--path /api/courses]
       (PRACTICA_BIN: default build/release/src/practica; build it with
        cmake --build --preset release --target practica)
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "lambda"))
from fake_runtime_api import FakeRuntimeApi  # noqa: E402


def http_api_event(path):
    """An API Gateway HTTP API (payload 2.0) GET, the shape of AWS's own samples."""
    return {"version": "2.0", "routeKey": "$default", "rawPath": path, "rawQueryString": "",
            "headers": {"accept": "application/json", "host": "api.example.org",
                        "user-agent": "bench", "x-forwarded-for": "203.0.113.9",
                        "x-forwarded-proto": "https"},
            "requestContext": {"accountId": "123456789012", "apiId": "bench",
                               "domainName": "api.example.org", "requestId": "bench",
                               "routeKey": "$default", "stage": "$default",
                               "http": {"method": "GET", "path": path, "protocol": "HTTP/1.1",
                                        "sourceIp": "203.0.113.9", "userAgent": "bench"}},
            "isBase64Encoded": False}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="cold starts (at least 20)")
    parser.add_argument("--warm", type=int, default=3000, help="warm invocations")
    parser.add_argument("--path", default="/api/courses", help="the first invocation's path")
    options = parser.parse_args()
    if options.runs < 20:
        parser.error("--runs: the median of at least 20 starts")

    binary = Path(os.environ.get("PRACTICA_BIN", ROOT / "build/release/src/practica")).resolve()
    if not binary.is_file():
        sys.exit(f"bench: no {binary}; build it: cmake --build --preset release --target practica")

    work = Path(tempfile.mkdtemp(prefix="practica-bench-lambda-"))
    api = FakeRuntimeApi()
    try:
        # The function's folder: the binary as `bootstrap`, as the zip will have it.
        task = work / "task"
        task.mkdir()
        (task / "bootstrap").symlink_to(binary)
        data = work / "data"
        subprocess.run([binary, "import", ROOT / "content", "--data-dir", data], check=True,
                       capture_output=True)
        subprocess.run([binary, "migrate", "--data-dir", data], check=True, capture_output=True)
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=api.address, PRACTICA_DATA_DIR=str(data),
                   PRACTICA_SEED_CONTENT="", PRACTICA_LOG_LEVEL="info")

        def start(stdout):
            return subprocess.Popen([str(task / "bootstrap")], cwd=task, env=env, stdout=stdout,
                                    stderr=subprocess.STDOUT)

        def stop(process):
            api.wait_until_waiting()
            process.send_signal(signal.SIGTERM)
            if process.wait(10) != 0:
                sys.exit("bench: the runtime did not exit cleanly")
            while api.waiting():  # until the fake has seen the connection go
                time.sleep(0.001)

        event = http_api_event(options.path)
        cold = []
        for run in range(options.runs + 1):
            request_id = api.invoke(event)
            started = time.perf_counter()
            process = start(subprocess.DEVNULL)
            outcome = api.result(request_id, timeout=30)
            if outcome.kind != "response" or json.loads(outcome.body)["statusCode"] != 200:
                sys.exit(f"bench: the first invocation failed: {outcome.body[:300]!r}")
            if run > 0:  # the first start makes the key file: part of preparing the folder
                cold.append((outcome.received - started) * 1000)
            stop(process)

        # What exec and the dynamic loader alone cost: a command that does nothing.
        floor = []
        for _ in range(options.runs):
            started = time.perf_counter()
            subprocess.run([binary, "version"], stdout=subprocess.DEVNULL, check=True)
            floor.append((time.perf_counter() - started) * 1000)

        process = start(subprocess.PIPE)
        handler_ms = {}
        lines_done = threading.Event()

        def read_log():
            for line in process.stdout:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("msg") == "request" and "aws_request_id" in entry:
                    handler_ms[entry["aws_request_id"]] = entry["duration_ms"]
            lines_done.set()

        threading.Thread(target=read_log, daemon=True).start()
        health = http_api_event("/api/health")
        rounds = []
        for _ in range(options.warm):
            request_id = api.invoke(health)
            outcome = api.result(request_id)
            rounds.append((request_id, (outcome.received - outcome.sent) * 1000))
        stop(process)
        lines_done.wait(10)
        # The first few warm up caches and the allocator; they are not steady state.
        steady = rounds[10:]
        overhead = [total - handler_ms[rid] for rid, total in steady if rid in handler_ms]
        if len(overhead) < len(steady) * 0.99:
            sys.exit("bench: access log lines are missing for the warm invocations")
        handler = [handler_ms[rid] for rid, _ in steady]
        total = [t for _, t in steady]

        print(f"binary: {binary}")
        print(f"cold start, exec of bootstrap -> first response ({options.path}) at the Runtime "
              f"API, {len(cold)} runs: median {statistics.median(cold):.2f} ms, "
              f"p90 {percentile(cold, 0.9):.2f} ms, min {min(cold):.2f} ms")
        print(f"  of which exec + dynamic loading ('practica version', exec to exit): median "
              f"{statistics.median(floor):.2f} ms")
        print(f"warm invocation, GET /api/health, {len(total)} invocations: event out -> response "
              f"in p50 {statistics.median(total) * 1000:.0f} us; handler (access log) p50 "
              f"{statistics.median(handler) * 1000:.0f} us")
        print(f"warm overhead beyond the handler: p50 {statistics.median(overhead) * 1000:.0f} us, "
              f"p90 {percentile(overhead, 0.9) * 1000:.0f} us, "
              f"p99 {percentile(overhead, 0.99) * 1000:.0f} us")
    finally:
        api.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
