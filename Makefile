# The README's commands, spelled once.
GO ?= go

.PHONY: test bench build run fuzz

build:
	$(GO) build -o bin/danvan ./cmd/danvan

run:
	$(GO) run ./cmd/danvan dev

# The test command (README, .ci/run): every package, real Postgres.
test:
	$(GO) test -count=1 -timeout 40m ./...

# Performance goals live here, not in timed tests.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./cite/ ./search/... ./worker/

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzExtract -fuzztime 5m ./cite/
