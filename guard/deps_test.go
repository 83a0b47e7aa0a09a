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

func deps(t *testing.T, dir, tags, pkg string) []string {
	t.Helper()
	cmd := exec.Command(goTool(t), "list", "-deps", "-tags="+tags, pkg)
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
	if hasZap(deps(t, example, "", "./guarddemo")) {
		t.Error("a release build of example/guarddemo depends on zap")
	}
	if !hasZap(deps(t, example, "cgoguard", "./guarddemo")) {
		t.Error("a debug build of example/guarddemo does not depend on zap")
	}
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
