package lintplugin_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/cgoguard/cgoguard/lintplugin"
)

// TestIllTyped runs the suite over packages that do not type-check
// (cgo preprocessing fails; Go type errors; callers of ill-typed wrappers):
// no panic, no analyzer error, no diagnostic without a position, and no
// directive called stale (a check may stay silent on ill-typed code).
func TestIllTyped(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("testdata")
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  dir,
		Env:  append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "badcgo", "badtypes", "badcaller")
	if err != nil {
		t.Fatal(err)
	}
	illTyped := 0
	for _, p := range pkgs {
		if len(p.Errors) > 0 || len(p.TypeErrors) > 0 {
			illTyped++
		}
	}
	if illTyped != len(pkgs) {
		t.Fatalf("%d of %d fixture packages are ill-typed; the test needs all of them to be", illTyped, len(pkgs))
	}
	graph, err := checker.Analyze(lintplugin.Analyzers(), pkgs, &checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
		}
		for _, d := range act.Diagnostics {
			if !d.Pos.IsValid() {
				t.Errorf("%s on %s: diagnostic without position: %s", act.Analyzer.Name, act.Package.PkgPath, d.Message)
			}
			if strings.Contains(d.Message, "suppresses no") {
				t.Errorf("%s on %s: %s", act.Analyzer.Name, act.Package.PkgPath, d.Message)
			}
		}
	}
}
