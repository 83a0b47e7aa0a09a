package bridge_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/internal/checktest"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
)

// TestFacts checks the reachesC facts: which parameters of which
// functions reach C, across packages, through methods, generics and
// variadic parameters.
func TestFacts(t *testing.T) {
	checktest.Run(t, analysistest.TestData(), engine.Default, "wrap", "usewrap")
}
