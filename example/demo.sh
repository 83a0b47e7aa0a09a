#!/usr/bin/env bash
# The demo: lint this module with the custom golangci-lint (cgoguard
# compiled in), print the findings, and check they are exactly
# expected-findings.txt; then run the runtime-guard scenario.
# Usage: example/demo.sh path/to/custom-gcl
set -euo pipefail
gcl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")"

echo "== cgoguard through golangci-lint on example/ =="
echo "-- $gcl run ./... (compiles example/'s C code first)"
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
set +e
GOLANGCI_LINT_CACHE=$cache "$gcl" run --output.text.path=stdout \
	--output.json.path="$cache/findings.json" ./...
rc=$?
set -e
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
	echo "demo: golangci-lint failed (exit $rc)" >&2
	exit 1
fi
# file:line: check, from the JSON report (read by Go: no jq needed).
got=$(go run ./internal/findings "$cache/findings.json" | sort)
want=$(grep -v '^#' expected-findings.txt | sed '/^$/d' | sort)
if [ "$got" != "$want" ]; then
	echo "demo: the findings differ from example/expected-findings.txt" >&2
	diff <(echo "$want") <(echo "$got") >&2 || true
	exit 1
fi
echo "demo: $(echo "$got" | wc -l) findings, exactly the expected ones (example/expected-findings.txt)"

echo
echo "== runtime guard: a use-after-free that only shows at run time =="
if ! guarddemo/run.sh; then
	echo "demo FAILED: the guard demo did not end as expected" >&2
	exit 1
fi
echo
echo "demo passed: golangci-lint reported exactly the $(echo "$got" | wc -l) expected findings, and the guard caught the use-after-free at run time"
