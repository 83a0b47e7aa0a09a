#!/usr/bin/env bash
# Builds the guard demo with -tags cgoguard, runs its use-after-free at
# default settings, prints what happened, and exits 0 only
# if the process died with the guard's report (kind, buffer, allocation and
# free stacks) followed by the Go runtime's faulting stack.
set -u
GO=${GO:-go}
cd "$(dirname "$0")/.." || exit 1 # the example module
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build() { "$GO" build "$@" ./guarddemo; }

# The release build must still build; it is never run (its behaviour is undefined).
build -o "$tmp/guarddemo-release" || { echo "guarddemo: release build failed"; exit 1; }
build -tags cgoguard -o "$tmp/guarddemo" || { echo "guarddemo: debug build failed"; exit 1; }

echo "== guarddemo (built with -tags cgoguard, default settings)"
CGOGUARD_LOG=console "$tmp/guarddemo" >"$tmp/out" 2>&1
status=$?
cat "$tmp/out"
echo "== exit status $status"

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
exit $fail
