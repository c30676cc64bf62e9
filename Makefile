# The README's commands, spelled once.
GO ?= go

.PHONY: test bench bench-quick bench-go build run fuzz

build:
	$(GO) build -o bin/danvan ./cmd/danvan

run:
	$(GO) run ./cmd/danvan dev

# The test command (README, .ci/run): every package, real Postgres.
test:
	$(GO) test -count=1 -timeout 40m ./...

# Performance goals live here, not in timed tests. `make bench` measures the
# real default (the built binary's `danvan dev`) against references in the
# same run and writes bench/results.json (see bench/README.md); up to 40
# minutes on 2 cores. `make bench-quick` runs every figure at a tenth of its
# size in a few minutes.
bench: build
	$(GO) run ./cmd/danvan-bench -bin bin/danvan -o bench/results.json

bench-quick: build
	$(GO) run ./cmd/danvan-bench -bin bin/danvan -quick -o bench/results.json

# The Go micro-benchmarks of single packages.
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./cite/ ./search/... ./worker/

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzExtract -fuzztime 5m ./cite/
