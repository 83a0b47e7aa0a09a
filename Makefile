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
GCL_VERSION := $(shell sed -n 's/^version: *//p' .custom-gcl.yml)
GCL := $(BIN)/golangci-lint
CUSTOM_GCL := $(BIN)/custom-gcl

# `golangci-lint custom` git-clones golangci-lint from GitHub. Machines without
# GitHub access get the same tagged source from the Go module proxy: a local
# git repository built from the module cache, and git's url.insteadOf (passed
# through GIT_CONFIG_* environment variables, which golangci-lint forwards to
# git) redirects the clone to it. Set GCL_MIRROR= (empty) to clone from GitHub.
GCL_MIRROR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/cgoguard/golangci-lint-$(GCL_VERSION).git
GCL_REPO_URL := https://github.com/golangci/golangci-lint.git
ifneq ($(GCL_MIRROR),)
CUSTOM_ENV := GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=url.file://$(GCL_MIRROR).insteadOf GIT_CONFIG_VALUE_0=$(GCL_REPO_URL)
MIRROR_DEP := $(GCL_MIRROR)
endif

PLUGIN_SRC := go.mod go.sum $(shell find lintplugin -name '*.go' -not -path '*/testdata/*' 2>/dev/null)

.PHONY: all demo test test-unit test-guard test-race test-e2e test-guarddemo lint custom-gcl vettool clean

all: test

custom-gcl: $(CUSTOM_GCL)

$(GCL):
	GOBIN=$(BIN) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GCL_VERSION)

$(GCL_MIRROR):
	@set -euo pipefail; \
	src=$$($(GO) mod download -json github.com/golangci/golangci-lint/v2@$(GCL_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$$/\1/p'); \
	test -n "$$src" || { echo "cannot locate golangci-lint $(GCL_VERSION) in the module cache" >&2; exit 1; }; \
	rm -rf $@.tmp && mkdir -p $(dir $@) && cp -R "$$src" $@.tmp && chmod -R u+w $@.tmp; \
	cd $@.tmp && git init -q && git add -A && \
	git -c user.name=cgoguard -c user.email=cgoguard@localhost -c commit.gpgsign=false commit -qm "golangci-lint $(GCL_VERSION) from the Go module proxy" && \
	git tag $(GCL_VERSION) && cd - >/dev/null && mv $@.tmp $@
	@echo "mirror of golangci-lint $(GCL_VERSION): $@"

$(CUSTOM_GCL): $(GCL) $(MIRROR_DEP) .custom-gcl.yml $(PLUGIN_SRC)
	@# Built aside and renamed into place, so a running binary is never overwritten.
	$(CUSTOM_ENV) $(GCL) custom -v --name $(notdir $@).new
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
