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
#
# With BASELINE=<git revision>, cgoguard built from that revision is timed
# too, alternating with the others, and compared with the working tree's.
set -euo pipefail
runs=${1:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pkgs=(./cmd/cgo/internal/test/... ./runtime/cgo ./net ./os/user ./plugin)

go build -o "$work/cgoguard" "$repo/cmd/cgoguard"
if [ -n "${BASELINE:-}" ]; then
	mkdir "$work/base"
	git -C "$repo" archive "$BASELINE" | tar -x -C "$work/base"
	(cd "$work/base" && go build -o "$work/cgoguard-base" ./cmd/cgoguard)
fi
cd "$(go env GOROOT)/src"
echo "packages: ${pkgs[*]} (in $(pwd))"
echo "warming a build cache (compilation only)..."
GOCACHE=$work/warm go test -count=1 -run='^$' "${pkgs[@]}" >/dev/null

time_one() { # name, command...
	local name=$1
	shift
	rm -rf "$work/run" && cp -a "$work/warm" "$work/run"
	local start end cpu=0 rss=0
	start=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		# %U+%S: CPU seconds of the whole process tree, steadier than wall
		# time on a shared machine; %M: the peak resident set of the
		# largest process in the run (the go command or one vet tool), KiB.
		GOCACHE=$work/run /usr/bin/time -f '%U %S %M' -o "$work/rusage" "$@" >/dev/null 2>&1 || true
		read -r u s rss < <(tail -1 "$work/rusage")
		cpu=$(echo "$u + $s" | bc)
	else
		GOCACHE=$work/run "$@" >/dev/null 2>&1 || true # findings make vet exit 1
	fi
	end=$(date +%s.%N)
	echo "$name $(echo "$end - $start" | bc) $cpu $rss"
}

for i in $(seq "$runs"); do
	time_one govet go vet "${pkgs[@]}"
	time_one cgoguard go vet -vettool="$work/cgoguard" "${pkgs[@]}"
	if [ -n "${BASELINE:-}" ]; then
		time_one baseline go vet -vettool="$work/cgoguard-base" "${pkgs[@]}"
	fi
done | tee "$work/times"

median() { # name, column
	grep "^$1 " "$work/times" | awk -v c="$2" '{print $c}' | sort -n |
		awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}
v=$(median govet 2)
c=$(median cgoguard 2)
printf 'wall time, median over %d runs: go vet %.2fs, go vet -vettool=cgoguard %.2fs, ratio cgoguard/go vet = %.2f\n' \
	"$runs" "$v" "$c" "$(echo "$c / $v" | bc -l)"
vu=$(median govet 3)
cu=$(median cgoguard 3)
vm=$(median govet 4)
cm=$(median cgoguard 4)
if [ "$vm" != 0 ]; then
	printf 'CPU time (median): go vet %.2fs, cgoguard %.2fs, ratio %.2f\n' "$vu" "$cu" "$(echo "$cu / $vu" | bc -l)"
	printf 'peak RSS of the largest process (median): go vet %d MiB, cgoguard %d MiB, ratio %.2f\n' \
		"$((${vm%.*} / 1024))" "$((${cm%.*} / 1024))" "$(echo "$cm / $vm" | bc -l)"
fi
if [ -n "${BASELINE:-}" ]; then
	b=$(median baseline 2)
	bu=$(median baseline 3)
	printf 'against cgoguard at %s (median): wall %.2fs, ratio %.2f; CPU %.2fs, ratio %.2f\n' \
		"$BASELINE" "$b" "$(echo "$c / $b" | bc -l)" "$bu" "$(echo "$cu / $bu" | bc -l)"
fi
