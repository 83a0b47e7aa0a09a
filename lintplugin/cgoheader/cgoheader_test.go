package cgoheader_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgoheader"
	"github.com/cgoguard/cgoguard/lintplugin/internal/checktest"
	"github.com/cgoguard/cgoguard/lintplugin/internal/config"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
)

// Test checks the default analyzer (hazards only) and its fixes.
func Test(t *testing.T) {
	t.Parallel()
	results := checktest.RunWithSuggestedFixes(t, analysistest.TestData(), cgoheader.Analyzer, "a")
	// Other events of a finding are related positions, not line numbers in
	// the message.
	want := map[string]string{
		"(*[1 << 30]byte)(unsafe.Pointer(p))[:n] has":    "append grows it here",
		"Cap of b is n elements":                         "C.malloc allocates the memory here",
		"reflect.SliceHeader value sh is converted to a": "Data set to C memory (the result of C.keys)",
	}
	for _, r := range results {
		fset := r.Action.Package.Fset
		for _, d := range r.Diagnostics {
			for prefix, rel := range want {
				if !strings.Contains(d.Message, prefix) {
					continue
				}
				delete(want, prefix)
				if len(d.Related) != 1 || d.Related[0].Message != rel {
					t.Errorf("%s: related information %+v, want one %q", fset.Position(d.Pos), d.Related, rel)
				} else if fset.Position(d.Related[0].Pos).Line == fset.Position(d.Pos).Line {
					t.Errorf("%s: related information on the finding's own line", fset.Position(d.Pos))
				}
			}
		}
	}
	for prefix := range want {
		t.Errorf("no finding %q", prefix)
	}
}

// TestModules checks the modernize option, and the fixes under go.mod
// versions before unsafe.Slice (1.16) and before unsafe.String (1.19).
func TestModules(t *testing.T) {
	t.Parallel()
	a := withModernize(true)
	for _, dir := range []string{"modernize", "go116", "go119"} {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			checktest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), dir), a, "./...")
		})
	}
}

// TestModernizeFlag checks that -modernize (-cgoheader.modernize in the
// vet tool) turns the option on for the package-level analyzer, whose
// engine's settings the flag writes. It is not parallel: it changes those
// settings and restores them before the parallel tests run.
func TestModernizeFlag(t *testing.T) {
	f := cgoheader.Analyzer.Flags.Lookup("modernize")
	if f == nil || f.Value.String() != "false" {
		t.Fatalf("flag modernize = %v, want false by default", f)
	}
	if err := f.Value.Set("true"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := f.Value.Set("false"); err != nil {
			t.Error(err)
		}
	}()
	if !engine.DefaultConfig.HeaderModernize {
		t.Fatal("-modernize did not reach the default engine's settings")
	}
	// The modernize fixtures' findings need the option.
	checktest.Run(t, filepath.Join(analysistest.TestData(), "modernize"), cgoheader.Analyzer, "./...")
}

// withModernize returns the check on an engine of its own with the
// modernize setting on or off.
func withModernize(on bool) *analysis.Analyzer {
	cfg := config.Default()
	cfg.HeaderModernize = on
	return cgoheader.New(engine.New(cfg))
}
