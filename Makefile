# Leakward: `make run` scans the bundled demo, `make test` runs every test.
# Both install the system libraries with apt-get when they are missing.

SWIFT      ?= swift
BUILD_DIR  ?= .build
RELEASE    := $(BUILD_DIR)/release/leakward
APT_PKGS   := libpcre2-dev libgit2-dev zlib1g-dev libbrotli-dev libdeflate-dev libcurl4-openssl-dev libssl-dev libcrypt-dev pkg-config git python3 brotli
DEMO_DIR   := $(BUILD_DIR)/demo

.PHONY: deps build release run test test-browser bench demo clean rules-check score fuzz sanitize soak realworld dist

deps:
	@bash scripts/install-deps.sh $(APT_PKGS)

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Builds the demo (a small leaky web app plus a git history made by a script), scans it,
# and ends with the demo's rotation plan. Exit code 1 means "found secrets", as intended.
run: release
	@bash testdata/demo/make-demo.sh $(DEMO_DIR)
	@echo "== leakward scan $(DEMO_DIR)/app"
	@$(RELEASE) scan $(DEMO_DIR)/app --no-color; status=$$?; [ $$status -le 1 ] || exit $$status
	@echo
	@echo "== leakward plan $(DEMO_DIR)/app"
	@$(RELEASE) plan $(DEMO_DIR)/app; status=$$?; [ $$status -le 1 ] || exit $$status

test: deps
	@bash scripts/test-setup.sh
	$(SWIFT) build -c release
	LEAKWARD_BIN=$(abspath $(RELEASE)) $(SWIFT) test --disable-xctest
	@bash scripts/browser-test.sh $(abspath $(RELEASE))

# The HTML plan in headless Debian chromium (also the last step of `make test`).
test-browser: deps
	@bash scripts/test-setup.sh
	$(SWIFT) build -c release
	@bash scripts/browser-test.sh $(abspath $(RELEASE))

rules-check: release
	$(RELEASE) rules check

# Recall and precision per category on the labelled corpus (testdata/corpus/truth.tsv).
score: release
	@$(RELEASE) scan testdata/corpus --format json | python3 scripts/corpus-score.py

# Side by side with the peers (../shared/peers/install.sh installs them): a directory of real
# text, then a synthetic long git history. Medians, MiB/s, peak RSS and ratios.
bench: release
	@bash bench/dir-bench.sh $(abspath $(RELEASE))
	@tree=$$(bash bench/monorepo-tree.sh); if [ -n "$$tree" ]; then echo "== JavaScript monorepo (nested .gitignore files)"; \
	  bash bench/dir-bench.sh $(abspath $(RELEASE)) "$$tree"; else echo "(monorepo tree skipped: see bench/monorepo-tree.sh)"; fi
	@bash bench/run.sh $(abspath $(RELEASE))
	@bash bench/large-histories.sh $(abspath $(RELEASE))

clean:
	rm -rf $(BUILD_DIR) dist

# A release tarball for this machine: dist/leakward-VERSION-linux-ARCH.tar.gz and its .sha256.
# The Swift runtime is linked in, so the binary needs only the C libraries (libpcre2-8-0,
# libgit2, libbrotli1, zlib1g). .github/workflows/release.yml runs this on x86_64 and arm64.
dist: deps
	$(SWIFT) build -c release --static-swift-stdlib
	@bash scripts/dist.sh $(RELEASE) dist

# libFuzzer over every parser and decoder: FUZZ_SECONDS per target, corpus in testdata/fuzz/TARGET,
# crashes land in .build-fuzz/crashes/ (turn each into a regression test).
FUZZ_SECONDS ?= 60
fuzz: deps
	@bash scripts/fuzz.sh $(FUZZ_SECONDS)

# The test suite under AddressSanitizer and ThreadSanitizer (slow: not part of `make test`).
# The end-to-end tests run a `leakward` binary built with the same sanitizer, so the CLI and
# its worker threads are checked too, not only the in-process tests. LeakSanitizer is off:
# its only reports are inside Foundation (Process.run, FoundationXML's XPath) as the tests use them.
sanitize: deps
	$(SWIFT) build -c release --sanitize=address --scratch-path .build-asan-bin
	ASAN_OPTIONS=detect_leaks=0:exitcode=86 LEAKWARD_BIN=$(abspath .build-asan-bin/release/leakward) $(SWIFT) test --disable-xctest --sanitize=address --scratch-path .build-asan
	$(SWIFT) build -c release --sanitize=thread --scratch-path .build-tsan-bin
	LEAKWARD_BIN=$(abspath .build-tsan-bin/release/leakward) $(SWIFT) test --disable-xctest --sanitize=thread --scratch-path .build-tsan

# The real-world panel (not part of `make test`; nothing is fetched): see bench/realworld/run.sh.
realworld: release
	@bash bench/realworld/run.sh $(abspath $(RELEASE))

# Scale test: 1M small files and a 100k-commit history (generated once under .build/soak).
soak: release
	@bash bench/soak.sh $(abspath $(RELEASE))
