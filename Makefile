# PODPusher — two commands do all the set-up on a fresh Debian machine with the Swift toolchain:
#   make run    build and open the terminal UI
#   make test   build and run every test (unit, store, screen, end-to-end in a real pty)
SWIFT      ?= swift
CONFIG     ?= debug
BIN         = .build/$(CONFIG)/podpusher
APT_PKGS    = libncursesw5-dev libsqlite3-dev libcurl4-openssl-dev pkg-config tmux python3
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build release deps unit e2e bench bench-sync clean

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
	$(SWIFT) build -c release --static-swift-stdlib

run: build
	$(BIN) $(ARGS)

unit: build
	$(SWIFT) test

e2e: build
	PODPUSHER_BIN=$(abspath $(BIN)) python3 -m pytest -q Tests/EndToEnd

test: deps
	$(SWIFT) build -c $(CONFIG)
	$(SWIFT) test
	PODPUSHER_BIN=$(abspath $(BIN)) python3 -m pytest -q Tests/EndToEnd

bench: release
	.build/release/podpusher bench $(ARGS)

# The sync push rate against a local provider that enforces a per-second limit.
bench-sync: release
	python3 Benchmarks/sync_rate.py $(ARGS)

clean:
	rm -rf .build
