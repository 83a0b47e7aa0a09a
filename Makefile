# cgoguard: static cgo checks (golangci-lint plugin, vet tool) and a runtime guard.
#
#   make demo        build ./bin/custom-gcl, lint example/, run the runtime-guard demo
#   make test        every test (both builds of the guard, -race, end-to-end)
#   make lint        the project lints itself with its own plugin
#   make custom-gcl  build ./bin/custom-gcl only

SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin

# The golangci-lint version is pinned in one place: the `version:` line of
# .custom-gcl.yml, which `golangci-lint custom` reads too.
GCL_VERSION := $(shell sed -n 's/^version: *\([^ #]*\).*/\1/p' .custom-gcl.yml)
GCL := $(BIN)/golangci-lint
CUSTOM_GCL := $(BIN)/custom-gcl

# `golangci-lint custom` git-clones golangci-lint from GitHub; the script
# scripts/custom-gcl.sh (the one users copy, see the README) serves the same
# tagged source from the Go module proxy through a local mirror kept in
# GCL_MIRROR. Set GCL_MIRROR= (empty) to clone from GitHub.
GCL_MIRROR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/cgoguard/golangci-lint-$(GCL_VERSION).git

PLUGIN_SRC := go.mod go.sum $(shell find lintplugin internal -name '*.go' -not -path '*/testdata/*' 2>/dev/null)

.PHONY: all demo test test-unit test-guard test-race test-e2e test-guarddemo lint custom-gcl vettool clean

all: test

custom-gcl: $(CUSTOM_GCL)

$(GCL):
	@echo "make: installing golangci-lint $(GCL_VERSION) into $(BIN)"
	GOBIN=$(BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GCL_VERSION)

$(CUSTOM_GCL): $(GCL) .custom-gcl.yml $(PLUGIN_SRC) scripts/custom-gcl.sh
	@# Built aside and renamed into place, so a running binary is never overwritten.
	GOLANGCI_LINT=$(GCL) GCL_MIRROR=$(GCL_MIRROR) scripts/custom-gcl.sh -v --name $(notdir $@).new
	mv -f $@.new $@
	@# golangci-lint's result cache does not know the plugin changed.
	$@ cache clean

vettool:
	$(GO) build -o $(BIN)/cgoguard ./cmd/cgoguard

demo: $(CUSTOM_GCL)
	./example/demo.sh $(CUSTOM_GCL)

test: test-unit test-guard test-race test-e2e test-guarddemo lint

test-unit:
	$(GO) vet ./...
	$(GO) test ./...

test-guard:
	$(GO) vet -tags cgoguard ./guard/...
	$(GO) test -tags cgoguard ./guard/...

test-race:
	$(GO) test -race ./guard/...
	$(GO) test -race -tags cgoguard ./guard/...
	$(GO) test -race -run TestChecksTogether ./lintplugin

# The runtime half of the demo: the debug build must die with the guard's report.
test-guarddemo:
	example/guarddemo/run.sh >/dev/null || example/guarddemo/run.sh

test-e2e: $(CUSTOM_GCL)
	CGOGUARD_CUSTOM_GCL=$(CUSTOM_GCL) $(GO) test -tags e2e -count=1 ./e2e/...

lint: $(CUSTOM_GCL)
	$(CUSTOM_GCL) run ./...
	$(CUSTOM_GCL) run --build-tags cgoguard ./guard/...

clean:
	rm -rf $(BIN) .cache
