package cgoheader_test

import (
	"bytes"
	"flag"
	"fmt"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

var updateGolden = flag.Bool("update", false, "rewrite the fixture modules' .golden files from the applied fixes")

// fixModules are the fixture modules whose fixes must build: the same
// shapes under go.mod versions before unsafe.Slice (1.16), before
// unsafe.String (1.19) and current, with the modernize option on, and the
// default fixtures as a current module.
var fixModules = []struct {
	dir       string
	gomod     string // written into the copy when the fixture has none
	modernize bool
}{
	{"src/a", "module a\n\ngo 1.26\n", false},
	{"go116", "", true},
	{"go119", "", true},
	{"modernize", "", true},
}

// TestFixesBuild applies every suggested fix to a copy of each fixture
// module, builds the result with the real go build (cgo on), and analyses
// it again: every finding that had a fix must be gone, and every other
// one still there. The fixed files must equal the .golden files that
// analysistest checks too (see TestModules).
func TestFixesBuild(t *testing.T) {
	t.Parallel()
	for _, m := range fixModules {
		t.Run(m.dir, func(t *testing.T) {
			t.Parallel()
			src := filepath.Join("testdata", m.dir)
			dir := copyModule(t, src, m.gomod)
			a := withModernize(m.modernize)
			before, fset := analyze(t, dir, a)
			fixable, unfixable := split(before)
			if len(fixable) == 0 {
				t.Fatalf("%s: no finding with a fix: the test would check nothing", m.dir)
			}
			changed := applyFixes(t, fset, fixable)
			build := exec.Command("go", "build", "./...")
			build.Dir = dir
			build.Env = append(os.Environ(), "CGO_ENABLED=1", "GOFLAGS=-mod=mod", "GOWORK=off")
			if out, err := build.CombinedOutput(); err != nil {
				t.Errorf("the fixed module does not build: %v\n%s", err, out)
			}
			after, afterFset := analyze(t, dir, a)
			if again, _ := split(after); len(again) > 0 {
				for _, d := range again {
					t.Errorf("%s: still reported with a fix after the fixes: %s", afterFset.Position(d.Pos), d.Message)
				}
			}
			if got, want := kinds(after), kinds(unfixable); !slices.Equal(got, want) {
				t.Errorf("findings after the fixes = %q, want the ones without a fix, %q", got, want)
			}
			for _, name := range changed {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				golden := filepath.Join(src, name+".golden")
				if *updateGolden {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%s was fixed but has no .golden file: %v", name, err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s after the fixes differs from %s:\n%s", name, golden, got)
				}
			}
		})
	}
}

// copyModule copies a fixture module (without its .golden files) into a
// temporary directory.
func copyModule(t *testing.T, src, gomod string) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".golden") {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if gomod != "" {
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// analyze loads the module in dir (cgo on) and runs a over its packages.
func analyze(t *testing.T, dir string, a *analysis.Analyzer) ([]analysis.Diagnostic, *token.FileSet) {
	t.Helper()
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  dir,
		Env:  append(os.Environ(), "CGO_ENABLED=1", "GOFLAGS=-mod=mod", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatalf("%s does not load", dir)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var diags []analysis.Diagnostic
	var fset *token.FileSet
	for act := range graph.All() {
		if act.Err != nil {
			t.Fatalf("%s: %v", act, act.Err)
		}
		if act.Analyzer == a {
			diags = append(diags, act.Diagnostics...)
			fset = act.Package.Fset
		}
	}
	return diags, fset
}

func split(ds []analysis.Diagnostic) (fixable, unfixable []analysis.Diagnostic) {
	for _, d := range ds {
		if len(d.SuggestedFixes) > 0 {
			fixable = append(fixable, d)
		} else {
			unfixable = append(unfixable, d)
		}
	}
	return fixable, unfixable
}

// kinds names findings by their message up to the first colon after the
// check's name, and sorts them: a fix moves lines, not findings.
func kinds(ds []analysis.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		msg := strings.TrimPrefix(d.Message, "cgoheader: ")
		kind, _, _ := strings.Cut(msg, ":")
		out = append(out, kind)
	}
	slices.Sort(out)
	return out
}

// applyFixes applies the first fix of each diagnostic, merging identical
// edits (the shared removal of an import), and returns the names of the
// files it changed.
func applyFixes(t *testing.T, fset *token.FileSet, ds []analysis.Diagnostic) []string {
	t.Helper()
	type edit struct {
		start, end int
		text       string
	}
	byFile := make(map[string][]edit)
	for _, d := range ds {
		for _, e := range d.SuggestedFixes[0].TextEdits {
			tf := fset.File(e.Pos)
			end := e.End
			if !end.IsValid() {
				end = e.Pos
			}
			ed := edit{tf.Offset(e.Pos), tf.Offset(end), string(e.NewText)}
			if !slices.Contains(byFile[tf.Name()], ed) {
				byFile[tf.Name()] = append(byFile[tf.Name()], ed)
			}
		}
	}
	var changed []string
	for name, edits := range byFile {
		slices.SortFunc(edits, func(a, b edit) int {
			if a.start != b.start {
				return a.start - b.start
			}
			return a.end - b.end
		})
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		last := 0
		for _, e := range edits {
			if e.start < last {
				t.Fatalf("%s: overlapping edits at offset %d", name, e.start)
			}
			out.Write(src[last:e.start])
			out.WriteString(e.text)
			last = e.end
		}
		out.Write(src[last:])
		if err := os.WriteFile(name, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		changed = append(changed, filepath.Base(name))
	}
	slices.Sort(changed)
	if len(changed) == 0 {
		t.Fatal(fmt.Errorf("fixes changed no file"))
	}
	return changed
}
