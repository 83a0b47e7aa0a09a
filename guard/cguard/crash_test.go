//go:build cgo && cgoguard

package cguard_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/guard/internal/scenario"
)

const (
	alloc = "cguard_test.allocBuffer"
	free  = "cguard_test.freeBuffer"
)

var (
	guarded   = []string{"CGOGUARD_SAMPLE=1"}
	redzoned  = []string{"CGOGUARD_SAMPLE=0"}
	allocFree = map[string][]string{"alloc_stack": {alloc}, "free_stack": {free}}
)

func TestUseAfterFreeFaults(t *testing.T) {
	for _, tc := range []struct{ name, culprit string }{
		{"uaf-read-go", "cguard_test.readFromGo"},
		{"uaf-write-go", "cguard_test.writeFromGo"},
		{"uaf-read-c", "cguard_test.readFromC"},
		{"uaf-write-c", "cguard_test.writeFromC"},
		// A thread C created has no goroutine to print: after the report,
		// the Go runtime lets the signal's default action end the process.
		{"uaf-read-c-thread", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := scenario.Expect{Kind: "use-after-free", Stacks: allocFree, Fields: map[string]any{"size": 24}}
			if tc.culprit != "" {
				// After the report, the Go runtime prints the faulting goroutine.
				want.Output = []string{"SIGSEGV", tc.culprit + "("}
			}
			scenario.Check(t, tc.name, want, guarded...)
		})
	}
}

func TestOverflowIntoGuardPageFaults(t *testing.T) {
	scenario.Check(t, "overflow-guard", scenario.Expect{
		Kind: "buffer-overflow", Stacks: map[string][]string{"alloc_stack": {alloc}},
		Fields: map[string]any{"offset": 24, "size": 24},
		Output: []string{"SIGSEGV", "cguard_test.writeFromC("},
	}, guarded...)
}

func TestRedzonesCaughtAtFree(t *testing.T) {
	scenario.Check(t, "overflow-redzone", scenario.Expect{
		Kind: "buffer-overflow", Stacks: allocFree, Fields: map[string]any{"offset": 24, "size": 24},
	}, redzoned...)
	scenario.Check(t, "underflow-redzone", scenario.Expect{
		Kind: "buffer-underflow", Stacks: allocFree, Fields: map[string]any{"offset": -1, "size": 24},
	}, redzoned...)
}

func TestWriteAfterFreeCaughtLeavingQuarantine(t *testing.T) {
	scenario.Check(t, "write-after-free", scenario.Expect{
		Kind: "write-after-free", Stacks: allocFree, Fields: map[string]any{"offset": 3, "size": 24},
	}, "CGOGUARD_SAMPLE=0", "CGOGUARD_QUARANTINE=4096")
}

func TestDoubleFree(t *testing.T) {
	for _, env := range [][]string{redzoned, guarded} {
		scenario.Check(t, "double-free", scenario.Expect{
			Kind:   "double-free",
			Stacks: map[string][]string{"alloc_stack": {alloc}, "free_stack": {free}, "report_stack": {"cguard_test.freeAgain"}},
		}, env...)
	}
	// Through cguard_free: the second Free's stack goes through the cgo
	// callback back to the Go code that called C.
	scenario.Check(t, "double-free-c", scenario.Expect{
		Kind:   "double-free",
		Stacks: map[string][]string{"alloc_stack": {alloc}, "free_stack": {free}, "report_stack": {"cguard_test.freeFromC"}},
	}, redzoned...)
}

func TestInvalidFreeLeavesMemoryAlone(t *testing.T) {
	scenario.Check(t, "invalid-free", scenario.Expect{
		Kind:   "invalid-free",
		Stacks: map[string][]string{"report_stack": {"cguard_test.freeForeign"}},
		// Log mode continues; the memory still holds what was written.
		Output: []string{"after invalid free: intact!"},
	}, "CGOGUARD_ON_VIOLATION=log")
}

func TestLeakedAllocation(t *testing.T) {
	scenario.Check(t, "leaked-allocation", scenario.Expect{
		Kind: "leaked-allocation", Stacks: map[string][]string{"alloc_stack": {alloc}}, Fields: map[string]any{"size": 40},
	})
}

func TestPanicPolicyPanics(t *testing.T) {
	r := scenario.Run(t, "double-free", "CGOGUARD_SAMPLE=0")
	if !strings.Contains(r.Output, "panic: cgoguard: double-free") {
		t.Errorf("default policy did not panic:\n%s", r.Output)
	}
}

// TestLogToFile checks that CGOGUARD_LOG=<path> receives JSON lines, from
// the fault handler as well as from ordinary reports.
func TestLogToFile(t *testing.T) {
	for _, tc := range []struct{ scenario, kind string }{
		{"uaf-read-go", "use-after-free"},
		{"double-free", "double-free"},
	} {
		path := filepath.Join(t.TempDir(), "guard.json")
		r := scenario.Run(t, tc.scenario, "CGOGUARD_SAMPLE=1", "CGOGUARD_LOG="+path)
		if r.ExitCode == 0 {
			t.Fatalf("%s exited 0:\n%s", tc.scenario, r.Output)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var e map[string]any
		if err := json.Unmarshal(bytes.TrimSpace(data), &e); err != nil {
			t.Fatalf("%s: the log file is not one JSON line: %v\n%s", tc.scenario, err, data)
		}
		if e["kind"] != tc.kind {
			t.Errorf("%s: kind = %v, want %s", tc.scenario, e["kind"], tc.kind)
		}
		if strings.Contains(r.Output, `"kind"`) {
			t.Errorf("%s: the report also went to stderr:\n%s", tc.scenario, r.Output)
		}
	}
}
