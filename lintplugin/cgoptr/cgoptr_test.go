package cgoptr_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgoptr"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cgoptr.Analyzer, "a", "wrap", "usewrap")
}
