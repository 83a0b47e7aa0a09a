//go:build e2e

// Package e2e runs the real custom golangci-lint binary (with the cgoguard
// plugin compiled in) over every check's analysistest fixtures and over
// example/, because golangci-lint hands analyzers cgo-processed files and
// drops findings it cannot place in the user's files. make test-e2e builds
// the binary and names it in CGOGUARD_CUSTOM_GCL.
package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/internal/expected"
)

func customGCL(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("CGOGUARD_CUSTOM_GCL")
	if bin == "" {
		t.Fatal("CGOGUARD_CUSTOM_GCL is not set: run `make test-e2e`, which builds ./bin/custom-gcl")
	}
	if !filepath.IsAbs(bin) {
		bin = filepath.Join("..", bin) // relative to the repository root
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// issue is the part of golangci-lint's JSON output the tests read.
type issue struct {
	FromLinter string
	Text       string
	Pos        struct {
		Filename string
		Line     int
	}
}

// lint runs golangci-lint in dir with its own empty cache (the cache does
// not know the plugin changed) and returns the cgoguard issues.
func lint(t *testing.T, dir string, args ...string) []issue {
	t.Helper()
	return lintEnv(t, dir, nil, args...)
}

// lintEnv is lint with extra environment variables.
func lintEnv(t *testing.T, dir string, env []string, args ...string) []issue {
	t.Helper()
	out, stderr, err := runGCLEnv(t, dir, env, args...)
	if err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Fatalf("golangci-lint in %s: %v\n%s", dir, err, stderr)
		}
	}
	var report struct{ Issues []issue }
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("golangci-lint in %s: parsing JSON output: %v\nstdout:\n%s\nstderr:\n%s", dir, err, out, stderr)
	}
	var mine []issue
	for _, is := range report.Issues {
		if strings.Contains(is.Text, "(related information): ") {
			continue // golangci-lint prints a diagnostic's related positions as issues of their own
		}
		if is.FromLinter == "cgoguard" {
			mine = append(mine, is)
		} else {
			t.Errorf("%s:%d: unexpected linter %s: %s", is.Pos.Filename, is.Pos.Line, is.FromLinter, is.Text)
		}
	}
	return mine
}

func runGCL(t *testing.T, dir string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	return runGCLEnv(t, dir, nil, args...)
}

func runGCLEnv(t *testing.T, dir string, env []string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	cmd := exec.Command(customGCL(t), append([]string{"run", "--allow-parallel-runners", "--output.json.path=stdout",
		"--output.text.path=stderr", "--show-stats=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOLANGCI_LINT_CACHE="+t.TempDir()), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.Bytes(), e.Bytes(), err
}

// TestExample checks the exact findings on example/ against
// example/expected-findings.txt, the file `make demo` compares with too.
func TestExample(t *testing.T) {
	t.Parallel()
	dir, _ := filepath.Abs("../example")
	wantLines, err := expected.Findings(filepath.Join(dir, "expected-findings.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, is := range lint(t, dir, "./...") {
		check, _, _ := strings.Cut(is.Text, ":")
		got = append(got, fmt.Sprintf("%s:%d: %s", is.Pos.Filename, is.Pos.Line, check))
	}
	slices.Sort(got)
	if !slices.Equal(got, wantLines) {
		t.Errorf("findings on example/ differ from expected-findings.txt\ngot:\n%s\nwant:\n%s",
			strings.Join(got, "\n"), strings.Join(wantLines, "\n"))
	}
}

// TestBadSettings checks that golangci-lint stops, with its failure exit
// code, on bad settings, printing cgoguard's error once: the key, the valid
// keys or checks, the closest one; never the decoder's own words.
func TestBadSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ settings, want string }{
		{"disable: [cgonope]", `cgoguard: settings: disable: unknown check "cgonope" (valid checks: cgomap, cgoptr, cgoretain, cgofree, cgoleak, cgofinalizer, cgohandle, cgocallback, cgoheader)`},
		{"enable: [cgofre]", `cgoguard: settings: enable: unknown check "cgofre" (did you mean "cgofree"? valid checks: `},
		{"disabled: [cgomap]", `cgoguard: settings: unknown key "disabled" (did you mean "disable"? valid keys: enable, disable, explain, retain-functions, free-functions, cgofinalizer, cgohandle, cgoheader)`},
		{"disable: cgomap", `cgoguard: settings: disable: want a list of check names, e.g. [a, b], got the string "cgomap"`},
	} {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "go.mod"), "module bad\n\ngo 1.26\n")
		writeFile(t, filepath.Join(dir, "a.go"), "package bad\n")
		writeFile(t, filepath.Join(dir, ".golangci.yml"), configWith(tc.settings))
		_, stderr, err := runGCL(t, dir, "./...")
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 {
			t.Errorf("settings %q: %v, want exit status 3\n%s", tc.settings, err, stderr)
		}
		if n := strings.Count(string(stderr), tc.want); n != 1 {
			t.Errorf("settings %q: the error %q appears %d times, want once:\n%s", tc.settings, tc.want, n, stderr)
		}
		if strings.Contains(string(stderr), "json") {
			t.Errorf("settings %q: the decoder's error leaks out:\n%s", tc.settings, stderr)
		}
	}
}

func configWith(settings string) string {
	return `version: "2"
linters:
  default: none
  enable: [cgoguard]
  settings:
    custom:
      cgoguard:
        type: module
        settings:
          ` + settings + `
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`
}

// TestFixtures runs golangci-lint over each check's analysistest packages
// (lintplugin/<check>/testdata/src/<pkg>), each made a module of a
// workspace so that cross-package fixtures resolve, and checks that the
// check's findings are exactly the `// want` lines, with matching text.
func TestFixtures(t *testing.T) {
	t.Parallel()
	srcs, err := filepath.Glob("../lintplugin/*/testdata/src")
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no fixtures found: %v", err)
	}
	for _, src := range srcs {
		check := filepath.Base(filepath.Dir(filepath.Dir(src)))
		t.Run(check, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			if err := os.CopyFS(root, os.DirFS(src)); err != nil {
				t.Fatal(err)
			}
			pkgs, _ := os.ReadDir(root)
			var uses []string
			for _, p := range pkgs {
				if p.IsDir() {
					writeFile(t, filepath.Join(root, p.Name(), "go.mod"), "module "+p.Name()+"\n\ngo 1.26\n")
					uses = append(uses, "./"+p.Name())
				}
			}
			writeFile(t, filepath.Join(root, "go.work"), "go 1.26\n\nuse (\n\t"+strings.Join(uses, "\n\t")+"\n)\n")
			writeFile(t, filepath.Join(root, ".golangci.yml"), configWith("disable: []"))
			for _, p := range uses {
				dir := filepath.Join(root, p)
				compare(t, check, dir, lint(t, dir, "./..."))
			}
		})
	}
}

// compare matches the check's golangci-lint findings in dir against the
// want comments: every finding on a want line matching one of its
// patterns, every pattern matched.
func compare(t *testing.T, check, dir string, issues []issue) {
	t.Helper()
	wants, err := expected.Wants(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []expected.Finding
	for _, is := range issues {
		if strings.HasPrefix(is.Text, check+": ") {
			got = append(got, expected.Finding{File: filepath.Base(is.Pos.Filename), Line: is.Pos.Line, Message: is.Text})
		}
	}
	for _, e := range expected.Compare(wants, got) {
		t.Errorf("%s/%s (through golangci-lint)", filepath.Base(dir), e)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
