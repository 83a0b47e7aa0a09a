package guardzap_test

import (
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/guardzap"
)

//go:noinline
func misuse(h guard.Handle) (recovered any) {
	defer func() { recovered = recover() }()
	h.Value()
	return nil
}

// TestSetLoggerReceivesReports checks that debug builds report through the
// logger set here, with structured fields, and release builds log nothing
// (they have nothing to report: cgo.Handle panics on its own).
func TestSetLoggerReceivesReports(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	guardzap.SetLogger(zap.New(core))
	defer guardzap.SetLogger(nil)

	h := guard.NewHandle("x")
	h.Delete()
	//cgoguard:ignore cgohandle the misuse the guard must report
	if misuse(h) == nil {
		t.Fatal("Value after Delete did not panic")
	}
	entries := logs.All()
	if !guard.Enabled() {
		if len(entries) != 0 {
			t.Errorf("release build logged %v", entries)
		}
		return
	}
	if len(entries) != 1 {
		t.Fatalf("logged %d entries, want 1", len(entries))
	}
	f := entries[0].ContextMap()
	if f["kind"] != "handle-use-after-delete" || f["handle_id"] != uint64(h) || f["op"] != "Value" {
		t.Errorf("fields = %v", f)
	}
	for _, name := range []string{"create_stack", "delete_stack", "report_stack"} {
		frames, _ := f[name].([]any)
		if len(frames) == 0 {
			t.Errorf("%s missing: %v", name, f)
			continue
		}
		if fn := frames[0].(map[string]any)["function"]; fn != "github.com/cgoguard/cgoguard/guard/guardzap_test.TestSetLoggerReceivesReports" && fn != "github.com/cgoguard/cgoguard/guard/guardzap_test.misuse" {
			t.Errorf("%s starts at %v", name, fn)
		}
	}
}
