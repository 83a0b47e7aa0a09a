package bridge_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/internal/bridge"
	"github.com/cgoguard/cgoguard/lintplugin/internal/checktest"
)

// TestFacts checks the reachesC facts: which parameters of which
// functions reach C, across packages, through methods, generics and
// variadic parameters.
func TestFacts(t *testing.T) {
	checktest.Run(t, analysistest.TestData(), bridge.Analyzer, "wrap", "usewrap")
}
