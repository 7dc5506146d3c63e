# Makefile fragment for labcheck's end-to-end test in an offline kind cluster
# (included by the root Makefile). See test/e2e/README.md.
E2E_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

.PHONY: e2e-env e2e e2e-verify e2e-clean

e2e-env: ## Build the offline kind environment (node image, MinIO image, the Go and curl images the verify recipe names) into ~/.cache/labcheck-e2e; cold 30-50 min, then seconds
	@bash $(E2E_MK_DIR)/env.sh
	@bash $(E2E_MK_DIR)/images.sh >/dev/null

e2e: ## Run the e2e smoke test: kind cluster from the local node image, 4 MinIO pods Ready, S3 write+read, teardown
	@bash $(E2E_MK_DIR)/run.sh

e2e-verify: ## labcheck verify end to end in the offline environment (after e2e-env): full marks, broken variants explained fast, Ctrl-C and kill -9 clean up; ~21 min (see test/e2e/README.md)
	$(GO) test -tags e2e -timeout 60m -v ./internal/imagebuild/ ./internal/cluster/ ./internal/verify/

e2e-clean: ## Remove leftover e2e clusters, the e2e node/MinIO images and the e2e cache (E2E_CLEAN_HOST=1: also stop dockerd, drop trixie apt source)
	@bash $(E2E_MK_DIR)/clean.sh
