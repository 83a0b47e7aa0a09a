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
	goroot := goRoot(b)
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
// side calls, and summarise those functions and their callees. The modes:
//
//	full   every unit read in full (prelude mode off), empty header cache:
//	       what a go vet process paid before the index
//	first  prelude mode with an empty index: the first run on a host, which
//	       builds the index entries the package needs
//	cold   prelude mode with the index on disk, nothing in memory: a go vet
//	       process (one per package) once the index exists
//	warm   prelude mode with the index in memory: golangci-lint, one process
//	       for all packages
//
// The host compiler configuration, read once per process, is measured by
// BenchmarkHostConfig.
func BenchmarkSummarize(b *testing.B) {
	if _, err := hostConfig(); err != nil {
		b.Skip(err)
	}
	for name, dir := range benchPackages(b) {
		in := benchInput(b, dir)
		warmIndex := b.TempDir()
		for _, mode := range []string{"full", "first", "cold", "warm"} {
			b.Run(strings.ReplaceAll(name, "/", "_")+"/"+mode, func(b *testing.B) {
				defer func(dir string) { preludeEnabled, sysIdx.dir = true, dir }(sysIdx.dir)
				preludeEnabled = mode != "full"
				sysIdx.dir = warmIndex
				var p *Package
				summarise := func() {
					p = newPackage(in)
					for _, u := range p.Uses() {
						_, _ = p.Func(u) // a function without summary costs the same
					}
				}
				summarise() // fills the index and the header cache
				for b.Loop() {
					switch mode {
					case "full", "cold":
						sysIdx.entries, sysIdx.stamps = nil, nil
						host.cache = cc.SourceCache{}
					case "first":
						b.StopTimer()
						sysIdx.dir = b.TempDir()
						sysIdx.entries, sysIdx.stamps = nil, nil
						host.cache = cc.SourceCache{}
						b.StartTimer()
					}
					summarise()
				}
				var pre, full, failed int
				for _, u := range p.units {
					switch u.mode {
					case readPrelude:
						pre++
					case readFull:
						full++
					}
				}
				for _, u := range p.Uses() {
					if _, err := p.Func(u); err != nil {
						failed++
					}
				}
				b.ReportMetric(float64(pre), "prelude-units")
				b.ReportMetric(float64(full), "full-units")
				b.ReportMetric(float64(len(p.Uses())), "funcs")
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
