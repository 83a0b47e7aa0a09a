package csummary

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// load writes a package with one .c file holding csrc (and a Go file with
// the given //export'ed functions) into a temporary directory and loads it.
func load(t *testing.T, csrc string, s Settings, exports ...string) *Package {
	t.Helper()
	dir := t.TempDir()
	var g strings.Builder
	g.WriteString("package p\n\n// #include <stdlib.h>\nimport \"C\"\n")
	for _, e := range exports {
		fmt.Fprintf(&g, "\n//export %s\nfunc %s(p unsafe.Pointer) {}\n", e, e)
	}
	write(t, dir, "p.go", g.String())
	write(t, dir, "c.c", csrc)
	return Load(Input{Dir: dir, GoFiles: []string{filepath.Join(dir, "p.go")},
		OtherFiles: []string{filepath.Join(dir, "c.c")}, Settings: s})
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
}

// goRoot returns the Go tree the go command uses (its cgo packages are
// real inputs for tests and benchmarks).
func goRoot(tb testing.TB) string {
	tb.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		tb.Skip("go env GOROOT: ", err)
	}
	return strings.TrimSpace(string(out))
}

// sum returns the one-line summary of name, or its NoSummary text.
func sum(t *testing.T, p *Package, name string) string {
	t.Helper()
	f, err := p.Func(name)
	if err != nil {
		return "error: " + err.Error()
	}
	return f.String()
}

// TestMain gives the system header index a cache directory of its own, so
// that tests neither read nor write the user's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "csummary-index-")
	if err != nil {
		panic(err)
	}
	sysIdx.dir, sysIdx.dirDone = dir, true
	code := m.Run()
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, "csummary tests:", err)
	}
	os.Exit(code)
}
