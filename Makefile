# Leakward: `make run` scans the bundled demo, `make test` runs every test.
# Both install the system libraries with apt-get when they are missing.

SWIFT      ?= swift
BUILD_DIR  ?= .build
RELEASE    := $(BUILD_DIR)/release/leakward
APT_PKGS   := libpcre2-dev libgit2-dev zlib1g-dev libbrotli-dev pkg-config git python3
DEMO_DIR   := $(BUILD_DIR)/demo

.PHONY: deps build release run test bench demo clean rules-check fuzz sanitize soak

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

rules-check: release
	$(RELEASE) rules check

bench: release
	@bash bench/run.sh $(abspath $(RELEASE))

clean:
	rm -rf $(BUILD_DIR)
