package cgoretain_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgoretain"
	"github.com/cgoguard/cgoguard/lintplugin/internal/checktest"
)

func Test(t *testing.T) {
	checktest.Run(t, analysistest.TestData(), cgoretain.Analyzer, "a")
}
