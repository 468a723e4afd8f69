# studyportal — two commands for a newcomer: `make build` (the sample site into output/) and `make test`.
SWIFT ?= swift
SITE ?= .
BIN_DEBUG := .build/debug/studyportal
BIN_RELEASE := .build/release/studyportal
BIN_STATIC := .build-static/release/studyportal

PREFIX ?= /usr/local

.PHONY: build test bootstrap release static debug validate screenshots fuzz sanitize install bench index-cost clean

## Build the sample site in this repo into output/.
build: bootstrap release
	$(BIN_RELEASE) build $(SITE) --strict
	@echo "serve it: python3 -m http.server -d output -b 127.0.0.1 8000   then open http://127.0.0.1:8000/"

## Unit and fixture tests, the oracle and workflow checks, the HTML validator, search in Chromium.
test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test
	scripts/check-oracle.sh
	scripts/check-workflows.sh
	scripts/validate-html.sh $(BIN_DEBUG)
	scripts/e2e-search.sh $(BIN_DEBUG)

## One binary with Swift's runtime linked in (the theme and starter site embedded).
install: static
	install -D -m 0755 $(BIN_STATIC) $(DESTDIR)$(PREFIX)/bin/studyportal
	@echo "installed $(DESTDIR)$(PREFIX)/bin/studyportal"

## Installs what the build needs (Debian's libcmark-dev and libmimalloc-dev) when it is missing.
bootstrap:
	@scripts/bootstrap.sh

release:
	$(SWIFT) build -c release --product studyportal

## The binary `make install` installs (and `make bench` measures).
static:
	@scripts/bootstrap.sh static
	$(SWIFT) build -c release --product studyportal --static-swift-stdlib --scratch-path .build-static

debug:
	$(SWIFT) build --product studyportal

validate: debug
	scripts/validate-html.sh $(BIN_DEBUG)

## Our build against Hugo's on the benchmark corpora (RUNS, SIZES to vary); see docs/benchmarks.md.
bench: static
	scripts/bench.sh

## What building the search index adds to a build (RUNS to vary): against a binary built without it.
index-cost: static
	scripts/index-cost.sh

## Longer fuzzing of the front-matter and Markdown stages (FUZZ_ITERATIONS, FUZZ_SEED to vary).
fuzz:
	FUZZ_ITERATIONS=$${FUZZ_ITERATIONS:-500000} $(SWIFT) test --filter FuzzTests

## The test suite under AddressSanitizer (with leak checking) and ThreadSanitizer.
sanitize:
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp $(SWIFT) test --scratch-path .build-asan -Xswiftc -sanitize=address
	$(SWIFT) test --scratch-path .build-tsan -Xswiftc -sanitize=thread

## Screenshots of the sample site for the README (needs chromium).
screenshots: debug
	scripts/screenshots.sh $(BIN_DEBUG)

clean:
	rm -rf .build .build-static .build-asan .build-tsan
	find output -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
