//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fixFixtures are the analysistest packages whose .golden files hold the
// result of applying every suggested fix.
var fixFixtures = []string{"cgofinalizer", "cgoheader"}

// rerunChecks are the checks whose fixed fixtures TestFixes analyses
// again, to check that every finding with a fix is gone.
var rerunChecks = map[string]bool{"cgofinalizer": true}

// TestFixes applies the suggested fixes to copies of the fixtures through
// each route a user has, and compares the files with the .golden files:
//
//   - golangci-lint run --fix, go vet -vettool=cgoguard -fix and go fix
//     -fixtool=cgoguard fix cgo files and plain files alike (the checks report fixable findings in the
//     user's own file, not in cgo's output; see lintplugin/internal/rawsrc);
//   - the standalone cgoguard -fix fixes plain files only: its driver reads
//     files through Pass.ReadFile, which refuses the user's cgo files (it
//     knows only cgo's output), and says so.
//
// The fixed packages must still build.
func TestFixes(t *testing.T) {
	t.Parallel()
	tool := filepath.Join(t.TempDir(), "cgoguard")
	if out, err := exec.Command("go", "build", "-o", tool, "../cmd/cgoguard").CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/cgoguard: %v\n%s", err, out)
	}
	for _, check := range fixFixtures {
		src := filepath.Join("..", "lintplugin", check, "testdata", "src", "a")
		for _, route := range []struct {
			name    string
			cgoToo  bool // fixes cgo files as well as plain ones
			command func(dir string) *exec.Cmd
		}{
			{"golangci-lint", true, func(dir string) *exec.Cmd {
				writeFile(t, filepath.Join(dir, ".golangci.yml"), configWith("disable: []"))
				cmd := exec.Command(customGCL(t), "run", "--fix", "--show-stats=false", "./...")
				cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+t.TempDir())
				return cmd
			}},
			{"go vet -fix", true, func(string) *exec.Cmd {
				return exec.Command("go", "vet", "-vettool="+tool, "-fix", "./...")
			}},
			{"go fix", true, func(string) *exec.Cmd {
				return exec.Command("go", "fix", "-fixtool="+tool, "./...")
			}},
			{"cgoguard -fix", false, func(string) *exec.Cmd {
				return exec.Command(tool, "-fix", "./...")
			}},
		} {
			t.Run(check+"/"+route.name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(dir, "go.mod"), "module a\n\ngo 1.26\n")
				cmd := route.command(dir)
				cmd.Dir = dir
				out, _ := cmd.CombinedOutput() // exits non-zero while findings without fixes remain
				goldens, _ := filepath.Glob(filepath.Join(src, "*.go.golden"))
				if len(goldens) == 0 {
					t.Fatalf("no .golden files in %s", src)
				}
				for _, golden := range goldens {
					name := strings.TrimSuffix(filepath.Base(golden), ".golden")
					orig, _ := os.ReadFile(filepath.Join(src, name))
					want, _ := os.ReadFile(golden)
					if !route.cgoToo && bytes.Contains(orig, []byte("import \"C\"")) {
						want = orig
					}
					got, err := os.ReadFile(filepath.Join(dir, name))
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(gofmt(t, got), gofmt(t, want)) {
						t.Errorf("%s after %s differs from %s\ngot:\n%s\noutput:\n%s", name, route.name, filepath.Base(golden), got, out)
					}
				}
				build := exec.Command("go", "build", "./...")
				build.Dir = dir
				if out, err := build.CombinedOutput(); err != nil {
					t.Errorf("the fixed package does not build: %v\n%s", err, out)
				}
				if route.name != "go vet -fix" || !rerunChecks[check] {
					return
				}
				// The fixed findings are gone: the analysis of the fixed
				// package reports exactly the findings that had no fix.
				orig := t.TempDir()
				if err := os.CopyFS(orig, os.DirFS(src)); err != nil {
					t.Fatal(err)
				}
				writeFile(t, filepath.Join(orig, "go.mod"), "module a\n\ngo 1.26\n")
				withFix, without := vetFindings(t, tool, orig, check)
				if withFix == 0 {
					t.Fatalf("%s: no finding with a suggested fix in the fixture", check)
				}
				if again, left := vetFindings(t, tool, dir, check); again != 0 || left != without {
					t.Errorf("%s after the fixes: %d findings with a fix and %d without, want 0 and %d", check, again, left, without)
				}
			})
		}
	}
}

func gofmt(t *testing.T, src []byte) []byte {
	t.Helper()
	out, err := format.Source(src)
	if err != nil {
		t.Fatalf("gofmt: %v\n%s", err, src)
	}
	return out
}

// vetFindings runs go vet -vettool=tool -json in dir and counts check's
// findings with a suggested fix and without.
func vetFindings(t *testing.T, tool, dir, check string) (withFix, without int) {
	t.Helper()
	cmd := exec.Command("go", "vet", "-vettool="+tool, "-json", "./...")
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	// go vet -json prints "# pkg" lines and one JSON object per package.
	var text strings.Builder
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(line, "#") {
			text.WriteString(line + "\n")
		}
	}
	dec := json.NewDecoder(strings.NewReader(text.String()))
	for dec.More() {
		var pkgs map[string]map[string]json.RawMessage
		if err := dec.Decode(&pkgs); err != nil {
			t.Fatalf("go vet -json in %s: %v\n%s", dir, err, out)
		}
		for _, checks := range pkgs {
			var diags []struct {
				Fixes []json.RawMessage `json:"suggested_fixes"`
			}
			if raw, ok := checks[check]; ok {
				if err := json.Unmarshal(raw, &diags); err != nil {
					t.Fatalf("go vet -json: %s: %v", check, err)
				}
			}
			for _, d := range diags {
				if len(d.Fixes) > 0 {
					withFix++
				} else {
					without++
				}
			}
		}
	}
	return withFix, without
}
