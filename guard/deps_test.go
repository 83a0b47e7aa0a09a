package guard_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func goTool(t *testing.T) string {
	p, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("these tests run the go command: %v", err)
	}
	return p
}

func deps(t *testing.T, dir, tags, pkg string, flags ...string) []string {
	t.Helper()
	args := []string{"list", "-deps", "-tags=" + tags}
	for _, f := range flags {
		args = append(args, strings.Fields(f)...)
	}
	cmd := exec.Command(goTool(t), append(args, pkg)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps -tags=%q %s: %v\n%s", tags, pkg, err, out)
	}
	return strings.Fields(string(out))
}

func hasZap(pkgs []string) bool {
	for _, p := range pkgs {
		if p == "go.uber.org/zap" || strings.HasPrefix(p, "go.uber.org/zap/") {
			return true
		}
	}
	return false
}

// TestReleaseBuildLinksNoZap checks the promise that only debug builds pay
// for zap, on a program that uses every part of the API and on the demo.
func TestReleaseBuildLinksNoZap(t *testing.T) {
	if hasZap(deps(t, ".", "", "./testdata/useguard")) {
		t.Error("a release build of testdata/useguard depends on zap")
	}
	// The same check must be able to see zap when it is there.
	if !hasZap(deps(t, ".", "cgoguard", "./testdata/useguard")) {
		t.Error("a debug build of testdata/useguard does not depend on zap; the check above proves nothing")
	}
	example := filepath.Join("..", "example")
	if _, err := os.Stat(filepath.Join(example, "guarddemo")); err != nil {
		t.Fatalf("the demo is missing: %v", err)
	}
	modfile := exampleModfile(t, example)
	if hasZap(deps(t, example, "", "./guarddemo", modfile)) {
		t.Error("a release build of example/guarddemo depends on zap")
	}
	if !hasZap(deps(t, example, "cgoguard", "./guarddemo", modfile)) {
		t.Error("a debug build of example/guarddemo does not depend on zap")
	}
}

// exampleModfile returns a -modfile flag for a private copy of the example
// module's go.mod that requires the root module, as example/guarddemo/run.sh
// builds it: the shared go.mod belongs to the linter demo.
func exampleModfile(t *testing.T, example string) string {
	t.Helper()
	dir := t.TempDir()
	mod, err := os.ReadFile(filepath.Join(example, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	exampleSum, _ := os.ReadFile(filepath.Join(example, "go.sum"))
	rootSum, err := os.ReadFile(filepath.Join("..", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	modfile := filepath.Join(dir, "go.mod")
	if err := os.WriteFile(modfile, mod, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), append(exampleSum, rootSum...), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool(t), "mod", "edit", "-modfile="+modfile, "-require=github.com/cgoguard/cgoguard@v0.0.0")
	cmd.Dir = example
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod edit: %v\n%s", err, out)
	}
	// -mod=mod lets go add what the listed package needs (zap, for the
	// debug build) to the private copy, without loading the rest of the
	// example module as go mod tidy would.
	return "-modfile=" + modfile + " -mod=mod"
}

// TestGuardBuildsWithoutCgo checks that programs can keep using guard's
// pins and handles with CGO_ENABLED=0.
func TestGuardBuildsWithoutCgo(t *testing.T) {
	for _, tags := range []string{"", "cgoguard"} {
		cmd := exec.Command(goTool(t), "build", "-tags="+tags, "-o", os.DevNull, "./testdata/nocgo")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("CGO_ENABLED=0 go build -tags=%q: %v\n%s", tags, err, out)
		}
	}
}
