package csummary

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestRealCgoPackage loads a package that cgo really compiles (preamble
// plus a separate .c file including _cgo_export.h) the way an analyzer
// does: from the pass's cgo-processed files, back to the user's files.
func TestRealCgoPackage(t *testing.T) {
	dir := filepath.Join(analysistest.TestData(), "src", "real")
	build := exec.Command("go", "build", "-o", os.DevNull, ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GO111MODULE=off", "GOPATH="+analysistest.TestData(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("cgo does not compile the test package: %v\n%s", err, out)
	}

	var in Input
	probe := &analysis.Analyzer{Name: "csummaryprobe", Doc: "records the csummary input of a pass",
		Run: func(pass *analysis.Pass) (any, error) {
			in = InputFromPass(pass, Settings{})
			return nil, nil
		}}
	analysistest.Run(t, analysistest.TestData(), probe, "real")
	if want := filepath.Join(dir, "real.go"); len(in.GoFiles) != 1 || in.GoFiles[0] != want {
		t.Fatalf("InputFromPass: GoFiles = %v, want [%s]", in.GoFiles, want)
	}
	if len(in.OtherFiles) == 0 {
		t.Fatalf("InputFromPass: no OtherFiles")
	}
	p := Load(in)
	for name, want := range map[string]string{
		"remember":     "remember(p: retained in static last)",
		"forget":       "forget()",
		"register_cb":  "register_cb(p: retained in field cb of static reg)",
		"start_worker": "start_worker(p: retained in the thread started by pthread_create running worker) calls goNotify on a thread",
		"checksum":     "checksum(p: used only, n)",
		"make_name":    "make_name(n) fresh(free)",
		"free":         "free(#1: freed by free)",
	} {
		if got := sum(t, p, name); got != want {
			t.Errorf("%s:\n got: %s\nwant: %s", name, got, want)
		}
	}
	if notes := p.Notes(); len(notes) != 0 {
		t.Errorf("Notes() = %q, want none", notes)
	}
}
