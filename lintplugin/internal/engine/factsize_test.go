package engine_test

import (
	"bytes"
	"encoding/gob"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
)

// maxFactBytes bounds the facts one package exports. go vet and build
// systems serialise facts with every package and read them for each
// importer, so they must stay small: a summary records only what callers
// cannot derive (measured sizes are in BENCHMARKS.md).
const maxFactBytes = 64 << 10

// TestFactSize runs the engine over the Go tree's cgo packages and
// measures the facts each exports, gob-encoded as go vet stores them.
// go test -v -run TestFactSize ./lintplugin/internal/engine prints them.
func TestFactSize(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and builds the Go tree's cgo packages")
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax},
		"runtime/cgo", "os/user", "net", "cmd/cgo/internal/test")
	if err != nil {
		t.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{engine.Default}, pkgs, &checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range graph.Roots {
		n, size := 0, 0
		for _, f := range act.AllObjectFacts() {
			if f.Object.Pkg() != act.Package.Types {
				continue
			}
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(f.Fact); err != nil {
				t.Fatalf("%s: fact %T of %s does not encode: %v", act.Package.PkgPath, f.Fact, f.Object, err)
			}
			n++
			size += buf.Len()
		}
		t.Logf("%s: %d facts, %d bytes", act.Package.PkgPath, n, size)
		if size > maxFactBytes {
			t.Errorf("%s: facts take %d bytes, more than %d", act.Package.PkgPath, size, maxFactBytes)
		}
	}
}
