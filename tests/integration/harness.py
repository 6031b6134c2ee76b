"""Starts the real `practica` binary for integration tests.

The binary comes from PRACTICA_BIN (set by ctest). Every server gets a fresh data folder and a free
port (port 0; the port is read from the "listening" log line), and is stopped with SIGTERM.
"""
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("PRACTICA_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = os.environ.get("PRACTICA_BIN", str(SOURCE_DIR / "build/dev/src/practica"))


class Server:
    def __init__(self, *, web_root=None, seed_content=None, data_dir=None, extra_args=(),
                 env=None):
        self.tmp = Path(tempfile.mkdtemp(prefix="practica-it-"))
        self.data_dir = Path(data_dir) if data_dir else self.tmp / "data"
        self.web_root = web_root if web_root is not None else self.tmp / "no-web"
        self.seed_content = seed_content if seed_content is not None else str(SOURCE_DIR / "content")
        self.args = [BIN, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(self.data_dir),
                     "--web-root", str(self.web_root), "--seed-content", str(self.seed_content),
                     *extra_args]
        self.env = dict(os.environ, **(env or {}))
        self.lines = []
        self.port = None
        self.proc = None

    def start(self, timeout=20):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env=self.env, text=True)
        ready = threading.Event()

        def pump():
            for line in self.proc.stdout:
                self.lines.append(line)
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("msg") == "listening":
                    self.port = entry["port"]
                    ready.set()
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(timeout) or self.port is None:
            self.stop()
            raise RuntimeError("practica did not start:\n" + "".join(self.lines))
        return self

    def log_entries(self):
        entries = []
        for line in self.lines:
            try:
                entries.append(json.loads(line))
            except ValueError:
                pass
        return entries

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def get_json(self, path, headers=None):
        status, hdrs, data = self.request("GET", path, headers=headers)
        return status, hdrs, json.loads(data) if data else None

    def raw(self, payload, *, read_timeout=5):
        """Sends raw bytes and returns everything the server answers until it closes or stalls."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=read_timeout) as sock:
            sock.sendall(payload)
            chunks = []
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            except socket.timeout:
                pass
            return b"".join(chunks)

    def stop(self, timeout=15):
        """SIGTERM and wait; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        return code

    def cleanup(self):
        self.stop()
        if self.proc is not None and self.proc.stdout:
            self.proc.stdout.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_cli(*args, timeout=60, input_text=None, env=None):
    """Runs `practica ARGS…` (with `env` added to the environment) and returns (exit code, stdout,
    stderr)."""
    proc = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          input=input_text if input_text is not None else "",
                          env={**os.environ, **env} if env else None)
    return proc.returncode, proc.stdout, proc.stderr


def parse_status_line(raw):
    line = raw.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split(" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
