#!/usr/bin/env bash
# custom-gcl.sh: run `golangci-lint custom` (build golangci-lint with the
# module plugins listed in .custom-gcl.yml) on a machine that cannot reach
# GitHub, or can, alike. Copy it into your repository if you like: it
# depends on nothing of cgoguard's.
#
#   scripts/custom-gcl.sh [golangci-lint custom flags...]
#
# Run it in the directory holding .custom-gcl.yml; the binary goes where
# that file's `name:` and `destination:` say (./bin/custom-gcl).
#
# `golangci-lint custom` git-clones golangci-lint, at the `version:` of
# .custom-gcl.yml, from GitHub. This script serves the same tagged source
# from the Go module proxy instead: it builds a local git repository from
# the module cache (once; it is kept in GCL_MIRROR) and has git's
# url.<mirror>.insteadOf redirect the clone there, through the
# GIT_CONFIG_COUNT/GIT_CONFIG_KEY_0/GIT_CONFIG_VALUE_0 environment
# variables, which golangci-lint passes on to git.
#
# Environment:
#   GOLANGCI_LINT  the golangci-lint binary to run (default: golangci-lint
#                  on PATH, else the pinned version, installed with
#                  `go install` into the cache directory below)
#   GCL_MIRROR     where to keep the mirror (default:
#                  ${XDG_CACHE_HOME:-~/.cache}/cgoguard/golangci-lint-VERSION.git);
#                  set it empty (GCL_MIRROR=) to clone from GitHub instead
#
# Needs go, git, and the network access `go mod download` needs (a module
# proxy). The first build compiles all of golangci-lint: a few minutes.
set -euo pipefail

say() { echo "custom-gcl: $*" >&2; }

[ -f .custom-gcl.yml ] || { say "no .custom-gcl.yml in $(pwd)"; exit 1; }
version=$(sed -n 's/^version:[[:space:]]*["'"'"']*\([^"'"'"'#[:space:]]*\).*/\1/p' .custom-gcl.yml | head -1)
[ -n "$version" ] || { say ".custom-gcl.yml has no version: line"; exit 1; }
cache=${XDG_CACHE_HOME:-$HOME/.cache}/cgoguard
repo_url=https://github.com/golangci/golangci-lint.git

gcl=${GOLANGCI_LINT:-}
if [ -z "$gcl" ]; then
	if command -v golangci-lint >/dev/null; then
		gcl=$(command -v golangci-lint)
	else
		gcl=$cache/golangci-lint-$version/bin/golangci-lint
		if [ ! -x "$gcl" ]; then
			say "installing golangci-lint $version into $(dirname "$gcl")"
			GOBIN=$(dirname "$gcl") go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version"
		fi
	fi
fi

mirror=${GCL_MIRROR-$cache/golangci-lint-$version.git}
if [ -n "$mirror" ]; then
	if [ ! -d "$mirror" ]; then
		say "mirroring golangci-lint $version from the Go module proxy into $mirror"
		src=$(go mod download -json "github.com/golangci/golangci-lint/v2@$version" |
			sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
		[ -n "$src" ] || { say "cannot find golangci-lint $version in the module cache"; exit 1; }
		rm -rf "$mirror.tmp"
		mkdir -p "$(dirname "$mirror")"
		cp -R "$src" "$mirror.tmp"
		chmod -R u+w "$mirror.tmp"
		(
			cd "$mirror.tmp"
			git init -q
			git add -A
			git -c user.name=custom-gcl -c user.email=custom-gcl@localhost -c commit.gpgsign=false \
				commit -qm "golangci-lint $version from the Go module proxy"
			git tag "$version"
		)
		mv "$mirror.tmp" "$mirror"
	fi
	export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.file://$mirror.insteadOf" GIT_CONFIG_VALUE_0=$repo_url
	say "golangci-lint $version comes from $mirror (GCL_MIRROR= to clone from GitHub)"
fi

say "building golangci-lint $version with the plugins of .custom-gcl.yml (the first build takes a few minutes)"
start=$SECONDS
"$gcl" custom "$@"
say "built in $((SECONDS - start))s"
