package csummary

import (
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"testing/fstest"

	"modernc.org/cc/v4"
)

// The host configuration (predefined macros and system include paths of
// the host C compiler) is read once per process: cc.NewConfig runs the
// compiler twice, which costs tens of milliseconds.
var host struct {
	once sync.Once
	cfg  *cc.Config
	err  error
	// cache keeps the headers translation units share (stdio.h is read
	// once per process, not once per preamble).
	cache cc.SourceCache
}

func hostConfig() (*cc.Config, error) {
	host.once.Do(func() {
		host.cfg, host.err = cc.NewConfig(runtime.GOOS, runtime.GOARCH)
	})
	return host.cfg, host.err
}

// maxExpansion bounds the macro expansion work of one translation unit
// (cc.Config.ExpansionLimit, in tokens). Real translation units stay far
// below it (the 9 MB sqlite3 amalgamation needs about 30 million); it stops a
// macro bomb from taking the analysis hours and all memory.
const maxExpansion = 100_000_000

// packageConfig derives the configuration of one package from the host's:
// its -I paths come before the host's, its -D/-U become predefined lines,
// and the synthesised _cgo_export.h is served from memory.
func packageConfig(dir string, cf *cflags, exportHdr string) (*cc.Config, string, error) {
	h, err := hostConfig()
	if err != nil {
		return nil, "", err
	}
	c := *h
	// go build compiles C with the package directory (and cgo's object
	// directory, where _cgo_export.h lives) on the include path.
	own := append(append([]string(nil), cf.include...), dir)
	c.IncludePaths = append(append([]string{""}, own...), h.IncludePaths[1:]...)
	c.SysIncludePaths = append(own, h.SysIncludePaths...)
	c.SourceCache = &host.cache
	c.ExpansionLimit = maxExpansion
	if exportHdr != "" {
		c.FS = overlay{strings.TrimPrefix(dir, "/") + "/_cgo_export.h": exportHdr}
	}
	if cf.std != "" {
		if err := c.ApplyOptions(cf.std); err != nil {
			return nil, "", err
		}
	}
	return &c, h.Predefined + "\n" + cf.defines, nil
}

// overlay serves in-memory files by path; anything else is not found, and
// cc then opens it from the disk.
type overlay map[string]string

func (o overlay) Open(name string) (fs.File, error) {
	if s, ok := o[strings.TrimPrefix(name, "/")]; ok {
		return fstest.MapFS{"f": {Data: []byte(s)}}.Open("f")
	}
	return nil, fs.ErrNotExist
}
