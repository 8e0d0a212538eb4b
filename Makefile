# PODPusher — two commands do all the set-up on a fresh Debian machine with the Swift toolchain:
#   make run    build and open the terminal UI
#   make test   build and run every test (unit, store, screen, end-to-end in a real pty)
SWIFT      ?= swift
CONFIG     ?= debug
BIN         = .build/$(CONFIG)/podpusher
APT_PKGS    = libncursesw5-dev libsqlite3-dev libcurl4-openssl-dev libxml2 pkg-config tmux python3
# The parsers of outside data, fuzzed by `make fuzz` (Tests/Fuzz).
FUZZ_TARGETS = listings trends rss config providers
FUZZ_SECONDS ?= 600
FUZZ_RUNS    ?= 3000
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build release deps unit e2e fuzz fuzz-replay bench bench-sync clean

# Installs only what is missing; a no-op once everything is there.
deps:
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@python3 -c "import pytest" 2>/dev/null || python3 -m pip install -q pytest

build: deps
	$(SWIFT) build -c $(CONFIG)

release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product podpusher

run: build
	$(BIN) $(ARGS)

unit: build
	$(SWIFT) test

e2e: build
	PODPUSHER_BIN=$(abspath $(BIN)) python3 -m pytest -q Tests/EndToEnd

test: deps
	$(SWIFT) build -c $(CONFIG)
	$(SWIFT) test
	$(MAKE) --no-print-directory fuzz-replay
	PODPUSHER_BIN=$(abspath $(BIN)) python3 -m pytest -q Tests/EndToEnd

# Each fuzz target's kept corpus and crashers replayed, then FUZZ_RUNS seeded mutations of
# them (no libFuzzer needed: the plain build of the harness).
fuzz-replay:
	$(SWIFT) build -c $(CONFIG) --product PODFuzz
	@for t in $(FUZZ_TARGETS); do \
	  .build/$(CONFIG)/PODFuzz $$t --runs $(FUZZ_RUNS) Tests/Fuzz/corpus/$$t Tests/Fuzz/crashers/$$t || exit 1; \
	done

# Coverage-guided fuzzing with libFuzzer, FUZZ_SECONDS per target (default 10 minutes). New
# inputs gather in .build-fuzz/corpus; a crash leaves its input in Tests/Fuzz/crashers/TARGET/
# (keep it: `make test` replays it from then on).
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz --product PODFuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link \
	  -Xlinker --undefined=LLVMFuzzerRunDriver -Xlinker --export-dynamic-symbol=LLVMFuzzerRunDriver
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t Tests/Fuzz/crashers/$$t; \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  .build-fuzz/debug/PODFuzz $$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=Tests/Fuzz/crashers/$$t/ .build-fuzz/corpus/$$t Tests/Fuzz/corpus/$$t || exit 1; \
	done

bench: release
	.build/release/podpusher bench $(ARGS)

# The sync push rate against a local provider that enforces a per-second limit.
bench-sync: release
	python3 Benchmarks/sync_rate.py $(ARGS)

clean:
	rm -rf .build
