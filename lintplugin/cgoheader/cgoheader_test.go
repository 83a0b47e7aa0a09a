package cgoheader_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgoheader"
)

// Test checks the default analyzer (hazards only) and its fixes.
func Test(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), cgoheader.Analyzer, "a")
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
