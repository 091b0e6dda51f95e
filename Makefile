# Everything a fresh Debian 12 machine with Swift needs, then build/run/test.
# `make demo` and `make test` are the two commands in the README.

APT_PACKAGES := libcurl4-openssl-dev libssl-dev libsqlite3-dev libpcre2-dev libsimdjson-dev \
	pkg-config openssl chromium chromium-driver python3-selenium python3-pytest \
	python3-kubernetes python3-websocket
# kubectl proves the simulator's wire format. Debian's kubernetes-client conflicts with an
# existing kubectl, so it is only installed where none exists.
PYTHON := /usr/bin/python3
SWIFT_BUILD_FLAGS ?=
BIN := .build/debug/kubeluma

.PHONY: deps build demo test test-swift test-python bench bench-quick clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if ! command -v kubectl >/dev/null 2>&1; then missing="$$missing kubernetes-client"; fi; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

demo: build
	$(BIN) demo $(DEMO_FLAGS)

test: deps test-swift bench-quick test-python

test-swift:
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build $(SWIFT_BUILD_FLAGS)

# Real clients (kubectl, the Python kubernetes client) against the simulator, and the UI in a
# real browser. `timeout` so a hung browser cannot eat CI's time.
test-python: build
	KUBELUMA_BIN=$(CURDIR)/$(BIN) timeout 1200 $(PYTHON) -m pytest -q -p no:cacheprovider \
		$(wildcard Tests/fidelity Tests/browser)

# The performance budget at 10,000 pods, release build, with kubectl and the Python client as peers.
bench: deps
	swift build -c release
	$(PYTHON) bench/bench.py --bin $(CURDIR)/.build/release/kubeluma

# The same harness at small scale on the debug build, so it cannot rot (part of `make test`).
bench-quick: build
	timeout 600 $(PYTHON) bench/bench.py --quick --bin $(CURDIR)/$(BIN) --json $(CURDIR)/bench-results/quick.json

clean:
	rm -rf .build
