#!/usr/bin/env bash
# Builds the guard demo with -tags cgoguard, runs its use-after-free at
# default settings, prints the useful part of what happened (the guard's
# report and the faulting goroutine), and exits 0 only if the process died
# with the guard's report (kind, buffer, allocation and free stacks)
# followed by the Go runtime's faulting stack. CGOGUARD_DEMO_FULL=1 prints
# the whole crash output.
set -u
GO=${GO:-go}
cd "$(dirname "$0")/.." || exit 1 # the example module
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build() { "$GO" build "$@" ./guarddemo; }

cat <<'EOT'
guarddemo hands a C status reporter a string and frees it when the call
returns; the C side kept the pointer and reads it again at flush. Go code
that looks right, a use-after-free in C that no static check can see.
Built with -tags cgoguard and run with CGOGUARD_SAMPLE=1 (every C buffer on
its own pages, protected on Free), the flush touches a freed page: the
process is EXPECTED TO CRASH below, with the guard's report first (where the
buffer was allocated and freed), then the Go runtime's faulting goroutine.
EOT
echo "-- building guarddemo, release and -tags cgoguard"
# The release build must still build; it is never run (its behaviour is undefined).
build -o "$tmp/guarddemo-release" || { echo "guarddemo: release build failed"; exit 1; }
build -tags cgoguard -o "$tmp/guarddemo" || { echo "guarddemo: debug build failed"; exit 1; }

echo "-- GOTRACEBACK=single guarddemo (built with -tags cgoguard, default settings)"
# GOTRACEBACK=single asks for the faulting goroutine only, but a fault in C
# is a runtime throw, which always prints every goroutine and the
# registers: the filter below keeps the report and the faulting goroutine.
GOTRACEBACK=single CGOGUARD_LOG=console "$tmp/guarddemo" >"$tmp/out" 2>&1
status=$?
if [ -n "${CGOGUARD_DEMO_FULL:-}" ]; then
	cat "$tmp/out"
else
	awk -v max=160 '
		/^(SIGSEGV|SIGBUS|fatal error|panic)/ && !sig { sig = 1 }
		!sig { print (length($0) > max ? substr($0, 1, max) " ..." : $0); next }
		!g && /^goroutine / { g = 1 }
		!done { print; if (g && $0 == "") done = 1; next }
		{ rest++ }
		END { if (rest) printf "[%d more lines left out: the other goroutines and the registers; CGOGUARD_DEMO_FULL=1 prints them]\n", rest }
	' "$tmp/out"
fi
echo "-- exit status $status (the guard stopped the program at the faulting access)"

fail=0
expect() { # expect DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; fail=1; fi
}
has() { grep -qF -- "$1" "$tmp/out"; }
# section NAME: the frames printed under "(NAME):" in the report.
section() { awk -v h="($1):" 'index($0, h) { on = 1; next } on && /^\t/ { print; next } on { exit }' "$tmp/out"; }
in_section() { section "$1" | grep -qF -- "$2"; }
before() { # before A B: A appears on an earlier line than B
	local a b
	a=$(grep -nF -- "$1" "$tmp/out" | head -1 | cut -d: -f1)
	b=$(grep -nF -- "$2" "$tmp/out" | head -1 | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
}

expect "the process died" test "$status" -ne 0
expect "the report names the violation" has "cgoguard: use-after-free at 0x"
expect "the report names the buffer" has "of the freed 36-byte C buffer at 0x"
expect "the report names where the access faulted (strlen, in libc)" has "libc.so"
expect "allocation stack shows main.reportStatus" in_section alloc_stack "main.reportStatus"
expect "free stack shows main.reportStatus" in_section free_stack "main.reportStatus"
expect "the Go runtime printed the faulting stack" has "signal arrived during cgo execution"
expect "the faulting stack shows the C call" has "main._Cfunc_status_flush"
expect "the report comes before the faulting stack" before "cgoguard: use-after-free" "signal arrived during cgo execution"
expect "the freed string was never printed" sh -c '! grep -q "^status: connected" "$0"' "$tmp/out"
if [ "$fail" -eq 0 ]; then
	echo "guard demo: passed (the crash above is the expected one)"
else
	echo "guard demo: FAILED (CGOGUARD_DEMO_FULL=1 $0 prints the whole output)"
fi
exit $fail
