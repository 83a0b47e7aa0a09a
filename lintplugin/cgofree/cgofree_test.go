package cgofree_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgofree"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cgofree.Analyzer, "a", "guarded")
}
