package cgofree_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgofree"
	"github.com/cgoguard/cgoguard/lintplugin/internal/checktest"
)

func Test(t *testing.T) {
	checktest.Run(t, analysistest.TestData(), cgofree.Analyzer, "a", "guarded", "cside")
}
