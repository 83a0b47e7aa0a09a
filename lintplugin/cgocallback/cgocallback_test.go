package cgocallback_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgocallback"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cgocallback.Analyzer, "a")
}
