#!/usr/bin/env bash
# Times `go vet` (the toolchain's analyzers) against
# `go vet -vettool=cgoguard` (every cgoguard check) on the Go tree's cgo
# packages, alternating runs in one session and printing the ratio.
#
# go vet caches results of packages with no findings, so each timed run
# starts from a copy of a cache that holds the compiled packages but no vet
# results: both tools analyse every package (and their dependencies, for
# facts) every time, while compilation is not measured.
#
# Usage: bench/vet-vs-cgoguard.sh [runs]   (default 5)
set -euo pipefail
runs=${1:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkgs=(./cmd/cgo/internal/test/... ./runtime/cgo ./net ./os/user ./plugin)

go build -o "$work/cgoguard" "$repo/cmd/cgoguard"
cd "$(go env GOROOT)/src"
echo "packages: ${pkgs[*]} (in $(pwd))"
echo "warming a build cache (compilation only)..."
GOCACHE=$work/warm go test -count=1 -run='^$' "${pkgs[@]}" >/dev/null

time_one() { # name, command...
	local name=$1
	shift
	rm -rf "$work/run" && cp -a "$work/warm" "$work/run"
	local start end
	start=$(date +%s.%N)
	GOCACHE=$work/run "$@" >/dev/null 2>&1 || true # findings make vet exit 1
	end=$(date +%s.%N)
	echo "$name $(echo "$end - $start" | bc)"
}

for i in $(seq "$runs"); do
	time_one govet go vet "${pkgs[@]}"
	time_one cgoguard go vet -vettool="$work/cgoguard" "${pkgs[@]}"
done | tee "$work/times"

median() { grep "^$1 " "$work/times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
v=$(median govet)
c=$(median cgoguard)
printf 'median over %d runs: go vet %.2fs, go vet -vettool=cgoguard %.2fs, ratio cgoguard/go vet = %.2f\n' \
	"$runs" "$v" "$c" "$(echo "$c / $v" | bc -l)"
