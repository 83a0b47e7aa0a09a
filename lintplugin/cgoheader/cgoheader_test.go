package cgoheader_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgoheader"
)

// Test checks the default analyzer (hazards only) and its fixes.
func Test(t *testing.T) {
	t.Parallel()
	results := analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), cgoheader.Analyzer, "a")
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
	a := cgoheader.New(cgoheader.Options{Modernize: true})
	for _, dir := range []string{"modernize", "go116", "go119"} {
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), dir), a, "./...")
		})
	}
}

// TestModernizeFlag checks that -modernize (-cgoheader.modernize in the
// vet tool) turns the option on for its own analyzer only.
func TestModernizeFlag(t *testing.T) {
	t.Parallel()
	if f := cgoheader.New(cgoheader.Options{Modernize: true}).Flags.Lookup("modernize"); f == nil || f.Value.String() != "true" {
		t.Fatalf("New(Options{Modernize: true}): flag modernize = %v, want true", f)
	}
	a := cgoheader.New(cgoheader.Options{})
	if err := a.Flags.Set("modernize", "true"); err != nil {
		t.Fatal(err)
	}
	if v := cgoheader.Analyzer.Flags.Lookup("modernize").Value.String(); v != "false" {
		t.Fatalf("setting another analyzer's flag changed Analyzer's to %s", v)
	}
	// The modernize fixtures' findings need the option.
	analysistest.Run(t, filepath.Join(analysistest.TestData(), "modernize"), a, "./...")
}
