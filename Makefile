# The two commands of the README, and the steps they are made of.
#   make run   — install what is missing, build, serve http://localhost:8080 with the demo course
#   make test  — install what is missing, build, run every test
# Builds use CMake presets (CMakePresets.json) with Ninja and ccache.

.PHONY: run test soak setup build build-release build-dev build-tsan build-fuzz fuzz web bench bench-instructions package-lambda format clean

JOBS ?= $(shell nproc)

run: setup build-release web
	mkdir -p data
	./build/release/src/practica serve --listen 127.0.0.1:8080 --data-dir data \
	  --web-root web/dist --seed-content content --cookie-secure false

test: setup build-dev build-tsan build-fuzz web
	ctest --preset dev -j $(JOBS)
	ctest --preset tsan -j $(JOBS)
	ctest --preset fuzz -j $(JOBS)

# The long variants of the reliability tests (docs/RELIABILITY.md), one after another; the
# timed ones run for SOAK_MINUTES each.
SOAK_MINUTES ?= 10
SOAK = SOAK_MINUTES=$(SOAK_MINUTES) PRACTICA_BIN=$(CURDIR)/build/dev/src/practica \
  PYTHONDONTWRITEBYTECODE=1 python3 tests/reliability
soak: setup build-dev
	$(SOAK)/mixed_load.py
	$(SOAK)/slowloris.py
	$(SOAK)/idle_connections.py
	$(SOAK)/sigterm_drain.py 20
	$(SOAK)/kill_restart.py 3000
	$(SOAK)/disk_full.py

setup:
	@scripts/setup

# make run and the benchmarks need only the server binary; the tests build in the dev preset.
build-release:
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target practica

build-dev:
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS)

# The tests labelled concurrent (tests/CMakeLists.txt) under ThreadSanitizer, in build/tsan.
build-tsan:
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan -j $(JOBS)

# The libFuzzer targets (docs/FUZZING.md): make test runs each briefly, make fuzz long
# (FUZZ_SECONDS each, default 600).
build-fuzz:
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)

fuzz: setup build-fuzz
	fuzz/run.sh

build: build-release

web:
	npm --prefix web run --silent build

bench: setup build-release web
	bench/lesson_vs_nginx.sh
	bench/auth_overhead.sh
	bench/attempts.sh
	bench/attempts_aws.sh
	cmake --build --preset release --target analytics_bench
	bench/analytics.sh

# Instruction counts under callgrind (slow, but steady on a shared machine).
bench-instructions: setup build-release
	bench/instructions.sh

# dist/lambda-x86_64.zip and dist/lambda-arm64.zip (docs/DEPLOY.md).
package-lambda: setup
	scripts/package-lambda

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build web/dist
