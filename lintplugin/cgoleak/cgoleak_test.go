package cgoleak_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgoleak"
	"github.com/cgoguard/cgoguard/lintplugin/internal/checktest"
)

func Test(t *testing.T) {
	checktest.Run(t, analysistest.TestData(), cgoleak.Analyzer, "a")
}
