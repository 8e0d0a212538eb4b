# PODPusher — two commands do all the set-up on a fresh Debian machine with the Swift toolchain:
#   make run    build and open the terminal UI
#   make test   build and run every test (unit, store, screen, end-to-end in a real pty)
SWIFT      ?= swift
CONFIG     ?= debug
BIN         = .build/$(CONFIG)/podpusher
APT_PKGS    = libncursesw5-dev libsqlite3-dev libcurl4-openssl-dev libxml2 libvips42 libchafa0 fonts-dejavu-core pkg-config tmux python3
# The parsers of outside data, fuzzed by `make fuzz` (Tests/Fuzz).
FUZZ_TARGETS = listings trends rss config providers
FUZZ_SECONDS ?= 600
FUZZ_RUNS    ?= 3000
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# `podpusher --version` names the commit it was built from (Package.swift reads this).
export PODPUSHER_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null)
VERSION     = $(shell sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/podpusher/Commands.swift)
# make install: the release build into PREFIX (DESTDIR for packaging); CONFIG=debug for tests.
PREFIX     ?= /usr/local
INSTALL_CONFIG = $(if $(filter command line,$(origin CONFIG)),$(CONFIG),release)
SHARE       = $(DESTDIR)$(PREFIX)/share

.PHONY: run test build release deps unit e2e lint format fuzz fuzz-replay bench bench-sync clean install uninstall deb resources

# Installs only what is missing; a no-op once everything is there.
deps:
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@python3 -c "import pytest, pyte" 2>/dev/null || python3 -m pip install -q pytest pyte

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

# The style (.swift-format, the toolchain's `swift format`) and the layers of DESIGN.md §1.
FORMAT_PATHS = Package.swift Sources Tests/PODAppTests Tests/PODCoreTests Tests/PODStoreTests Tests/PODSyncTests Tests/PODMediaTests \
               Tests/TerminalUITests Tests/TerminalCursesTests Tests/Fuzz/PODFuzz
CHECK_LAYERS ?= ../shared/tools/check-layers
lint:
	$(SWIFT) format lint --strict --configuration .swift-format -r $(FORMAT_PATHS)
	@if [ -x "$(CHECK_LAYERS)" ]; then $(CHECK_LAYERS); else echo "lint: $(CHECK_LAYERS) not here; layers not checked"; fi

# Rewrites the sources in the style `make lint` checks.
format:
	$(SWIFT) format format -i --configuration .swift-format -r $(FORMAT_PATHS)

test: deps
	$(MAKE) --no-print-directory lint
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
# (keep it: `make test` replays it from then on). Swift's own backtracer is off, so that
# libFuzzer's crash handler writes the input.
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz --product PODFuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link \
	  -Xlinker --undefined=LLVMFuzzerRunDriver -Xlinker --export-dynamic-symbol=LLVMFuzzerRunDriver
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t Tests/Fuzz/crashers/$$t; \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no .build-fuzz/debug/PODFuzz $$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=Tests/Fuzz/crashers/$$t/ .build-fuzz/corpus/$$t Tests/Fuzz/corpus/$$t || exit 1; \
	done

bench: release
	.build/release/podpusher bench $(ARGS)

# The sync push rate against a local provider that enforces a per-second limit.
bench-sync: release
	python3 Benchmarks/sync_rate.py $(ARGS)

# The binary, its locales and themes, a man page and bash/zsh/fish completions.
install: deps
	$(SWIFT) build -c $(INSTALL_CONFIG) $(if $(filter release,$(INSTALL_CONFIG)),--static-swift-stdlib) --product podpusher
	$(SWIFT) build --product generate-manual
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/podpusher/Locales $(SHARE)/podpusher/Themes $(SHARE)/man/man1 \
	  $(SHARE)/bash-completion/completions $(SHARE)/zsh/site-functions $(SHARE)/fish/vendor_completions.d
	install -m 755 .build/$(INSTALL_CONFIG)/podpusher $(DESTDIR)$(PREFIX)/bin/podpusher
	install -m 644 Locales/*.json $(SHARE)/podpusher/Locales/
	install -m 644 Themes/*.toml $(SHARE)/podpusher/Themes/
	.build/debug/generate-manual $(DESTDIR)$(PREFIX)/bin/podpusher --authors PODPusher -o $(SHARE)/man/man1
	$(DESTDIR)$(PREFIX)/bin/podpusher --generate-completion-script bash > $(SHARE)/bash-completion/completions/podpusher
	$(DESTDIR)$(PREFIX)/bin/podpusher --generate-completion-script zsh > $(SHARE)/zsh/site-functions/_podpusher
	$(DESTDIR)$(PREFIX)/bin/podpusher --generate-completion-script fish > $(SHARE)/fish/vendor_completions.d/podpusher.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/podpusher $(SHARE)/man/man1/podpusher.1 $(SHARE)/bash-completion/completions/podpusher \
	  $(SHARE)/zsh/site-functions/_podpusher $(SHARE)/fish/vendor_completions.d/podpusher.fish
	rm -rf $(SHARE)/podpusher

# A Debian package of the release build (CONFIG=debug for a quick one in tests), its library
# dependencies read from the binary (libcurl and libxml2, opened at run time, named too).
deb:
	rm -rf .build-deb
	$(MAKE) --no-print-directory install DESTDIR=$(abspath .build-deb/root) PREFIX=/usr $(if $(filter command line,$(origin CONFIG)),CONFIG=$(CONFIG))
	mkdir -p .build-deb/root/DEBIAN
	@deps=$$(ldd .build-deb/root/usr/bin/podpusher | awk '/=> \//{print $$3}' \
	  | while read f; do dpkg -S "$$f" 2>/dev/null || dpkg -S "$$(realpath "$$f")" 2>/dev/null; done \
	  | cut -d: -f1 | sort -u | while read p; do echo "$$p (>= $$(dpkg-query -W -f='$${Version}' $$p | sed 's/-[^-]*$$//'))"; done | paste -sd, - | sed 's/,/, /g'); \
	printf '%s\n' "Package: podpusher" "Version: $(VERSION)" "Architecture: $$(dpkg --print-architecture)" \
	  "Maintainer: PODPusher <podpusher@users.noreply.github.com>" "Section: utils" "Priority: optional" \
	  "Depends: $$deps, libcurl4 | libcurl3-gnutls, libxml2" \
	  "Description: print-on-demand shop desk for the terminal" \
	  " Trends, niches, seasonal moments and Etsy listings that pass Etsy's rules, composed with" \
	  " the keyboard and synced to Etsy and Printify." > .build-deb/root/DEBIAN/control
	dpkg-deb --root-owner-group --build .build-deb/root podpusher_$(VERSION)_$$(dpkg --print-architecture).deb

# Regenerates the copies of Locales/ and Themes/ built into the binary.
resources:
	tools/embed-resources

clean:
	rm -rf .build
