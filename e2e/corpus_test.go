//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// corpusPins are real cgo modules whose C code ships with them (no Debian
// packages needed) and the findings every check reports on them, each read
// and judged a true positive (BENCHMARKS.md, "Real-world cgo corpus"). A
// regression guard both ways: the analysis must neither crash on real code,
// nor lose these findings, nor gain new ones unreviewed. bench/corpus.sh
// runs the whole corpus.
var corpusPins = []struct {
	module, version string
	findings        map[string]int // check -> count
}{
	// cgofinalizer's default scope ("risk") reports none of the 19 letter-
	// of-the-rule findings go-sqlite3 had: its connections, statements and
	// backups have Close/Finish methods (database/sql holds and closes the
	// connections and statements), so a correct caller keeps them alive
	// through every call. Scope "all" still reports them (16, one per
	// function).
	{"github.com/mattn/go-sqlite3", "v1.14.53", map[string]int{}},
	// DataDog/zstd's finalizer races (confirmed: a crash under GC pressure,
	// gone with the suggested KeepAlive), one per method: Compress and
	// CompressLevel make the call on two branches, each one finding.
	{"github.com/DataDog/zstd", "v1.5.7", map[string]int{"cgofinalizer": 4}},
}

var vetFinding = regexp.MustCompile(`(?m)^\S+\.go:\d+:\d+: (cgo\w+): `)

// TestCorpus runs go vet -vettool=cgoguard over the pinned modules,
// fetched through the module proxy.
func TestCorpus(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tool := filepath.Join(dir, "cgoguard")
	if out, err := exec.Command("go", "build", "-o", tool, "../cmd/cgoguard").CombinedOutput(); err != nil {
		t.Fatalf("go build ../cmd/cgoguard: %v\n%s", err, out)
	}
	mod := filepath.Join(dir, "corpus")
	if err := os.Mkdir(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "go.mod"), "module corpus\n\ngo 1.26\n")
	run := func(args ...string) ([]byte, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		return cmd.CombinedOutput()
	}
	for _, p := range corpusPins {
		if out, err := run("get", p.module+"@"+p.version); err != nil {
			t.Fatalf("go get %s@%s: %v\n%s", p.module, p.version, err, out)
		}
	}
	for _, p := range corpusPins {
		out, err := run("vet", "-vettool="+tool, p.module)
		text := string(out)
		if strings.Contains(text, "panic:") || strings.Contains(text, "fatal error:") {
			t.Errorf("%s: the analysis crashed:\n%s", p.module, text)
			continue
		}
		got := map[string]int{}
		for _, m := range vetFinding.FindAllStringSubmatch(text, -1) {
			got[m[1]]++
		}
		if err == nil && len(got) > 0 || err != nil && len(got) == 0 {
			t.Errorf("%s: go vet: %v with %d findings:\n%s", p.module, err, len(got), text)
			continue
		}
		for check, n := range p.findings {
			if got[check] != n {
				t.Errorf("%s: %d %s findings, want %d (reviewed)", p.module, got[check], check, n)
			}
		}
		for check, n := range got {
			if _, ok := p.findings[check]; !ok {
				t.Errorf("%s: %d new %s findings, none reviewed:\n%s", p.module, n, check, text)
			}
		}
	}
}
