package cgofinalizer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgofinalizer"
	"github.com/cgoguard/cgoguard/lintplugin/internal/checktest"
)

func Test(t *testing.T) {
	checktest.RunWithSuggestedFixes(t, analysistest.TestData(), cgofinalizer.Analyzer, "a")
}
