#!/usr/bin/env bash
# Compares the debug build of the guard with go build -asan, as recorded in
# guard/BENCHMARKS.md: the same memory errors, and the same mixed workload,
# built three ways from the same source (guard/cguard's test scenarios):
#
#   raw    go test -c               cguard compiles to malloc/free
#   asan   go test -c -asan         the same, with AddressSanitizer
#   debug  go test -c -tags cgoguard, run at default settings
#
#   guard/asan.sh [RUNS] [ROUNDS]   (defaults 5 and 5)
#
# Each scenario runs RUNS times per build; the table says how often the
# build reported the error and whether the report names the Go functions
# that allocated and freed. Then the mixed workload (1e6 iterations of a
# malloc/free of 16..4096 bytes, a CString/Free and a handle) runs ROUNDS
# times per build, interleaved; the script prints the median wall time,
# CPU time and peak RSS, and their ratios to raw.
set -u
runs=${1:-5}
rounds=${2:-5}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go test -c -o "$tmp/raw" ./guard/cguard || exit 1
go test -c -asan -o "$tmp/asan" ./guard/cguard || exit 1
go test -c -tags cgoguard -o "$tmp/debug" ./guard/cguard || exit 1

# run BUILD SCENARIO: runs once; output in $tmp/out, exit status in $status.
run() {
	# Through sh -c with its stderr discarded, so that the shell's own
	# "Segmentation fault" notice is not mixed into the table.
	CGOGUARD_TEST_SCENARIO=$2 sh -c 'timeout 120 "$0" -test.run="^\$" >"$1" 2>&1' "$tmp/$1" "$tmp/out" 2>/dev/null
	status=$?
}

# verdict BUILD: what the run reported, in a few words.
verdict() {
	local out=$tmp/out
	case $1 in
	asan)
		if grep -q "ERROR: AddressSanitizer\|ERROR: LeakSanitizer" "$out"; then
			grep -o "ERROR: [A-Za-z]*Sanitizer: [a-z() -]*" "$out" | head -1 | sed 's/ERROR: //; s/ on address *$//; s/ *on *$//; s/ *$//'
			return
		fi ;;
	debug)
		if grep -q "^cgoguard: [a-z-]* at 0x\|cgoguard: [a-z-]*: \|\"kind\": \"\|^[a-z-]*: .*never\|leak(s)" "$out"; then
			grep -o "cgoguard: [a-z-]*\|leaked-[a-z]*\|\"kind\": \"[a-z-]*\"" "$out" | head -1 | sed 's/"kind": //; s/"//g'
			return
		fi ;;
	esac
	if grep -q "found leaking pinned pointer\|misuse of an invalid Handle\|runtime.Pinner: \|^panic: \|^fatal error: " "$out"; then
		echo "Go runtime: $(grep -m1 -o "found leaking pinned pointer\|misuse of an invalid Handle\|runtime.Pinner: [a-z ]*\|fatal error: [a-z ]*" "$out")"
		return
	fi
	if [ "$status" -eq 0 ]; then echo "nothing"; else echo "died (exit $status), no report"; fi
}

# sites BUILD: whether the report names the Go functions that allocated
# (and, for errors after a free, freed) the buffer.
sites() {
	case $1 in
	asan) awk '/allocated by thread/ { a = 1 } /freed by thread/ { f = 1 } a && /cguard_test\./ { ga = 1 } f && /cguard_test\./ { gf = 1 }
		END { if (!a) print "-"; else if (ga) print "Go"; else print "C only" }' "$tmp/out" ;;
	debug) if grep -A2 "^allocated at\|^handle created at\|^pinned at\|(alloc_stack)\|(create_stack)\|(pin_stack)" "$tmp/out" | grep -q "cguard_test\."; then echo "Go"; else echo "-"; fi ;;
	*) echo "-" ;;
	esac
}

scenarios="uaf-read-go uaf-write-go uaf-read-c uaf-write-c uaf-read-goroutine uaf-read-c-thread
uaf-c-only-thread uaf-strlen write-after-free over-read-c over-read-go over-read-strlen overflow-guard overflow-far underflow-redzone
double-free double-free-c invalid-free-interior handle-after-delete pin-map leaked-pinner
leaked-allocation leak-exit"

printf "| scenario | raw | asan | asan sites | debug (defaults) | debug sites |\n|---|---|---|---|---|---|\n"
for s in $scenarios; do
	row="| $s |"
	for b in raw asan debug; do
		declare -A seen=()
		caught=0
		last=""
		for _ in $(seq "$runs"); do
			run "$b" "$s"
			v=$(verdict "$b")
			last=$v
			case $v in nothing|died*) ;; *) caught=$((caught + 1)) ;; esac
			st=$(sites "$b")
		done
		row="$row $last ($caught/$runs) |"
		if [ "$b" != raw ]; then row="$row $st |"; fi
	done
	echo "$row"
done

# The hot site: occurrences of a repeated use-after-free until caught.
printf "\nhot site (20000 clean allocations, then a repeated use-after-free), occurrences until caught:\n"
for b in asan debug; do
	counts=""
	for _ in $(seq "$runs"); do
		run "$b" hot-uaf
		counts="$counts $(grep -c '^occurrence' "$tmp/out")"
	done
	echo "  $b:$counts"
done

# The mixed workload, whole processes, interleaved rounds.
printf "\nmixed workload, %s rounds (median): wall s, CPU s, peak RSS KiB\n" "$rounds"
for _ in $(seq "$rounds"); do
	for b in raw asan debug; do
		CGOGUARD_TEST_SCENARIO=mixed /usr/bin/time -f "$b %e %U %S %M" "$tmp/$b" -test.run='^$' 2>>"$tmp/times" >/dev/null
	done
done
grep -E '^(raw|asan|debug) ' "$tmp/times" | awk '
function median(list,    n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{ wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4); rss[$1] = rss[$1] " " $5 }
END {
	printf "| build | wall s | CPU s | peak RSS KiB | wall / raw | CPU / raw | RSS / raw |\n|---|---:|---:|---:|---:|---:|---:|\n"
	w0 = median(wall["raw"]); c0 = median(cpu["raw"]); r0 = median(rss["raw"])
	n = split("raw asan debug", names, " ")
	for (i = 1; i <= n; i++) {
		b = names[i]; w = median(wall[b]); c = median(cpu[b]); r = median(rss[b])
		printf "| %s | %.2f | %.2f | %d | %.2f | %.2f | %.2f |\n", b, w, c, r, w / w0, c / c0, r / r0
	}
}'
