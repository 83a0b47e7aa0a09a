//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/internal/expected"
	"github.com/cgoguard/cgoguard/lintplugin"
)

// scratch copies a testdata package of lintplugin into a new module with
// the given .golangci.yml.
func scratch(t *testing.T, fixture, config string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "lintplugin", "testdata", "src", fixture))); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "go.mod"), "module "+fixture+"\n\ngo 1.26\n")
	writeFile(t, filepath.Join(dir, ".golangci.yml"), config)
	return dir
}

// asVet returns an issue's text as go vet prints it: golangci-lint leaves
// out the "cgoguard: " of the analyzer named like the linter.
func asVet(text string) string {
	check, _, _ := strings.Cut(text, ": ")
	if slices.Contains(lintplugin.CheckNames(), check) {
		return text
	}
	return lintplugin.Name + ": " + text
}

// TestDirectives runs lintplugin's directives fixture through golangci-lint
// with the checks its analysistest test runs: the findings are exactly its
// want comments, as in the vet routes (cmd/cgoguard's TestDirectives).
func TestDirectives(t *testing.T) {
	t.Parallel()
	dir := scratch(t, "directives", configWith("enable: [cgofree, cgomap]"))
	wants, err := expected.Wants(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []expected.Finding
	for _, is := range lint(t, dir, "./...") {
		got = append(got, expected.Finding{File: filepath.Base(is.Pos.Filename), Line: is.Pos.Line, Message: asVet(is.Text)})
	}
	for _, e := range expected.Compare(wants, got) {
		t.Errorf("through golangci-lint: %s", e)
	}
}

// TestGolangciExclusions checks golangci-lint's own ways, beside the
// directives: //nolint:cgoguard silences every check on its line, and
// exclusions.rules silence one check by its name at the start of the text.
func TestGolangciExclusions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module excl\n\ngo 1.26\n")
	writeFile(t, filepath.Join(dir, ".golangci.yml"), exclusionsConfig)
	uaf := func(name, directive string) string {
		return `package excl

/*
#include <stdlib.h>
static void use(void *p) {}
*/
import "C"

func ` + name + `() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) ` + directive + `
}
`
	}
	writeFile(t, filepath.Join(dir, "excluded.go"), uaf("excluded", ""))
	writeFile(t, filepath.Join(dir, "nolint.go"), uaf("nolint", "//nolint:cgoguard // C.use ignores p in this test"))
	writeFile(t, filepath.Join(dir, "kept.go"), uaf("kept", "")) // the near miss: same code, no exclusion
	var got []string
	for _, is := range lint(t, dir, "./...") {
		got = append(got, filepath.Base(is.Pos.Filename)+": "+strings.SplitN(is.Text, ":", 2)[0])
	}
	if want := []string{"kept.go: cgofree"}; !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

const exclusionsConfig = `version: "2"
linters:
  default: none
  enable: [cgoguard]
  settings:
    custom:
      cgoguard:
        type: module
  exclusions:
    rules:
      - linters: [cgoguard]
        path: excluded\.go
        text: "^cgofree: "
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`

// TestCgoOff runs golangci-lint over a package whose cgo files hold a use
// after free, with CGO_ENABLED=0 and with no C compiler on PATH: one
// finding names the files, the reason and the fix, and the run fails.
func TestCgoOff(t *testing.T) {
	t.Parallel()
	goOnly := t.TempDir()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(goBin, filepath.Join(goOnly, "go")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"CGO_ENABLED=0"}, `cgo.go, cgo2.go not analysed: cgo is off (CGO_ENABLED=0), so the build leaves out the files with import "C"; run with CGO_ENABLED=1`},
		{[]string{"PATH=" + goOnly, "CC="}, `cgo.go, cgo2.go not analysed: cgo is off (no C compiler: gcc is not on PATH), so the build leaves out the files with import "C"; install gcc (or set CC to a C compiler) and run with CGO_ENABLED=1`},
	} {
		dir := scratch(t, "nocgo", configWith("disable: []"))
		got := lintEnv(t, dir, tc.env, "./...")
		if len(got) != 1 || filepath.Base(got[0].Pos.Filename) != "cgo.go" || got[0].Pos.Line != 7 || got[0].Text != tc.want {
			t.Errorf("%v: issues %+v; want one at cgo.go:7: %s", tc.env, got, tc.want)
		}
	}
}
