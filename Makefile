# labcheck's tasks. Each target is a thin wrapper over Go commands;
# `make help` lists them.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo v0.1.0-dev)
LDFLAGS  := -s -w -X github.com/labcheck/labcheck/internal/cli.Version=$(VERSION)
BINDIR   ?= bin

.DEFAULT_GOAL := help
.PHONY: help build test lint golden golden-policies golden-reports bench fuzz demo clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## Build bin/labcheck and bin/labcheck-verify (the dynamic phase, which labcheck verify runs from beside itself)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BINDIR)/ ./cmd/labcheck ./cmd/labcheck-verify

test: ## Run every test: Go unit, Rego, golden end-to-end (offline, no cluster)
	$(GO) test ./...

STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint: ## gofmt, go vet, staticcheck (fetched by version), and the Rego policies' own checks
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo 'gofmt: files above need formatting'; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	$(GO) test -run 'TestRego|TestEveryRuleHasTests|TestRuleMetadata|TestPoliciesFormatted' ./policies/

golden: golden-policies golden-reports ## Rewrite every golden file (each step is its own target, so each diff is reviewed on its own)

golden-policies: ## Rewrite policies/index.json after a policy change (review the diff!)
	$(GO) test ./policies/ -run TestIndexIsCurrent -update

golden-reports: ## Rewrite the fixtures' golden reports, the format goldens and docs/rules.md (review the diff!)
	$(GO) test ./internal/cli/ -run 'TestFixtures|TestFormatsGolden|TestRulesReferenceIsCurrent' -update

bench: ## Benchmarks: policy compiling, the static phase in-process, Kubernetes scaling, then cold runs against conftest + helm (installed by version into /tmp), the cache hit and grade throughput
	$(GO) test -run '^$$' -bench . -benchtime 20x ./internal/engine/
	$(GO) test -run '^$$' -bench . -benchtime 20x ./internal/cli/
	$(GO) test -run '^$$' -bench KubernetesScaling -benchtime 3x ./internal/check/
	@bash scripts/bench-peers.sh

fuzz: ## Fuzz the parsers for a minute each
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./internal/parse/dockerfile/
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./internal/parse/manifest/
	$(GO) test -run '^$$' -fuzz FuzzOversized -fuzztime 60s ./internal/render/

demo: build ## Check the bundled full-marks submission
	./$(BINDIR)/labcheck fixtures/passing/labs

clean: ## Remove build output
	rm -rf $(BINDIR)

-include test/e2e/e2e.mk
