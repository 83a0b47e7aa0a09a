package cgohandle_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgohandle"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cgohandle.Analyzer, "a", "guarded")
}
