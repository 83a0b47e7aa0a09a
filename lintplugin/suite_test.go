package lintplugin_test

import (
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin"
)

// TestDirectives runs the suite (the cgoguard analyzer, and cgofree and
// cgomap wrapped as Select wraps them) over a package of directives:
// suppressed, stale, malformed, for a check that did not run, file-wide.
func TestDirectives(t *testing.T) {
	t.Parallel()
	suite := lintplugin.Select(lintplugin.Settings{Enable: []string{"cgofree", "cgomap"}})
	analysistest.Run(t, analysistest.TestData(), together(suite), "directives")
}

// together runs several analyzers' Run functions on one pass, so that
// analysistest can check all their diagnostics against one package's want
// comments. Each runs with its own Analyzer in the pass; the results of
// everything they require are in ResultOf.
func together(as []*analysis.Analyzer) *analysis.Analyzer {
	var req []*analysis.Analyzer
	for _, a := range as {
		for _, r := range a.Requires {
			if !slices.Contains(req, r) {
				req = append(req, r)
			}
		}
	}
	return &analysis.Analyzer{
		Name:             "suite",
		Doc:              "the cgoguard suite on one pass",
		Requires:         req,
		RunDespiteErrors: true,
		Run: func(pass *analysis.Pass) (any, error) {
			for _, a := range as {
				p := *pass
				p.Analyzer = a
				if _, err := a.Run(&p); err != nil {
					return nil, err
				}
			}
			return nil, nil
		},
	}
}
