package lintplugin

import (
	"flag"
	"strings"

	"github.com/cgoguard/cgoguard/lintplugin/internal/config"
	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
)

// EngineFlags registers on fs the vet tool's flags for the settings every
// check shares (the plugin's explain, retain-functions and free-functions
// keys), written into the default engine's settings, which the checks'
// package-level analyzers read. Per-check settings are the checks' own
// flags (-cgohandle.leaks ...).
func EngineFlags(fs *flag.FlagSet) {
	engineFlags(fs, engine.DefaultConfig)
}

func engineFlags(fs *flag.FlagSet, cfg *config.Config) {
	fs.BoolVar(&cfg.Explain, "explain", cfg.Explain,
		"print to standard error, for each finding, the path the engine followed, and for each candidate dropped, why")
	fs.Var(funcParamsFlag{"retain-functions", &cfg.C.RetainFunctions}, "retain-functions",
		"comma-separated NAME/N: C functions without a readable body that keep parameter N (from 1) after they return")
	fs.Var(funcParamsFlag{"free-functions", &cfg.C.FreeFunctions}, "free-functions",
		"comma-separated NAME/N: C functions without a readable body that free parameter N (from 1)")
}

// funcParamsFlag is a list of NAME/N entries, checked as the plugin's
// settings are.
type funcParamsFlag struct {
	name string
	list *[]csummary.FuncParam
}

func (f funcParamsFlag) String() string {
	if f.list == nil {
		return ""
	}
	var parts []string
	for _, fp := range *f.list {
		parts = append(parts, fp.String())
	}
	return strings.Join(parts, ",")
}

func (f funcParamsFlag) Set(v string) error {
	var entries []string
	for _, e := range strings.Split(v, ",") {
		if e = strings.TrimSpace(e); e != "" {
			entries = append(entries, e)
		}
	}
	fps, err := csummary.ParseFuncParams("-"+f.name, entries)
	if err != nil {
		return err
	}
	*f.list = append(*f.list, fps...)
	return nil
}
