#!/usr/bin/env bash
# Measures the guard against the raw calls, as recorded in BENCHMARKS.md.
#
# Each round runs every benchmark once, raw and guard back to back, so a
# ratio compares two measurements taken seconds apart on a shared, noisy
# machine. The table shows the median over rounds of those ratios and, as
# interference only ever adds time, the ratio of the fastest rounds.
#
#   guard/bench.sh [ROUNDS]        (default 8)
set -eu
rounds=${1:-8}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go test -c -o "$tmp/guard-release.test" ./guard
go test -c -o "$tmp/cguard-release.test" ./guard/cguard
go test -c -tags cgoguard -o "$tmp/guard-debug.test" ./guard
go test -c -tags cgoguard -o "$tmp/cguard-debug.test" ./guard/cguard

# run NAME ENV... -- BINARY FILTER: one round of one configuration.
run() {
	local name=$1
	shift
	local envs=()
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	env "${envs[@]}" "$1" -test.run='^$' -test.bench="$2" -test.count=1 | grep '^Benchmark' | sed "s/^/$name /" >>"$tmp/all.txt"
}

for _ in $(seq "$rounds"); do
	run release X=1 -- "$tmp/guard-release.test" .
	run release X=1 -- "$tmp/cguard-release.test" 'MallocFree|CStringFree|Mixed'
	run debug X=1 -- "$tmp/guard-debug.test" .
	run debug X=1 -- "$tmp/cguard-debug.test" 'MallocFree|CStringFree|Mixed'
	run debug-sample1 CGOGUARD_SAMPLE=1 -- "$tmp/cguard-debug.test" 'MallocFree|CStringFree|GuardPagePair'
done

# Lines: CONFIG BenchmarkFAMILY/SIDE-P ITERATIONS NS ns/op.
awk '
function median(list,    n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{
	split($2, parts, "/"); side = parts[2]; sub(/-[0-9]+$/, "", side)
	key = $1 " " parts[1]
	if (side == "raw") {
		raw[key] = $4; rawall[key] = rawall[key] " " $4
		if (!(key in rawmin) || $4 + 0 < rawmin[key] + 0) rawmin[key] = $4
	} else {
		g[key] = g[key] " " $4; r[key] = r[key] " " ($4 / raw[key])
		if (!(key in gmin) || $4 + 0 < gmin[key] + 0) gmin[key] = $4
	}
	if (!(key in seen)) { seen[key] = 1; order[++n] = key }
}
END {
	printf "%-14s %-22s %10s %12s %8s %10s %12s %8s\n", "build", "benchmark", "raw med", "guard med", "ratio", "raw min", "guard min", "ratio"
	for (i = 1; i <= n; i++) {
		k = order[i]; split(k, kp, " ")
		printf "%-14s %-22s %10.1f %12.1f %8.2f %10.1f %12.1f %8.2f\n", kp[1], kp[2], median(rawall[k]), median(g[k]), median(r[k]), rawmin[k], gmin[k], gmin[k] / rawmin[k]
	}
}' "$tmp/all.txt"
