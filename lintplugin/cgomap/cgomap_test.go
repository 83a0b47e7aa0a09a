package cgomap_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgomap"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), cgomap.Analyzer, "a", "wrap", "usewrap")
}
