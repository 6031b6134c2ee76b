"""The Lambda zips of scripts/package-lambda, unpacked as Lambda unpacks them into /var/task: what is
in them, what glibc they need, where their libraries come from, and `bootstrap` end to end against
the fake Runtime API (fake_runtime_api.py), with the SQLite store and the drills course. X86_64Test
runs the x86_64 zip natively; Arm64Test runs the arm64 zip under qemu-user (qemu-aarch64 -L with
the cross toolchain's glibc), and is skipped when the cross compiler or qemu-user is not installed
(the first `scripts/package-lambda --arch arm64` installs both).

Each zip is made afresh by running scripts/package-lambda into a temporary folder: the script's
builds (build/lambda, build/lambda-arm64) are incremental, so this costs seconds once they exist,
and about two and a half minutes each on two cores the first time (less with ccache).
PRACTICA_LAMBDA_DIST names a folder of zips made beforehand instead.

provided.al2023 has glibc 2.34 and nothing of Debian's, so: no ELF in the zip may need a GLIBC_
symbol version newer than 2.34, and every library the process loads that is not glibc's must be
one of the zip's (the machine running this test has Debian's copies of all of them: a zip that
leaned on them would pass here and fail on Lambda).
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import zipfile
from pathlib import Path

from fake_runtime_api import FakeRuntimeApi
from test_lambda_runtime import http_api_event, http_response

SOURCE_DIR = Path(os.environ.get("PRACTICA_SOURCE_DIR", Path(__file__).resolve().parents[2]))
DRILLS = SOURCE_DIR / "tests" / "integration" / "fixtures" / "drills"
MAX_ZIP_BYTES = 10 * 1000 * 1000
NEWEST_GLIBC = (2, 34)  # provided.al2023
# What Lambda's provided.al2023 puts in the environment of bootstrap (besides its own variables).
LAMBDA_LD_LIBRARY_PATH = "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:" \
                         "/var/task:/var/task/lib:/opt/lib"
GLIBC_LIBRARY = re.compile(r"^(libc|libm|libmvec|libpthread|libdl|librt|libresolv|libutil|libanl|"
                           r"libBrokenLocale|libnss_\w+|libthread_db)\.so\.\d+$|^ld-linux[-\w.]*\.so\.\d+$")


def is_elf(path):
    with open(path, "rb") as f:
        return f.read(4) == b"\x7fELF"


def glibc_versions(path, objdump="objdump"):
    """{(major, minor[, patch]): [symbols]} of the GLIBC_ versions an ELF file needs (objdump -T)."""
    out = subprocess.run([objdump, "-T", str(path)], capture_output=True, text=True,
                         check=True).stdout
    needed = {}
    for line in out.splitlines():
        match = re.search(r"\*UND\*\s+\S+\s+(?:\S+\s+)?\(?GLIBC_([\d.]+)\)?\s+(\S+)$", line)
        if match:
            version = tuple(int(part) for part in match.group(1).split("."))
            needed.setdefault(version, []).append(match.group(2))
    return needed


class PackageChecks:
    """The checks of one architecture's zip; the subclasses below say which."""
    ARCH = None
    OBJDUMP = "objdump"
    QEMU = []  # the command that runs the zip's ELF files on this machine, before their own

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="practica-package-"))
        given = os.environ.get("PRACTICA_LAMBDA_DIST")
        if given:
            cls.zip = Path(given) / f"lambda-{cls.ARCH}.zip"
        else:
            started = time.monotonic()
            subprocess.run([SOURCE_DIR / "scripts" / "package-lambda", "--arch", cls.ARCH,
                            "--out", cls.tmp / "dist",
                            "--jobs", os.environ.get("PRACTICA_PACKAGE_JOBS", "2")], check=True)
            print(f"package-lambda --arch {cls.ARCH} took {time.monotonic() - started:.1f} s")
            cls.zip = cls.tmp / "dist" / f"lambda-{cls.ARCH}.zip"
        # As Lambda does: the zip's files in /var/task (here a temporary folder), modes kept.
        cls.task = cls.tmp / "task"
        with zipfile.ZipFile(cls.zip) as archive:
            archive.extractall(cls.task)
            for info in archive.infolist():
                os.chmod(cls.task / info.filename, info.external_attr >> 16 & 0o777)
        cls.bootstrap = cls.task / "bootstrap"
        cls.elves = sorted(p for p in cls.task.rglob("*") if p.is_file() and is_elf(p))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def command(self, args, env):
        """(argv, environment) that run the unpacked bootstrap with `args` in `env` on this
        machine. Under qemu the loader's variables go to the guest only (-E), not to qemu."""
        if not self.QEMU:
            return [str(self.bootstrap), *args], env
        loader = [arg for k, v in env.items() if k.startswith("LD_") for arg in ("-E", f"{k}={v}")]
        rest = {k: v for k, v in env.items() if not k.startswith("LD_")}
        return [*self.QEMU, *loader, str(self.bootstrap), *args], rest

    def test_the_zip_is_the_binary_and_its_libraries(self):
        self.assertLessEqual(self.zip.stat().st_size, MAX_ZIP_BYTES)
        names = sorted(str(p.relative_to(self.task)) for p in self.task.rglob("*") if p.is_file())
        self.assertEqual(names[0], "bootstrap")
        self.assertTrue(all(re.fullmatch(r"lib/[\w.+-]+\.so(\.\d+)*", n) for n in names[1:]), names)
        self.assertIn("lib/libpq.so.5", names)
        # The binary itself, not a script that starts it, stripped, executable by all.
        self.assertTrue(is_elf(self.bootstrap))
        self.assertEqual(self.bootstrap.stat().st_mode & 0o755, 0o755)
        self.assertNotIn(".symtab", subprocess.run(["readelf", "-S", str(self.bootstrap)],
                                                   capture_output=True, text=True).stdout)
        # No part of glibc: the host's is used.
        glibc = [n for n in names if GLIBC_LIBRARY.match(Path(n).name)]
        self.assertEqual(glibc, [])
        dynamic = subprocess.run(["readelf", "-d", str(self.bootstrap)], capture_output=True,
                                 text=True, check=True).stdout
        self.assertIn("(RPATH)              Library rpath: [$ORIGIN/lib]", dynamic)

    def test_no_elf_needs_a_glibc_newer_than_2_34(self):
        self.assertGreater(len(self.elves), 1)
        newest = (0,)
        for path in self.elves:
            needed = glibc_versions(path, self.OBJDUMP)
            with self.subTest(path.name):
                too_new = {".".join(map(str, v)): s for v, s in needed.items() if v > NEWEST_GLIBC}
                self.assertEqual(too_new, {}, f"{path.name} needs symbols from a glibc newer "
                                 "than provided.al2023's 2.34")
            newest = max([newest, *needed])
        print(f"{self.ARCH}: newest GLIBC_ version needed: " + ".".join(map(str, newest)))

    def test_every_library_but_glibc_is_found_in_the_zip(self):
        # What ldd does, with nothing else in the environment: the loader lists what it would load
        # through the binary's RPATH and the default folders.
        argv, env = self.command([], {"LD_TRACE_LOADED_OBJECTS": "1"})
        listing = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout
        loaded = dict(re.findall(r"^\s*(\S+) => (\S+)", listing, re.M))
        self.assertIn("libpq.so.5", loaded)
        self.assertEqual(self.outside_the_zip(loaded), {}, listing)

    def outside_the_zip(self, libraries):
        """{name: path} of the non-glibc libraries that were not found in the zip's lib/."""
        lib = self.task / "lib"
        return {name: path for name, path in libraries.items()
                if not GLIBC_LIBRARY.match(name) and Path(path).parent != lib}

    def test_bootstrap_serves_an_invocation_and_stops_on_sigterm(self):
        api = FakeRuntimeApi()
        data = self.tmp / "data"
        # Lambda's environment, not this machine's: no PATH of ours, its LD_LIBRARY_PATH.
        env = {"AWS_LAMBDA_RUNTIME_API": api.address, "LD_LIBRARY_PATH": LAMBDA_LD_LIBRARY_PATH,
               "LAMBDA_TASK_ROOT": str(self.task), "TZ": ":UTC",
               "PRACTICA_DATA_DIR": str(data), "PRACTICA_SEED_CONTENT": str(DRILLS)}
        argv, env = self.command([], env)
        process = subprocess.Popen(argv, cwd=self.task, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            status, headers, _, body = http_response(
                api.call(http_api_event("GET", "/api/courses"), timeout=30))
            self.assertEqual(status, 200, body)
            self.assertIn(b'"slug":"drills"', body)
            self.assertEqual(headers["content-type"], ["application/json"])

            if not self.QEMU:  # (under qemu, the maps are qemu's own as well)
                # What the running process has mapped: every shared object but glibc's is the
                # zip's.
                maps = Path(f"/proc/{process.pid}/maps").read_text()
                mapped = {Path(p).name: p
                          for p in re.findall(r"\s(/\S+\.so[.\d]*)$", maps, re.M)}
                self.assertIn("libpq.so.5", mapped)
                self.assertEqual(self.outside_the_zip(mapped), {}, maps)

            api.wait_until_waiting()
            process.send_signal(signal.SIGTERM)
            self.assertEqual(process.wait(10), 0)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            output = process.stdout.read()
            process.stdout.close()
            api.close()
        self.assertIn('"msg":"lambda runtime ready"', output)

    def test_a_bad_configuration_is_an_init_error(self):
        api = FakeRuntimeApi()
        env = {"AWS_LAMBDA_RUNTIME_API": api.address, "LD_LIBRARY_PATH": LAMBDA_LD_LIBRARY_PATH,
               "PRACTICA_DATA_DIR": str(self.tmp / "data-bad"), "PRACTICA_SEED_CONTENT": "",
               "PRACTICA_CONTENT_STORE": "mongodb:nope"}
        try:
            argv, env = self.command([], env)
            done = subprocess.run(argv, cwd=self.task, env=env, capture_output=True, text=True,
                                  timeout=30)
            self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
            error = api.init_errors.get(timeout=5).json()
            self.assertEqual(error["errorType"], "Practica.Invalid")
            self.assertIn("PRACTICA_CONTENT_STORE", error["errorMessage"])
        finally:
            api.close()

    def test_exceptions_unwind(self):
        # CLI11 reports a bad option by throwing: this unwinds through the replacement of glibc's
        # _dl_find_object that cmake/lambda/glibc_compat.c links in. Were it wrong, the exception
        # would find no handler and the process would abort (SIGABRT, a negative return code).
        argv, env = self.command(["lambda", "--no-such-option"], {})
        done = subprocess.run(argv, cwd=self.task, env=env, capture_output=True, text=True,
                              timeout=30)
        self.assertGreater(done.returncode, 0, done.stderr)
        self.assertIn("--no-such-option", done.stdout + done.stderr)


class X86_64Test(PackageChecks, unittest.TestCase):
    ARCH = "x86_64"


class Arm64Test(PackageChecks, unittest.TestCase):
    ARCH = "arm64"
    OBJDUMP = "aarch64-linux-gnu-objdump"
    # The cross toolchain's glibc stands in for AL2023's (both are only the C library).
    QEMU = ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]

    @classmethod
    def setUpClass(cls):
        missing = [t for t in ("aarch64-linux-gnu-g++", "qemu-aarch64") if not shutil.which(t)]
        if missing:
            raise unittest.SkipTest(f"{', '.join(missing)} not installed: run "
                                    "scripts/package-lambda --arch arm64 once (it installs them)")
        super().setUpClass()


if __name__ == "__main__":
    unittest.main()
