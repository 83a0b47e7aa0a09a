package main_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/internal/expected"
)

// tool is the cgoguard binary TestMain builds for the tests, which run it
// as users do: standalone, and as go vet's -vettool.
var tool string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cgoguard-test")
	if err != nil {
		panic(err)
	}
	tool = filepath.Join(dir, "cgoguard")
	code := 0
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		code = 1
	} else {
		code = m.Run()
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// finding matches "path:line:col: message" as go vet and the standalone
// driver print it.
// finding matches a finding in the text output; related positions follow
// it as lines whose message starts with a tab, which it leaves out.
var finding = regexp.MustCompile(`(?m)^(?:\./)?(\S+\.go):(\d+):\d+: ([^\t].*)$`)

// run runs a command in dir with extra environment, returning its
// combined output and exit code.
func run(t *testing.T, dir string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &ee):
		return string(out), ee.ExitCode()
	}
	t.Fatalf("%s: %v", strings.Join(args, " "), err)
	return "", 0
}

func findings(out string) []expected.Finding {
	var got []expected.Finding
	for _, m := range finding.FindAllStringSubmatch(out, -1) {
		line, _ := strconv.Atoi(m[2])
		got = append(got, expected.Finding{File: filepath.Base(m[1]), Line: line, Message: m[3]})
	}
	return got
}

// scratch copies a testdata package of lintplugin into a new module.
func scratch(t *testing.T, fixture string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "lintplugin", "testdata", "src", fixture))); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "go.mod"), "module "+fixture+"\n\ngo 1.26\n")
	return dir
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// routes are the two ways to run the tool, given flags.
var routes = map[string]func(flags ...string) []string{
	"vettool": func(flags ...string) []string {
		return append(append([]string{"go", "vet", "-vettool=" + tool}, flags...), "./...")
	},
	"standalone": func(flags ...string) []string { return append(append([]string{tool}, flags...), "./...") },
}

// TestVetToolOnExample runs the tool over example/ both ways, expecting
// exactly the findings the golangci-lint demo expects.
func TestVetToolOnExample(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("compiles the example's C code")
	}
	example, _ := filepath.Abs("../../example")
	want, err := expected.Findings(filepath.Join(example, "expected-findings.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name, route := range routes {
		out, code := run(t, example, nil, route()...)
		if code == 0 {
			t.Errorf("%s: exit status 0 despite findings", name)
		}
		var got []string
		for _, m := range finding.FindAllStringSubmatch(out, -1) {
			file := strings.TrimPrefix(m[1], example+string(filepath.Separator))
			check, _, _ := strings.Cut(m[3], ":")
			got = append(got, file+":"+m[2]+": "+check)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: findings differ from expected-findings.txt\ngot:\n%s\nwant:\n%s\noutput:\n%s",
				name, strings.Join(got, "\n"), strings.Join(want, "\n"), out)
		}
	}
}

// TestDirectives runs lintplugin's directives fixture through both routes
// with the checks its analysistest test runs (-cgofree -cgomap; the
// cgoguard analyzer is kept on): the findings are exactly its want
// comments.
func TestDirectives(t *testing.T) {
	t.Parallel()
	dir := scratch(t, "directives")
	wants, err := expected.Wants(dir)
	if err != nil {
		t.Fatal(err)
	}
	for name, route := range routes {
		out, code := run(t, dir, nil, route("-cgofree", "-cgomap")...)
		if code == 0 {
			t.Errorf("%s: exit status 0 despite findings", name)
		}
		for _, e := range expected.Compare(wants, findings(out)) {
			t.Errorf("%s: %s", name, e)
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", name, out)
		}
	}
}

// TestCgoOff runs both routes over a package whose cgo files hold a use
// after free, with CGO_ENABLED=0 and with no C compiler on PATH: the run
// fails with one finding that names the files, the reason and the fix.
// (Each run gets its own copy: go vet caches a package's findings by its
// files, not by the environment.)
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
		{[]string{"CGO_ENABLED=0"}, `cgoguard: cgo.go, cgo2.go not analysed: cgo is off (CGO_ENABLED=0), so the build leaves out the files with import "C"; run with CGO_ENABLED=1`},
		{[]string{"PATH=" + goOnly, "CC="}, `cgoguard: cgo.go, cgo2.go not analysed: cgo is off (no C compiler: gcc is not on PATH), so the build leaves out the files with import "C"; install gcc (or set CC to a C compiler) and run with CGO_ENABLED=1`},
	} {
		for name, route := range routes {
			out, code := run(t, scratch(t, "nocgo"), tc.env, route()...)
			got := findings(out)
			if code == 0 || len(got) != 1 || got[0] != (expected.Finding{File: "cgo.go", Line: 7, Message: tc.want}) {
				t.Errorf("%s %v: exit %d, findings %v; want one: cgo.go:7: %s\n%s", name, tc.env, code, got, tc.want, out)
			}
		}
	}
}

// TestTags checks that the standalone tool honours -tags (multichecker
// alone accepts and ignores it): a use after free in a file built only
// with a tag is found with the tag, and not without it.
func TestTags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module tags\n\ngo 1.26\n")
	write(t, filepath.Join(dir, "tagged.go"), `//go:build mytag

package tags

/*
#include <stdlib.h>
static void use(void *p) {}
*/
import "C"

func useAfterFree() {
	p := C.malloc(16)
	C.free(p)
	C.use(p)
}
`)
	write(t, filepath.Join(dir, "plain.go"), "package tags\n")
	for _, tc := range []struct {
		args []string
		env  []string
		code int
	}{
		{[]string{"./..."}, nil, 0},
		{[]string{"-tags", "mytag", "./..."}, nil, 3},
		{[]string{"-tags=other,mytag", "./..."}, nil, 3},
		{[]string{"--tags=mytag", "-cgofree", "./..."}, []string{"GOFLAGS=-mod=mod"}, 3},
		{[]string{"-tags=other", "./..."}, []string{"GOFLAGS=-tags=mytag"}, 0}, // -tags wins over GOFLAGS, as with go build
	} {
		out, code := run(t, dir, tc.env, append([]string{tool}, tc.args...)...)
		if code != tc.code {
			t.Errorf("cgoguard %s (env %v): exit %d, want %d\n%s", strings.Join(tc.args, " "), tc.env, code, tc.code, out)
		}
		if got := findings(out); tc.code == 3 && (len(got) != 1 || got[0].Line != 14) {
			t.Errorf("cgoguard %s: findings %v, want the use at tagged.go:14", strings.Join(tc.args, " "), got)
		}
	}
}

// TestExitCodes checks the exit codes `cgoguard help` documents.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	clean := t.TempDir()
	write(t, filepath.Join(clean, "go.mod"), "module clean\n\ngo 1.26\n")
	write(t, filepath.Join(clean, "a.go"), "package clean\n\nfunc F() int { return 1 }\n")
	broken := t.TempDir()
	write(t, filepath.Join(broken, "go.mod"), "module broken\n\ngo 1.26\n")
	write(t, filepath.Join(broken, "a.go"), "package broken\n\nfunc F() int { return \"x\" }\n")
	dirty := scratch(t, "nocgo") // a use after free, and nothing else
	for _, tc := range []struct {
		dir  string
		args []string
		code int
	}{
		{clean, []string{"./..."}, 0},
		{dirty, []string{"./..."}, 3},
		{dirty, []string{"-json", "./..."}, 0},
		{broken, []string{"./..."}, 1},
		{clean, []string{"-nosuchflag", "./..."}, 2},
		{clean, nil, 2},
		{clean, []string{"help", "nosuchcheck"}, 2},
		{clean, []string{"help"}, 0},
	} {
		out, code := run(t, tc.dir, nil, append([]string{tool}, tc.args...)...)
		if code != tc.code {
			t.Errorf("cgoguard %s in %s: exit %d, want %d\n%s", strings.Join(tc.args, " "), filepath.Base(tc.dir), code, tc.code, out)
		}
	}
}

// TestHelp checks that help opens with what cgoguard is and names every
// check, the directives and the exit codes, and that help CHECK shows the
// check's documentation, its snippets and URL.
func TestHelp(t *testing.T) {
	t.Parallel()
	out, _ := run(t, ".", nil, tool, "help")
	if !strings.HasPrefix(out, "cgoguard finds the bugs of Go code that calls C") {
		t.Errorf("help does not start by saying what cgoguard is:\n%s", out)
	}
	for _, want := range []string{"cgomap ", "cgoptr ", "cgofree ", "cgofinalizer ", "cgohandle ", "cgocallback ", "cgoheader ",
		"//cgoguard:ignore CHECK[,CHECK] reason", "//cgoguard:file-ignore", "Exit codes", "  3  findings", "-tags"} {
		if !strings.Contains(out, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
	out, code := run(t, ".", nil, tool, "help", "cgofree")
	for _, want := range []string{"cgofree: report C memory used after C.free", "Flagged:\n\n\tcs := C.CString(name)",
		"Silent (the fix):\n\n\tcs := C.CString(name)\n\tdefer C.free", "https://github.com/cgoguard/cgoguard#cgofree"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("help cgofree (exit %d) does not contain %q:\n%s", code, want, out)
		}
	}
	out, _ = run(t, ".", nil, tool, "help", "cgofre")
	if want := `cgoguard: help: unknown check "cgofre" (did you mean "cgofree"?`; !strings.Contains(out, want) {
		t.Errorf("help cgofre: %q does not contain %q", out, want)
	}
}

// TestVersion checks -version, and -V=full as go vet parses it (a
// "devel" version and a trailing buildID, so that its cache follows the
// binary).
func TestVersion(t *testing.T) {
	t.Parallel()
	out, code := run(t, ".", nil, tool, "-version")
	if code != 0 || !regexp.MustCompile(`^cgoguard \S+ .*go1\.\d+`).MatchString(out) {
		t.Errorf("-version: exit %d, %q", code, out)
	}
	out, code = run(t, ".", nil, tool, "-V=full")
	f := strings.Fields(out)
	if code != 0 || len(f) < 4 || f[1] != "version" || !strings.Contains(f[2], "devel") || !strings.HasPrefix(f[len(f)-1], "buildID=") {
		t.Errorf("-V=full: exit %d, %q: not what go vet accepts", code, out)
	}
	data, err := os.ReadFile(tool)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("buildID=%x", sha256.Sum256(data)); len(f) > 0 && f[len(f)-1] != want {
		t.Errorf("-V=full: %q does not end with the binary's hash %s", out, want)
	}
}
