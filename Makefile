# The portal's two commands: `make run` (serve on the embedded SQLite default) and `make test`.
# Both install what is missing first; nothing here downloads a prebuilt binary.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
# Must equal the `wasm-bindgen = "=X"` pin in Cargo.toml.
WASM_BINDGEN_VERSION := 0.2.130
BINARYEN_VERSION := 132
E2E_ADDR ?= 127.0.0.1:3107
# The fake weather service and thumbnail host of the browser tests.
E2E_FAKES_PORT ?= 3108

.PHONY: run build test lint unit e2e bench tools e2e-tools

run: build
	LEPTOS_ENV=PROD ./target/release/server

build: tools
	@# --split: the whole app (officials' code among it) goes into a wasm chunk that citizens'
	@# reading pages never load (they hydrate islands only). The server makes
	@# brotli and gzip copies of the assets itself when it starts (server/src/precompress.rs).
	cargo leptos build --release --split

test: tools e2e-tools lint unit e2e

lint:
	cargo fmt --all --check
	@# leptos_meta writes a <Title>'s text unescaped: titles go through PageTitle, which escapes.
	@! grep -rnE '<Title[ />]|leptos_meta::Title' app/src --include=*.rs | grep -v '^app/src/components/page_meta.rs:' \
	  || { echo 'use components::page_meta::PageTitle, not leptos_meta::Title'; exit 1; }
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

unit:
	cargo test -p app --features ssr
	cargo test -p server

# Browser tests: the release build on its own port and a fresh database with an editor and an
# admin added from the command line (random passwords), driven by Playwright in Debian's Chromium.
e2e: build
	@set -euo pipefail; \
	data=$$(mktemp -d); \
	export E2E_EDITOR_PASSWORD=$$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'); \
	export E2E_ADMIN_PASSWORD=$$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'); \
	echo "$$E2E_EDITOR_PASSWORD" | PORTAL_DATA_DIR=$$data ./target/release/server user add \
	  --role editor --name 'Trần Thị Biên' bientap; \
	echo "$$E2E_ADMIN_PASSWORD" | PORTAL_DATA_DIR=$$data ./target/release/server user add \
	  --role admin --name 'Lê Văn Trị' quantri; \
	node end2end/fake-services.mjs $(E2E_FAKES_PORT) & fakes=$$!; \
	for i in $$(seq 1 50); do curl -fs -o /dev/null http://127.0.0.1:$(E2E_FAKES_PORT)/v1/forecast && break; sleep 0.1; done; \
	PORTAL_DATA_DIR=$$data LEPTOS_SITE_ADDR=$(E2E_ADDR) LEPTOS_ENV=PROD RUST_LOG=warn \
	  PORTAL_WEATHER_URL=http://127.0.0.1:$(E2E_FAKES_PORT) \
	  PORTAL_YOUTUBE_THUMBNAIL_URL=http://127.0.0.1:$(E2E_FAKES_PORT) \
	  ./target/release/server > $$data/server.log 2>&1 & pid=$$!; \
	trap 'kill $$pid $$fakes 2>/dev/null; wait $$pid 2>/dev/null; rm -rf $$data' EXIT; \
	end2end/wait-for-assets.sh target/site/pkg; \
	cd end2end && PORTAL_URL=http://$(E2E_ADDR) node run.mjs || { tail -n 50 $$data/server.log; exit 1; }

# Throughput and memory of the release server on loopback (figures, not a pass/fail test).
bench: build e2e-tools
	@command -v wrk >/dev/null && command -v sqlite3 >/dev/null && command -v bc >/dev/null && \
	  command -v python3 >/dev/null && command -v nginx >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk sqlite3 bc python3 nginx; }
	@# Lighthouse (phase 8), from npm, driving Debian's Chromium.
	cd bench && npm install --no-audit --no-fund --silent
	bash bench/run.sh

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q " $(CARGO_LEPTOS_VERSION)$$" || \
	  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	  cargo install --locked cargo-leptos --version $(CARGO_LEPTOS_VERSION) --features no_downloads
	@# Not --locked: its lockfile names a crate version the registry no longer serves.
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" || \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force
	@# Debian's binaryen is too old (its wasm-opt breaks the wasm); npm's is current.
	@wasm-opt --version 2>/dev/null | grep -q "version $(BINARYEN_VERSION) " || \
	  npm install -g binaryen@$(BINARYEN_VERSION).0.0

e2e-tools:
	@command -v chromium >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@cd end2end && { [ -d node_modules/@playwright/test ] || npm ci --no-audit --no-fund; }
