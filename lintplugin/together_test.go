package lintplugin_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/cgoguard/cgoguard/lintplugin"
)

// TestChecksTogether runs every check at once over fixtures with findings
// of every kind, as drivers do: the checks share one engine result and run
// in parallel, so under -race (make test runs this test so) this catches
// unsynchronised caches. It also checks that no analyzer fails.
func TestChecksTogether(t *testing.T) {
	t.Parallel()
	for _, fixture := range []struct{ gopath, pkg string }{
		{"cgofree/testdata", "a"},
		{"cgoleak/testdata", "a"},
		{"cgoretain/testdata", "a"},
		{"cgoptr/testdata", "a"},
		{"cgohandle/testdata", "a"},
	} {
		dir, _ := filepath.Abs(fixture.gopath)
		cfg := &packages.Config{
			Mode: packages.LoadAllSyntax,
			Dir:  dir,
			Env:  append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOWORK=off"),
		}
		pkgs, err := packages.Load(cfg, fixture.pkg)
		if err != nil {
			t.Fatal(err)
		}
		graph, err := checker.Analyze(lintplugin.Checks(), pkgs, &checker.Options{})
		if err != nil {
			t.Fatal(err)
		}
		findings := 0
		for act := range graph.All() {
			if act.Err != nil {
				t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
			}
			findings += len(act.Diagnostics)
		}
		if findings == 0 {
			t.Errorf("%s/%s: no findings from all checks together", fixture.gopath, fixture.pkg)
		}
	}
}
