#!/usr/bin/env python3
"""Runs a command next to throw-away local stand-ins for the services it needs.

    run_with.py --postgres -- COMMAND [ARGS...]
    run_with.py --moto --postgres -- COMMAND [ARGS...]

Each service flag starts one service in a private scratch directory, and the command runs with
the service's address in its environment:

    --postgres   a PostgreSQL cluster (initdb'd for this run, password auth, fsync off) on
                 127.0.0.1 and a free port, with one database. Exports
                   PRACTICA_TEST_POSTGRES_URL  postgresql://postgres:PASSWORD@127.0.0.1:PORT/practica
                   PRACTICA_TEST_POSTGRES_CTL  a shell command prefix that runs pg_ctl on the
                                               cluster ("$CTL stop -m fast", "$CTL start -w"), for
                                               tests that restart the server

    --moto       moto_server with SigV4 checks on, and an IAM user made for the run to sign as
                 (DynamoDB, Secrets Manager)
    --dynalite   dynalite, a second DynamoDB implementation (no signature checks, no
                 transactions)
                 Both export what the AWS SDKs and practica read: AWS_ENDPOINT_URL_DYNAMODB,
                 AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
                 AWS_EC2_METADATA_DISABLED=true; moto also AWS_ENDPOINT_URL_SECRETS_MANAGER and
                 PRACTICA_TEST_SIGNATURES_CHECKED=1.

The services are torn down whatever happens to the command: when it fails, when run_with.py gets
Ctrl-C or SIGTERM, and even when run_with.py itself is SIGKILLed (a ctest timeout): a detached
reaper process waits for run_with.py to exit and cleans up whatever is left.

Exit status: the command's; 128+N when it died of signal N (or run_with.py was stopped by it);
125 when a service could not be started (nothing was run).

Adding a service (say --moto): a subclass of Service with a `name`, a `help` and a `start` that
returns the variables to export, registering with `scratch.on_teardown` every command that must
run to stop what it started; then one entry in SERVICES.
"""

import argparse
import json
import os
import secrets
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

EXIT_SERVICE_FAILED = 125


class ServiceError(Exception):
    """A service could not be started; the message says why."""


class Stopped(Exception):
    """run_with.py received a signal that asks it to stop."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Scratch:
    """The run's private directory and the commands that stop what was started in it.

    The commands are kept in a file inside the directory, so that the reaper, a separate process,
    can run them when run_with.py dies without tearing down.
    """

    COMMANDS = "teardown.json"

    def __init__(self, path):
        self.path = Path(path)

    @classmethod
    def create(cls):
        scratch = cls(tempfile.mkdtemp(prefix="practica-services-"))
        # Services may run as another user (postgres): let it reach its own subdirectory.
        scratch.path.chmod(0o711)
        scratch._write([])
        return scratch

    def _read(self):
        try:
            return json.loads((self.path / self.COMMANDS).read_text())
        except (OSError, ValueError):
            return []

    def _write(self, commands):
        staged = self.path / (self.COMMANDS + ".new")
        staged.write_text(json.dumps(commands))
        staged.replace(self.path / self.COMMANDS)  # atomic: the reaper never reads half a list

    def on_teardown(self, command):
        """Registers a command (argv list) to run at teardown, before those registered earlier."""
        self._write([command] + self._read())

    def teardown(self):
        """Runs the registered commands and removes the directory. Idempotent."""
        if not self.path.exists():
            return
        for command in self._read():
            try:
                subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=60, check=False)
            except (OSError, subprocess.TimeoutExpired):
                pass  # remove the directory anyway; nothing else can be done from here
        shutil.rmtree(self.path, ignore_errors=True)


def start_reaper(scratch):
    """Starts a detached process that tears `scratch` down once this process has exited.

    It waits for end-of-file on a pipe whose only write end this process holds (os.pipe file
    descriptors are not inherited by children), so it wakes when run_with.py exits, however it
    exits. The normal path has already removed the directory by then, and the reaper finds nothing
    to do. It detaches (double fork, new session) so that neither Ctrl-C at the terminal nor a
    kill of run_with.py's process tree reaches it.
    """
    read_end, write_end = os.pipe()
    subprocess.run([sys.executable, os.path.abspath(__file__), "--reap", str(scratch.path)],
                   stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    os.close(read_end)
    return write_end  # deliberately kept open until this process exits


def reap(path):
    if os.fork() > 0:
        os._exit(0)  # the intermediate process: start_reaper waits only for this one
    os.setsid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    sys.stdin.buffer.read()
    Scratch(path).teardown()


def free_port():
    """A TCP port that is free now. Another process may take it before the service binds it, so
    services that bind it retry with a new one."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_checked(command, what, **kwargs):
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            check=False, **kwargs)
    if result.returncode != 0:
        raise ServiceError(f"{what} failed ({result.returncode}): "
                           f"{(result.stderr or result.stdout).strip()}")
    return result


class Service:
    name = ""
    help = ""

    def start(self, directory, scratch):
        """Starts the service in `directory` (created, empty); returns the variables to export."""
        raise NotImplementedError


class Postgres(Service):
    name = "postgres"
    help = "a throw-away PostgreSQL cluster (PRACTICA_TEST_POSTGRES_URL, PRACTICA_TEST_POSTGRES_CTL)"

    VERSION = "15"  # what RDS runs for Practica (DESIGN.md "Data")
    DATABASE = "practica"
    USER = "postgres"
    BIND_ATTEMPTS = 5

    def start(self, directory, scratch):
        bin_dir = Path("/usr/lib/postgresql") / self.VERSION / "bin"
        if not (bin_dir / "initdb").exists():
            raise ServiceError(f"{bin_dir}/initdb is missing: run scripts/setup")
        # initdb and postgres refuse to run as root: as root, they run as the postgres OS user
        # (which Debian's postgresql package creates) in a directory it owns.
        as_owner = []
        if os.geteuid() == 0:
            as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(directory, user="postgres")
        data = directory / "data"
        log = directory / "server.log"
        password = secrets.token_urlsafe(18)

        password_file = directory / "password"
        password_file.write_text(password + "\n")
        if as_owner:
            shutil.chown(password_file, user="postgres")
        # --no-sync and the settings below trade durability, which a throw-away cluster does not
        # need, for speed. The ICU en-US default collation is deliberate: RDS databases default to
        # a linguistic collation (en_US.UTF-8), so tests catch SQL that assumes byte order.
        run_checked(as_owner + [
            str(bin_dir / "initdb"), "-D", str(data), "-U", self.USER, "--pwfile", str(password_file),
            "--auth=scram-sha-256", "--no-sync", "--no-instructions", "-E", "UTF8",
            "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US"], "initdb")
        password_file.unlink()

        pg_ctl = as_owner + [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log)]
        scratch.on_teardown(pg_ctl + ["stop", "-m", "immediate", "-w"])
        port = self._start_server(pg_ctl, data, directory, log)

        env = dict(os.environ, PGPASSWORD=password)
        run_checked([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", self.USER,
                     self.DATABASE], "createdb", env=env)
        url = (f"postgresql://{self.USER}:{urllib.parse.quote(password, safe='')}"
               f"@127.0.0.1:{port}/{self.DATABASE}")
        return {"PRACTICA_TEST_POSTGRES_URL": url, "PRACTICA_TEST_POSTGRES_CTL": shlex.join(pg_ctl)}

    def _start_server(self, pg_ctl, data, directory, log):
        for _ in range(self.BIND_ATTEMPTS):
            port = free_port()
            # In postgresql.auto.conf, so that a test's `pg_ctl start` starts the same server.
            (data / "postgresql.auto.conf").write_text("\n".join([
                "listen_addresses = '127.0.0.1'",
                f"port = {port}",
                f"unix_socket_directories = '{directory}'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                ""]))
            started = subprocess.run(pg_ctl + ["start", "-w", "-t", "60", "-s"],
                                     stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                     check=False)
            if started.returncode == 0:
                return port
            server_log = log.read_text(errors="replace") if log.exists() else ""
            if "could not bind" not in server_log and "in use" not in server_log:
                raise ServiceError(f"pg_ctl start failed: {started.stderr.strip()}\n{server_log}")
            log.unlink()  # another process took the port: try another
        raise ServiceError(f"no free port after {self.BIND_ATTEMPTS} attempts")


SOURCE_DIR = Path(__file__).resolve().parents[2]
AWS_REGION = "us-east-1"


def start_printing(command, directory, scratch, what, timeout=30):
    """Starts a background process and returns the first line it prints on stdout."""
    log = directory / "service.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=log_file, text=True, start_new_session=True)
    scratch.on_teardown(["kill", "-TERM", str(process.pid)])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            if line:
                return line
        if process.poll() is not None:
            break
    process.kill()
    raise ServiceError(f"{what} did not start: {log.read_text(errors='replace').strip()}")


def aws_variables(port, access_key_id, secret_access_key):
    return {"AWS_ENDPOINT_URL_DYNAMODB": f"http://127.0.0.1:{port}", "AWS_REGION": AWS_REGION,
            "AWS_ACCESS_KEY_ID": access_key_id, "AWS_SECRET_ACCESS_KEY": secret_access_key,
            "AWS_EC2_METADATA_DISABLED": "true"}


class Moto(Service):
    name = "moto"
    help = "moto_server with signature checks on (DynamoDB, Secrets Manager; AWS_* variables)"
    FIXTURE = SOURCE_DIR / "tests" / "aws" / "fixtures" / "moto_fixture.py"

    def start(self, directory, scratch):
        # The fixture makes the IAM user to sign as inside moto before it listens (signed requests
        # would be needed to make one through moto's API), then prints port and key as JSON.
        line = start_printing([sys.executable, str(self.FIXTURE)], directory, scratch, "moto")
        started = json.loads(line)
        variables = aws_variables(started["port"], started["access_key_id"],
                                  started["secret_access_key"])
        variables["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = variables["AWS_ENDPOINT_URL_DYNAMODB"]
        variables["PRACTICA_TEST_SIGNATURES_CHECKED"] = "1"
        return variables


class Dynalite(Service):
    name = "dynalite"
    help = "dynalite, a second local DynamoDB (no signature checks; AWS_* variables)"
    CLI = SOURCE_DIR / "tests" / "stand-ins" / "node_modules" / "dynalite" / "cli.js"

    def start(self, directory, scratch):
        if not self.CLI.exists():
            raise ServiceError(f"{self.CLI} is missing: run scripts/setup")
        port = free_port()
        # Tables are ACTIVE at once instead of after dynalite's default half second.
        line = start_printing(["node", str(self.CLI), "--port", str(port), "--createTableMs", "0",
                               "--deleteTableMs", "0", "--updateTableMs", "0"],
                              directory, scratch, "dynalite")
        if "listening" not in line:
            raise ServiceError(f"dynalite said {line.strip()!r} instead of listening")
        return aws_variables(port, "dynalite-key", "dynalite-secret")


SERVICES = {service.name: service for service in (Postgres(), Moto(), Dynalite())}


def run_command(command, env):
    """Runs the command to its end; a stop signal is passed on to it. Returns its exit status."""
    try:
        child = subprocess.Popen(command, env=env)
    except OSError as error:
        print(f"run_with.py: cannot run {command[0]}: {error}", file=sys.stderr)
        return 127
    try:
        status = child.wait()
    except Stopped as stopped:
        child.send_signal(stopped.signum)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 128 + stopped.signum
    return 128 - status if status < 0 else status


def main(argv):
    if len(argv) == 3 and argv[1] == "--reap":
        reap(argv[2])
        return 0

    parser = argparse.ArgumentParser(
        description="Run COMMAND with throw-away local services; see this file's docstring.",
        usage="%(prog)s [--SERVICE ...] -- COMMAND [ARGS...]")
    for service in SERVICES.values():
        parser.add_argument("--" + service.name, action="store_true", help=service.help)
    if "--" not in argv[1:]:
        parser.error("missing `-- COMMAND`")
    split = argv.index("--", 1)
    options = parser.parse_args(argv[1:split])
    command = argv[split + 1:]
    if not command:
        parser.error("missing COMMAND after --")

    def stop(signum, _frame):
        raise Stopped(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)

    scratch = Scratch.create()
    start_reaper(scratch)
    try:
        env = dict(os.environ)
        for service in SERVICES.values():
            if not getattr(options, service.name):
                continue
            directory = scratch.path / service.name
            directory.mkdir()
            began = time.monotonic()
            try:
                env.update(service.start(directory, scratch))
            except ServiceError as error:
                print(f"run_with.py: {service.name}: {error}", file=sys.stderr)
                return EXIT_SERVICE_FAILED
            print(f"run_with.py: {service.name} ready in {time.monotonic() - began:.1f} s",
                  file=sys.stderr)
        return run_command(command, env)
    except Stopped as stopped:
        return 128 + stopped.signum
    finally:
        # A second Ctrl-C must not cut the teardown short (the reaper would finish it, but later).
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        scratch.teardown()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
