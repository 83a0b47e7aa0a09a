package api_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
	"github.com/cgoguard/cgoguard/lintplugin/internal/checktest"
)

// kinds names the kinds for the fixture's want comments.
var kinds = map[api.Kind]string{
	api.CAlloc: "CAlloc", api.CFree: "CFree", api.CCopyOut: "CCopyOut", api.CCall: "CCall",
	api.HandleNew: "HandleNew", api.HandleValue: "HandleValue", api.HandleDelete: "HandleDelete",
	api.PinnerPin: "PinnerPin", api.PinnerUnpin: "PinnerUnpin", api.KeepAlive: "KeepAlive",
	api.SetFinalizer: "SetFinalizer", api.AddCleanup: "AddCleanup", api.Lock: "Lock", api.Unlock: "Unlock",
	api.RLock: "RLock", api.RUnlock: "RUnlock", api.SyncMap: "SyncMap", api.View: "View",
	api.ReflectPointer: "ReflectPointer", api.ReflectValueOf: "ReflectValueOf", api.MapsWrite: "MapsWrite",
}

// classify reports, at each call of the user's code, what api.Classify
// says it is.
var classify = &analysis.Analyzer{
	Name:     "classify",
	Doc:      "report api.Classify's answer at each call",
	Requires: []*analysis.Analyzer{buildssa.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, fn := range pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs {
			if cgoshape.IsGenerated(fn) {
				continue
			}
			for _, b := range fn.Blocks {
				for _, ins := range b.Instrs {
					ci, ok := ins.(ssa.CallInstruction)
					if !ok {
						continue
					}
					c := api.Classify(ci.Common())
					if name, ok := kinds[c.Kind]; ok {
						pass.Reportf(ci.Pos(), "%s %s%s", name, c.Name, guard(c.Guard))
					}
				}
			}
		}
		return nil, nil
	},
}

func guard(g bool) string {
	if g {
		return " (guard)"
	}
	return ""
}

// TestClassify checks the table on the calls of a fixture that uses every
// API it knows, C's and the guard's included.
func TestClassify(t *testing.T) {
	checktest.Run(t, analysistest.TestData(), classify, "calls")
}
