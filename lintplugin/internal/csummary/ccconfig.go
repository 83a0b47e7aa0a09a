package csummary

import (
	"runtime"
	"strings"
	"sync"

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

// A pkgConfig is how one package's C is read.
type pkgConfig struct {
	// full is the package's configuration as go build's compiler sees it:
	// its -I paths come before the host's, its -D/-U become predefined
	// lines, and the synthesised _cgo_export.h is served from memory.
	full *cc.Config
	// prelude is full with the host's system directories replaced by the
	// index's (prelude.go).
	prelude *cc.Config
	// sys is the host's configuration with the package's dialect: the
	// index reads system headers with it, and sysKey identifies it.
	sys        *cc.Config
	sysKey     string
	predefined string
	own        []string // the package's include directories, in search order
	hostDirs   []string // the host's system include directories
	overlay    overlay
}

// packageConfig derives the configuration of one package from the host's.
func packageConfig(dir string, cf *cflags, exportHdr string) (*pkgConfig, error) {
	h, err := hostConfig()
	if err != nil {
		return nil, err
	}
	pc := &pkgConfig{hostDirs: h.SysIncludePaths}
	sys := *h
	sys.SourceCache = &host.cache
	sys.ExpansionLimit = maxExpansion
	if cf.std != "" {
		if err := sys.ApplyOptions(cf.std); err != nil {
			return nil, err
		}
	}
	pc.sys, pc.sysKey = &sys, configKey(h, cf.std)
	// go build compiles C with the package directory (and cgo's object
	// directory, where _cgo_export.h lives) on the include path.
	pc.own = append(append([]string(nil), cf.include...), dir)
	full := sys
	full.IncludePaths = append(append([]string{""}, pc.own...), h.IncludePaths[1:]...)
	full.SysIncludePaths = append(pc.own, h.SysIncludePaths...)
	if exportHdr != "" {
		pc.overlay = overlay{strings.TrimPrefix(dir, "/") + "/_cgo_export.h": exportHdr}
	}
	pre := full
	pre.IncludePaths = append(append([]string{""}, pc.own...), virtualSysDir)
	pre.SysIncludePaths = append(append([]string(nil), pc.own...), virtualSysDir)
	pc.full, pc.prelude = &full, &pre
	pc.predefined = h.Predefined + "\n" + cf.defines
	return pc, nil
}

// overlay holds in-memory files by path (without the leading slash).
type overlay map[string]string
