# pleskgo: the two commands that matter are `make generate` and `make test`.
GO ?= go
VERSIONS := 1.6.6.0 1.6.7.0 1.6.8.0 1.6.9.0 1.6.9.1
FUZZTIME ?= 10s

.PHONY: generate test test-cold race check bench fuzz fuzz-ci vet lint

generate:
	@for v in $(VERSIONS); do \
		p=plesk$$(echo $$v | tr -d .); \
		[ -f schemas/$$v/agent_input.xsd ] || continue; \
		$(GO) run ./cmd/pleskgen -schemas schemas/$$v -out generated/$$p -package $$p || exit 1; \
	done
	$(GO) generate ./rpc/plesktest/internal/dnsdemo
	$(GO) run ./cmd/pleskgen -schemas schemas/1.6.9.1 -out rpc/plesktest/internal/fakeproto -package fakeproto -operators customer,webspace,database,db_server,migration,ip

vet:
	$(GO) vet ./...

# The timeout is per test binary: generous, because a brand-new machine
# compiles every dependency first (see test-cold).
test: vet
	$(GO) test -count=1 -timeout 20m ./...

# test-cold is make test as a brand-new machine meets it: empty module and
# build caches (in a temporary folder, removed afterwards), the Go module
# proxy reachable, nothing else.
test-cold:
	@d=$$(mktemp -d); trap 'chmod -R u+w "$$d"; rm -rf "$$d"' EXIT; \
		GOMODCACHE=$$d/mod GOCACHE=$$d/build $(MAKE) test

# race runs the runtime's packages under the race detector, in -short mode:
# the volume tests (hostile bodies of many megabytes) run without it in
# make test. The generated packages and the fake, which builds all of them,
# stay out: they are slow to build with -race and share no state of their own.
race:
	$(GO) test -count=1 -short -race ./rpc ./rpc/rpcimpl ./rpc/internal/...

check: generate
	@test -z "$$(git status --porcelain -- generated rpc/plesktest/internal/dnsdemo rpc/plesktest/internal/fakeproto)" || { git status --short -- generated rpc/plesktest/internal/dnsdemo rpc/plesktest/internal/fakeproto; git diff --stat -- generated rpc/plesktest/internal/dnsdemo rpc/plesktest/internal/fakeproto; \
		echo "generated/ or rpc/plesktest/internal/{dnsdemo,fakeproto} differs from make generate: regenerate and commit"; exit 1; }
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: vet
	$(GO) run $(STATICCHECK) ./...

# bench prints the table of docs/benchmarks.md: each figure as a ratio
# against its yardstick, both measured in the same run (about a minute).
bench:
	$(GO) run ./internal/benchtable -go $(GO)

# fuzz runs every fuzz target of the module (go test -list '^Fuzz'), one
# after the other, each for $(FUZZTIME), and prints a summary. A crasher is
# written to the package's testdata/fuzz/<Fuzz>/: keep it and name a
# regression test after it. fuzz-ci is what CI runs: 10 s each.
fuzz:
	$(GO) run ./internal/fuzzrun -go $(GO) -fuzztime $(FUZZTIME) ./...

fuzz-ci:
	$(GO) run ./internal/fuzzrun -go $(GO) -fuzztime 10s ./...

# api-changes writes pleskgen diff's report on each pair of consecutive
# versions to docs/api-changes/OLD..NEW.txt; check-api-changes (part of
# check) fails when a report differs from the reviewed one in git.
.PHONY: api-changes check-api-changes
api-changes:
	@mkdir -p docs/api-changes
	@set -- $(VERSIONS); while [ $$# -ge 2 ]; do \
		$(GO) run ./cmd/pleskgen diff schemas/$$1 schemas/$$2 > docs/api-changes/$$1..$$2.txt || exit 1; \
		shift; \
	done

check-api-changes: api-changes
	@test -z "$$(git status --porcelain -- docs/api-changes)" || { git status --short -- docs/api-changes; git diff -- docs/api-changes; \
		echo "docs/api-changes differs from pleskgen diff: review the reports and commit them"; exit 1; }

check: check-api-changes
