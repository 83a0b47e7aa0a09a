//go:build !cgoguard

package guard_test

import (
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/guard/internal/scenario"
)

// Release builds read no CGOGUARD_* variable: even malformed values
// must not stop a production program.
func TestReleaseIgnoresVariables(t *testing.T) {
	r := scenario.Run(t, "start-up", "CGOGUARD_SAMPLE=often", "CGOGUARD_ON_VIOLATION=crash")
	if r.ExitCode != 0 || r.Output != "started\n" {
		t.Errorf("release build did not start cleanly: exit %d\n%s", r.ExitCode, r.Output)
	}
}

// Release builds forward to runtime/cgo, which panics on a deleted handle.
func TestReleaseHandleMisusePanicsLikeCgo(t *testing.T) {
	r := scenario.Run(t, "handle-value-after-delete")
	if r.ExitCode == 0 || !strings.Contains(r.Output, "misuse of an invalid Handle") {
		t.Errorf("exit %d, output:\n%s", r.ExitCode, r.Output)
	}
}
