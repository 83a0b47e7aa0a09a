package main_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/internal/expected"
)

// finding matches "path:line:col: check: message" as go vet and the
// standalone driver print it.
var finding = regexp.MustCompile(`(?m)^(?:\./)?(\S+\.go):(\d+):\d+: (cgo\w+): `)

// TestVetToolOnExample builds cmd/cgoguard and runs it over example/ both
// ways (go vet -vettool, and standalone), expecting exactly the findings
// the golangci-lint demo expects.
func TestVetToolOnExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tool and compiles the example's C code")
	}
	tool := filepath.Join(t.TempDir(), "cgoguard")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	example, _ := filepath.Abs("../../example")
	want, err := expected.Findings(filepath.Join(example, "expected-findings.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"vettool":    {"go", "vet", "-vettool=" + tool, "./..."},
		"standalone": {tool, "./..."},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = example
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("%s: exit status 0 despite findings", name)
		}
		var got []string
		for _, m := range finding.FindAllStringSubmatch(string(out), -1) {
			file := strings.TrimPrefix(m[1], example+string(filepath.Separator))
			got = append(got, file+":"+m[2]+": "+m[3])
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: findings differ from expected-findings.txt\ngot:\n%s\nwant:\n%s\noutput:\n%s",
				name, strings.Join(got, "\n"), strings.Join(want, "\n"), out)
		}
	}
}
