package lintplugin_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/cgoguard/cgoguard/lintplugin"
)

// TestCgoOff loads testdata/src/nocgo with cgo on, with CGO_ENABLED=0,
// and with no C compiler on PATH, and runs the suite: with cgo off, the
// cgoguard analyzer reports once, at the first cgo file's import "C", the
// cgo files left out (not those another GOOS or a tag not given leave
// out), with the reason and the fix. (Not parallel: it sets the
// environment, which the analyzer reads as go vet's tool would.)
func TestCgoOff(t *testing.T) {
	const (
		offMsg  = `cgoguard: cgo.go, cgo2.go not analysed: cgo is off (CGO_ENABLED=0), so the build leaves out the files with import "C"; run with CGO_ENABLED=1`
		noCCMsg = `cgoguard: cgo.go, cgo2.go not analysed: cgo is off (no C compiler: gcc is not on PATH), so the build leaves out the files with import "C"; install gcc (or set CC to a C compiler) and run with CGO_ENABLED=1`
	)
	goOnly := t.TempDir() // a PATH with go and nothing else
	goBin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if p, err := exec.LookPath("go"); err == nil {
		goBin = p
	}
	if err := os.Symlink(goBin, filepath.Join(goOnly, "go")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want []string // file:line: message
	}{
		{"cgo on", nil, []string{"cgo.go:12: cgofree"}}, // the near miss: the checks see the cgo files
		{"CGO_ENABLED=0", map[string]string{"CGO_ENABLED": "0"}, []string{"cgo.go:7: " + offMsg}},
		{"no C compiler", map[string]string{"PATH": goOnly, "CC": ""}, []string{"cgo.go:7: " + noCCMsg}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			got := runSuite(t, "nocgo")
			for i, g := range got {
				if m := len("cgo.go:12: cgofree"); len(g) > m && g[:m] == "cgo.go:12: cgofree" {
					got[i] = g[:m] // the message is cgofree's business
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings:\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

// runSuite loads pkg from testdata (GOPATH mode) in the current
// environment and returns the suite's findings as "file:line: message".
func runSuite(t *testing.T, pkg string) []string {
	t.Helper()
	dir, _ := filepath.Abs("testdata")
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  dir,
		Env:  append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, pkg)
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze(lintplugin.Analyzers(), pkgs, &checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s: %v", act.Analyzer.Name, act.Err)
		}
		for _, d := range act.Diagnostics {
			p := act.Package.Fset.Position(d.Pos)
			out = append(out, filepath.Base(p.Filename)+":"+strconv.Itoa(p.Line)+": "+d.Message)
		}
	}
	slices.Sort(out)
	return out
}
