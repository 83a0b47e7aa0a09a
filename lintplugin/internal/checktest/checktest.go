// Package checktest runs a check over its analysistest fixtures and fails
// the test when a fixture does not type-check: the checks stay silent on
// ill-typed code (by design, for users), so a fixture with a typo would
// otherwise pass while testing nothing.
package checktest

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// Run is analysistest.Run, plus a failure for every type error.
func Run(t *testing.T, dir string, a *analysis.Analyzer, pkgs ...string) []*analysistest.Result {
	t.Helper()
	results := analysistest.Run(t, dir, a, pkgs...)
	TypeChecked(t, results)
	return results
}

// RunWithSuggestedFixes is analysistest.RunWithSuggestedFixes, plus a
// failure for every type error.
func RunWithSuggestedFixes(t *testing.T, dir string, a *analysis.Analyzer, pkgs ...string) []*analysistest.Result {
	t.Helper()
	results := analysistest.RunWithSuggestedFixes(t, dir, a, pkgs...)
	TypeChecked(t, results)
	return results
}

// TypeChecked fails the test for each type error in the analysed packages.
func TypeChecked(t *testing.T, results []*analysistest.Result) {
	t.Helper()
	for _, r := range results {
		for _, e := range r.Pass.TypeErrors {
			t.Errorf("fixture %s does not type-check: %v", r.Pass.Pkg.Path(), e)
		}
	}
}
