// Package nocgo finds the files with import "C" that a build left out
// because cgo is off (CGO_ENABLED=0, or no C compiler on PATH, in which
// case the go command turns cgo off by itself). Every route then hands the
// analyzers the package without them, as pass.IgnoredFiles, and a check
// that sees no cgo finds nothing: a silent pass on code it never read.
package nocgo

import (
	"bytes"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Skipped returns the files of the package that import "C" and would have
// been compiled with cgo on, and why cgo is off ("CGO_ENABLED=0", or "no C
// compiler: gcc is not on PATH"); nil when cgo is on or no such file was
// left out. A file excluded by its build constraints
// (another GOOS, a tag not given) is not counted: every Go tool leaves it
// out, cgo or not.
func Skipped(pass *analysis.Pass) (files []string, why string) {
	if len(pass.IgnoredFiles) == 0 {
		return nil, ""
	}
	for _, f := range pass.Files {
		if filepath.Base(pass.Fset.File(f.FileStart).Name()) == "_cgo_gotypes.go" {
			return nil, "" // cmd/cgo ran: cgo is on
		}
	}
	ctxt := build.Default
	ctxt.CgoEnabled = true
	ctxt.BuildTags = goflagsTags()
	for _, name := range pass.IgnoredFiles {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		src, err := pass.ReadFile(name)
		if err != nil || !importsC(src) {
			continue
		}
		ctxt.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(src)), nil }
		if ok, err := ctxt.MatchFile(filepath.Dir(name), filepath.Base(name)); err == nil && ok {
			files = append(files, name)
		}
	}
	if len(files) == 0 {
		return nil, ""
	}
	why = cgoOff()
	if why == "" {
		return nil, "" // cgo looks on: the files were left out for a reason we cannot see
	}
	return files, why
}

// importsC reports whether the Go source imports "C".
func importsC(src []byte) bool {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly)
	if err != nil {
		return false
	}
	for _, imp := range f.Imports {
		if imp.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

// goflagsTags returns the -tags of GOFLAGS, which the standalone tool
// uses for its own -tags.
func goflagsTags() []string {
	var tags []string
	fields := strings.Fields(os.Getenv("GOFLAGS"))
	for i, f := range fields {
		f = strings.TrimPrefix(strings.TrimPrefix(f, "-"), "-")
		switch {
		case strings.HasPrefix(f, "tags="):
			tags = strings.FieldsFunc(f[len("tags="):], func(r rune) bool { return r == ',' || r == ' ' })
		case f == "tags" && i+1 < len(fields):
			tags = strings.Split(fields[i+1], ",")
		}
	}
	return tags
}

// reasons caches cgoOff's answer by the environment it depends on (the
// go command is asked once per process and environment).
var reasons sync.Map

// cgoOff says why cgo is off, or "" if it is on (or we cannot tell).
func cgoOff() string {
	key := strings.Join([]string{os.Getenv("CGO_ENABLED"), os.Getenv("CC"), os.Getenv("PATH"), os.Getenv("GOENV")}, "\x00")
	if why, ok := reasons.Load(key); ok {
		return why.(string)
	}
	why := askCgoOff()
	reasons.Store(key, why)
	return why
}

func askCgoOff() string {
	env := os.Getenv("CGO_ENABLED")
	enabled, cc := goEnv()
	if env != "0" && enabled == "1" {
		return ""
	}
	if cc == "" {
		cc = defaultCC()
	}
	// go vet tells its tool CGO_ENABLED=0 when it turned cgo off for want
	// of a compiler: the compiler is the first thing to look for.
	if _, err := exec.LookPath(strings.Fields(cc + " x")[0]); err != nil {
		return "no C compiler: " + cc + " is not on PATH"
	}
	if env == "0" || enabled == "0" {
		return "CGO_ENABLED=0"
	}
	if !build.Default.CgoEnabled {
		return "cgo is off for " + build.Default.GOOS + "/" + build.Default.GOARCH
	}
	return ""
}

// goEnv asks the go command whether cgo is on, since that depends on its
// configuration file and on finding a C compiler; both are "" if it
// cannot say.
func goEnv() (cgoEnabled, cc string) {
	out, err := exec.Command("go", "env", "CGO_ENABLED", "CC").Output()
	if err != nil {
		return "", os.Getenv("CC")
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return "", os.Getenv("CC")
	}
	return strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1])
}

func defaultCC() string {
	switch runtime.GOOS {
	case "darwin", "ios", "freebsd", "openbsd":
		return "clang"
	}
	return "gcc"
}
