package csummary

import (
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"modernc.org/cc/v4"
)

// benchPackages are real cgo packages: the Go tree's cgo test package (many
// preambles and .c files), the standard library's cgo users, and
// go-sqlite3 with its 9 MB amalgamation (present when its module is in the
// module cache: go mod download github.com/mattn/go-sqlite3@v1.14.53).
func benchPackages(b *testing.B) map[string]string {
	goroot := runtime.GOROOT()
	pkgs := map[string]string{
		"cmd/cgo/internal/test": filepath.Join(goroot, "src/cmd/cgo/internal/test"),
		"runtime/cgo":           filepath.Join(goroot, "src/runtime/cgo"),
		"net":                   filepath.Join(goroot, "src/net"),
		"os/user":               filepath.Join(goroot, "src/os/user"),
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err == nil {
		dir := filepath.Join(strings.TrimSpace(string(out)), "github.com/mattn/go-sqlite3@v1.14.53")
		if _, err := os.Stat(dir); err == nil {
			pkgs["go-sqlite3"] = dir
		}
	}
	return pkgs
}

// benchInput lists a package's files as go build selects them for the host.
func benchInput(b *testing.B, dir string) Input {
	ctx := build.Default
	ctx.CgoEnabled = true
	bp, err := ctx.ImportDir(dir, 0)
	if err != nil {
		b.Fatal(err)
	}
	in := Input{Dir: dir}
	for _, f := range append(append([]string{}, bp.GoFiles...), bp.CgoFiles...) {
		in.GoFiles = append(in.GoFiles, filepath.Join(dir, f))
	}
	for _, f := range append(append(append([]string{}, bp.CFiles...), bp.HFiles...), bp.SFiles...) {
		in.OtherFiles = append(in.OtherFiles, filepath.Join(dir, f))
	}
	return in
}

// BenchmarkSummarize measures what the analyzers pay per package: read the
// Go files, parse the translation units that mention the C functions the Go
// side calls, and summarise those functions and their callees. "cold"
// starts from an empty header cache (go vet: one process per package);
// "warm" reuses the headers an earlier package read (golangci-lint: one
// process for all packages). The host compiler configuration, read once
// per process, is measured by BenchmarkHostConfig.
func BenchmarkSummarize(b *testing.B) {
	if _, err := hostConfig(); err != nil {
		b.Skip(err)
	}
	for name, dir := range benchPackages(b) {
		in := benchInput(b, dir)
		for _, mode := range []string{"cold", "warm"} {
			b.Run(strings.ReplaceAll(name, "/", "_")+"/"+mode, func(b *testing.B) {
				var units, funcs, failed int
				for b.Loop() {
					if mode == "cold" {
						host.cache = cc.SourceCache{}
					}
					p := newPackage(in)
					funcs, failed = 0, 0
					for _, u := range p.Uses() {
						if _, err := p.Func(u); err != nil {
							failed++
						}
						funcs++
					}
					units = 0
					for _, u := range p.units {
						if u.ast != nil || u.err != nil {
							units++
						}
					}
				}
				b.ReportMetric(float64(units), "units")
				b.ReportMetric(float64(funcs), "funcs")
				b.ReportMetric(float64(failed), "nosummary")
			})
		}
	}
}

func BenchmarkHostConfig(b *testing.B) {
	for b.Loop() {
		if _, err := cc.NewConfig(runtime.GOOS, runtime.GOARCH); err != nil {
			b.Skip(err)
		}
	}
}
