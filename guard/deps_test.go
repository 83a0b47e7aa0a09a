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

func hasPackage(pkgs []string, want string) bool {
	for _, p := range pkgs {
		if p == want {
			return true
		}
	}
	return false
}

// TestReleaseBuildLinksNoHTTP checks that package guard does not pull in
// net/http: the HTTP view lives in guardhttp, which only programs that
// mount it import.
func TestReleaseBuildLinksNoHTTP(t *testing.T) {
	// Debug builds link it anyway: zap does.
	if hasPackage(deps(t, ".", "", "./testdata/useguard"), "net/http") {
		t.Error("a release build of testdata/useguard depends on net/http")
	}
	if hasPackage(deps(t, filepath.Join("..", "example"), "", "./guarddemo"), "net/http") {
		t.Error("a release build of example/guarddemo depends on net/http")
	}
	// The same check must be able to see net/http when it is there.
	if !hasPackage(deps(t, ".", "", "./guardhttp"), "net/http") {
		t.Error("guardhttp does not depend on net/http; the check above proves nothing")
	}
}

// TestReleaseBuildIsTheRawSize builds testdata/useguard, which uses every
// part of the guard but the HTTP view, and testdata/useraw, the same
// program with the raw calls, without the tag: the release build must be
// within 5% of the raw program's size.
func TestReleaseBuildIsTheRawSize(t *testing.T) {
	dir := t.TempDir()
	size := func(pkg string) int64 {
		bin := filepath.Join(dir, filepath.Base(pkg))
		cmd := exec.Command(goTool(t), "build", "-o", bin, pkg)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
		fi, err := os.Stat(bin)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	guarded, raw := size("./testdata/useguard"), size("./testdata/useraw")
	ratio := float64(guarded) / float64(raw)
	t.Logf("release useguard %d bytes, raw %d bytes: %.3f", guarded, raw, ratio)
	if ratio > 1.05 {
		t.Errorf("the release build is %.1f%% larger than the raw program (%d against %d bytes); the limit is 5%%", 100*(ratio-1), guarded, raw)
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
