//go:build cgoguard

package guard_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/internal/scenario"
)

func TestHandleMisuse(t *testing.T) {
	createDelete := map[string][]string{"create_stack": {"guard_test.createHandle"}, "delete_stack": {"guard_test.deleteHandle"}}
	t.Run("value-after-delete", func(t *testing.T) {
		stacks := map[string][]string{"report_stack": {"guard_test.valueOf"}}
		for k, v := range createDelete {
			stacks[k] = v
		}
		scenario.Check(t, "handle-value-after-delete", scenario.Expect{
			Kind: "handle-use-after-delete", Stacks: stacks, Fields: map[string]any{"op": "Value", "handle_id": 1},
		})
	})
	t.Run("delete-after-delete", func(t *testing.T) {
		stacks := map[string][]string{"report_stack": {"guard_test.deleteAgain"}}
		for k, v := range createDelete {
			stacks[k] = v
		}
		scenario.Check(t, "handle-delete-after-delete", scenario.Expect{
			Kind: "handle-use-after-delete", Stacks: stacks, Fields: map[string]any{"op": "Delete", "handle_id": 1},
		})
	})
	t.Run("never-created", func(t *testing.T) {
		scenario.Check(t, "handle-never-created", scenario.Expect{
			Kind: "handle-invalid", Stacks: map[string][]string{"report_stack": {"guard_test.valueOf"}},
			Fields: map[string]any{"op": "Value", "handle_id": 987654},
		})
	})
}

func TestPinOfMapPointsToNewHandle(t *testing.T) {
	scenario.Check(t, "pin-map", scenario.Expect{
		Kind: "invalid-pin", Stacks: map[string][]string{"pin_stack": {"guard_test.pinMap"}},
		Output: []string{"cannot pin a map", "guard.NewHandle"},
	})
}

func TestLeaks(t *testing.T) {
	scenario.Check(t, "leaked-pin", scenario.Expect{
		Kind: "leaked-pin", Stacks: map[string][]string{"pin_stack": {"guard_test.pinAndForget"}},
		Output: []string{"still pinned"},
	})
	scenario.Check(t, "leaked-handle", scenario.Expect{
		Kind: "leaked-handle", Stacks: map[string][]string{"create_stack": {"guard_test.createHandle"}},
		Fields: map[string]any{"handle_id": 1},
	})
}

func TestMalformedVariableStopsStartUp(t *testing.T) {
	for _, tc := range []struct{ env, accepted string }{
		{"CGOGUARD_ON_VIOLATION=crash", `"panic"`},
		{"CGOGUARD_LOG=/nonexistent-dir/guard.json", `"console", "json"`},
		{"CGOGUARD_SAMPLE=often", "1 = all"},
		{"CGOGUARD_QUARANTINE=64MB", "bytes"},
		{"CGOGUARD_LOG=JSON", `"json"`},
		{"CGOGUARD_LOG=jsonn", `contain a "/"`},
		{"CGOGUARD_SAMPLE_FIRST=few", "always put on guard pages"},
		{"CGOGUARD_GUARD_BYTES=16MiB", "guard-page buffers"},
	} {
		r := scenario.Run(t, "start-up", tc.env)
		name, _, _ := strings.Cut(tc.env, "=")
		if r.ExitCode == 0 || strings.Contains(r.Output, "started") {
			t.Errorf("%s: the program started:\n%s", tc.env, r.Output)
		}
		for _, want := range []string{name, "accepted values", tc.accepted} {
			if !strings.Contains(r.Output, want) {
				t.Errorf("%s: message lacks %q:\n%s", tc.env, want, r.Output)
			}
		}
	}
}

// TestVerifyNoneFailsALeakyTest runs TestLeakyChild in a child process: a
// test that leaks a handle and ends with guard.VerifyNone(t) must fail and
// print the leak with the stack that created it.
func TestVerifyNoneFailsALeakyTest(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestLeakyChild$", "-test.v")
	cmd.Env = append(os.Environ(), "CGOGUARD_TEST_LEAKY_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the leaky test passed:\n%s", out)
	}
	for _, want := range []string{"--- FAIL: TestLeakyChild", "leaked-handle", "create_stack", "guard_test.TestLeakyChild"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestLeakyChild is the child of TestVerifyNoneFailsALeakyTest; it does
// nothing in a normal run.
func TestLeakyChild(t *testing.T) {
	if os.Getenv("CGOGUARD_TEST_LEAKY_CHILD") == "" {
		t.Skip("run by TestVerifyNoneFailsALeakyTest")
	}
	defer guard.VerifyNone(t)
	guard.NewHandle("never deleted") //nolint:cgoguard // leaked on purpose: the test checks that VerifyNone reports it
}
