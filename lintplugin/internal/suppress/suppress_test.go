package suppress_test

import (
	"go/ast"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/internal/suppress"
)

// flagbad reports every call of a function named bad: a check small
// enough that the fixture shows only what Wrap does with its findings.
var flagbad = &analysis.Analyzer{
	Name: "flagbad",
	Doc:  "report calls of bad",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "bad" {
						pass.Reportf(call.Pos(), "flagbad: bad called")
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

func TestWrap(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), suppress.Wrap(flagbad), "a")
}
