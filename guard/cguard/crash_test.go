//go:build cgo && cgoguard

package cguard_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/guard/internal/scenario"
)

const (
	alloc = "cguard_test.allocBuffer"
	free  = "cguard_test.freeBuffer"
)

var (
	// The scenarios run at default settings unless they say otherwise:
	// the first allocations at a site go on guard pages.
	defaults  []string
	redzoned  = []string{"CGOGUARD_SAMPLE=0"}
	allocFree = map[string][]string{"alloc_stack": {alloc}, "free_stack": {free}}
)

func TestUseAfterFreeFaults(t *testing.T) {
	for _, tc := range []struct{ name, culprit, faulting string }{
		{"uaf-read-go", "cguard_test.readFromGo", "faulting access in github.com/cgoguard/cgoguard/guard/cguard_test.readFromGo, called from"},
		{"uaf-write-go", "cguard_test.writeFromGo", "faulting access in github.com/cgoguard/cgoguard/guard/cguard_test.writeFromGo"},
		// go test links with -s: C functions have no names then, and the
		// report gives the file mapped at the faulting address.
		{"uaf-read-c", "cguard_test.readFromC", "faulting access at pc 0x"},
		{"uaf-write-c", "cguard_test.writeFromC", "faulting access at pc 0x"},
		{"uaf-read-goroutine", "cguard_test.readOnGoroutine.func1", "cguard_test.readOnGoroutine.func1"},
		// A thread C created has no goroutine to print: after the report,
		// the Go runtime lets the signal's default action end the process.
		{"uaf-read-c-thread", "", "faulting access at pc 0x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := scenario.Expect{Kind: "use-after-free", Stacks: allocFree, Fields: map[string]any{"size": 24}}
			if tc.culprit != "" {
				// After the report, the Go runtime prints the faulting goroutine.
				want.Output = []string{"SIGSEGV", tc.culprit + "("}
			}
			// The console report names the faulting access; the JSON one
			// carries it as fields, checked in TestFaultReportJSON.
			r := scenario.Run(t, tc.name, "CGOGUARD_LOG=console")
			if !strings.Contains(r.Output, tc.faulting) {
				t.Errorf("the report does not name the faulting access (%q):\n%s", tc.faulting, r.Output)
			}
			scenario.Check(t, tc.name, want, defaults...)
		})
	}
}

// TestGuardPagesMoveBetweenSizes: freed small buffers that fill the
// guard-page budget give way to the first buffer of another size.
func TestGuardPagesMoveBetweenSizes(t *testing.T) {
	scenario.Check(t, "uaf-large-after-churn", scenario.Expect{
		Kind: "use-after-free", Stacks: allocFree, Fields: map[string]any{"size": 10000},
	}, "CGOGUARD_GUARD_BYTES=65536")
}

// TestLiveBuffersLeaveRoomForNewSites: buffers that stay live at one busy
// site cannot take the whole guard-page budget from the first buffer at a
// new site.
func TestLiveBuffersLeaveRoomForNewSites(t *testing.T) {
	scenario.Check(t, "uaf-after-many-live", scenario.Expect{
		Kind: "use-after-free", Stacks: allocFree, Fields: map[string]any{"size": 24},
	}, "CGOGUARD_GUARD_BYTES=131072")
}

// TestUseAfterFreeAllInC: C code on a thread C created allocates with
// cguard_malloc, frees with cguard_free and reads: there are no Go frames
// to name, but the access is caught and the buffer named.
func TestUseAfterFreeAllInC(t *testing.T) {
	scenario.Check(t, "uaf-c-only-thread", scenario.Expect{
		Kind: "use-after-free", Fields: map[string]any{"size": 24, "offset": 0},
	}, defaults...)
	if r := scenario.Run(t, "uaf-c-only-thread"); !strings.Contains(r.Output, "(no Go frames: C code on a thread C created)") {
		t.Errorf("the console report does not say why the stacks are empty:\n%s", r.Output)
	}
}

// TestFaultReportJSON checks the faulting access in a JSON fault report:
// its address, program counter, and the Go function and its caller.
func TestFaultReportJSON(t *testing.T) {
	r := scenario.Run(t, "uaf-read-go", "CGOGUARD_LOG=json")
	e := r.Entry("use-after-free")
	if e == nil {
		t.Fatalf("no use-after-free entry:\n%s", r.Output)
	}
	if e["fault_address"] != e["address"] || !strings.HasPrefix(fmt.Sprint(e["fault_pc"]), "0x") {
		t.Errorf("fault_address %v (buffer %v), fault_pc %v", e["fault_address"], e["address"], e["fault_pc"])
	}
	if fn := fmt.Sprint(e["fault_function"]); !strings.HasSuffix(fn, "cguard_test.readFromGo") {
		t.Errorf("fault_function = %s", fn)
	}
	if fn := fmt.Sprint(e["fault_caller"]); !strings.HasPrefix(fn, "github.com/cgoguard/cgoguard/guard/cguard_test.") {
		t.Errorf("fault_caller = %s", fn)
	}
	r = scenario.Run(t, "over-read-strlen", "CGOGUARD_LOG=json")
	if e = r.Entry("buffer-overflow"); e == nil || !strings.Contains(fmt.Sprint(e["fault_object"]), "libc") {
		t.Errorf("an over-read in libc's strlen does not name libc: %v\n%s", e, r.Output)
	}
}

// TestStringRoutineOnFreedBuffer: strlen reads a freed 6-byte string in
// aligned words, so the fault is up to 63 bytes before the buffer; it is
// still reported as a use of that buffer, not as an underflow.
func TestStringRoutineOnFreedBuffer(t *testing.T) {
	scenario.Check(t, "uaf-strlen", scenario.Expect{
		Kind:   "use-after-free",
		Stacks: map[string][]string{"free_stack": {free}},
		Fields: map[string]any{"size": 6, "offset": 0},
	}, defaults...)
	r := scenario.Run(t, "uaf-strlen")
	if strings.Contains(r.Output, "underflow") || !strings.Contains(r.Output, "offset 0 of the freed 6-byte C buffer") {
		t.Errorf("reported as an underflow:\n%s", r.Output)
	}
}

func TestOutOfBoundsFaults(t *testing.T) {
	for _, tc := range []struct {
		name   string
		offset int
		size   int
	}{
		{"overflow-guard", 24, 24},
		{"over-read-c", 24, 24},
		{"over-read-go", 24, 24},
		// strlen reads in aligned words; the fault is the first byte past
		// the end all the same.
		{"over-read-strlen", 24, 24},
		{"overflow-far", 64 + 2048, 64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			scenario.Check(t, tc.name, scenario.Expect{
				Kind: "buffer-overflow", Stacks: map[string][]string{"alloc_stack": {alloc}},
				Fields: map[string]any{"offset": tc.offset, "size": tc.size},
				Output: []string{"SIGSEGV"},
			}, defaults...)
		})
	}
}

// TestHotSiteCaughtWithinOneAndAHalfFloors makes a site hot with 20000
// clean allocations, then repeats a use-after-free there. At the floor of
// 1 in 100 the site skips at most 149 allocations between two guarded
// ones, so the bug is caught within 150 occurrences.
func TestHotSiteCaughtWithinOneAndAHalfFloors(t *testing.T) {
	r := scenario.Run(t, "hot-uaf")
	if r.ExitCode == 0 || !strings.Contains(r.Output, "cgoguard: use-after-free") {
		t.Fatalf("the repeated use-after-free was not caught (exit %d):\n%s", r.ExitCode, tail(r.Output))
	}
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(r.Output), "\n") {
		if k, err := strconv.Atoi(strings.TrimPrefix(l, "occurrence ")); err == nil {
			n = k
		}
	}
	t.Logf("caught at occurrence %d", n)
	if n < 1 || n > 150 {
		t.Errorf("caught at occurrence %d, want 1 to 150", n)
	}
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}

func TestLeakedPinnerEndsInTheRuntimeReport(t *testing.T) {
	r := scenario.Run(t, "leaked-pinner")
	if r.ExitCode == 0 || !strings.Contains(r.Output, "found leaking pinned pointer") {
		t.Errorf("a Pinner dropped with pins held did not end in the runtime's report (exit %d):\n%s", r.ExitCode, r.Output)
	}
}

// TestCFreeStackStartsAtTheCaller: a report about a free made by C through
// cguard_free starts at the cgo stub of the C function that called it, not
// at the guard's or the runtime's callback frames.
func TestCFreeStackStartsAtTheCaller(t *testing.T) {
	r := scenario.Run(t, "double-free-c", "CGOGUARD_LOG=json", "CGOGUARD_SAMPLE=0")
	e := r.Entry("double-free")
	if e == nil {
		t.Fatalf("no double-free entry:\n%s", r.Output)
	}
	frames, _ := e["report_stack"].([]any)
	if len(frames) == 0 {
		t.Fatalf("no report_stack: %v", e)
	}
	first, _ := frames[0].(map[string]any)
	if fn := fmt.Sprint(first["function"]); !strings.HasSuffix(fn, "ctest._Cfunc_free_from_c") {
		t.Errorf("report_stack starts at %s, want the stub of free_from_c", fn)
	}
}

func TestInvalidFreeOfInteriorPointer(t *testing.T) {
	for _, env := range [][]string{defaults, redzoned} {
		scenario.Check(t, "invalid-free-interior", scenario.Expect{
			Kind:   "invalid-free",
			Stacks: map[string][]string{"alloc_stack": {alloc}, "report_stack": {"cguard_test.freeForeign"}},
			Fields: map[string]any{"size": 24},
			Output: []string{"8 bytes into the live 24-byte C buffer"},
		}, env...)
	}
}

func TestRedzonesCaughtAtFree(t *testing.T) {
	scenario.Check(t, "overflow-redzone", scenario.Expect{
		Kind: "buffer-overflow", Stacks: allocFree, Fields: map[string]any{"offset": 24, "size": 24},
	}, redzoned...)
	// At default settings too: the canaries before a guarded buffer.
	for _, env := range [][]string{redzoned, defaults} {
		scenario.Check(t, "underflow-redzone", scenario.Expect{
			Kind: "buffer-underflow", Stacks: allocFree, Fields: map[string]any{"offset": -1, "size": 24},
		}, env...)
	}
}

// TestWriteAfterFreeFaults: at default settings the first buffer at a
// site is on guard pages, so the stale write itself faults.
func TestWriteAfterFreeFaults(t *testing.T) {
	scenario.Check(t, "write-after-free", scenario.Expect{
		Kind: "use-after-free", Stacks: allocFree, Fields: map[string]any{"offset": 3, "size": 24},
		Output: []string{"cguard_test.writeFromC("},
	}, defaults...)
}

func TestWriteAfterFreeCaughtLeavingQuarantine(t *testing.T) {
	scenario.Check(t, "write-after-free", scenario.Expect{
		Kind: "write-after-free", Stacks: allocFree, Fields: map[string]any{"offset": 3, "size": 24},
	}, "CGOGUARD_SAMPLE=0", "CGOGUARD_QUARANTINE=4096")
}

func TestDoubleFree(t *testing.T) {
	for _, env := range [][]string{redzoned, defaults} {
		scenario.Check(t, "double-free", scenario.Expect{
			Kind:   "double-free",
			Stacks: map[string][]string{"alloc_stack": {alloc}, "free_stack": {free}, "report_stack": {"cguard_test.freeAgain"}},
		}, env...)
	}
	// Through cguard_free: the second Free's stack goes through the cgo
	// callback back to the Go code that called C.
	for _, env := range [][]string{redzoned, defaults} {
		scenario.Check(t, "double-free-c", scenario.Expect{
			Kind:   "double-free",
			Stacks: map[string][]string{"alloc_stack": {alloc}, "free_stack": {free}, "report_stack": {"cguard_test.freeFromC"}},
		}, env...)
	}
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
		r := scenario.Run(t, tc.scenario, "CGOGUARD_LOG="+path)
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
