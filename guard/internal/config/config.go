// Package config reads the CGOGUARD_* environment variables of debug builds.
//
// The variables are read once, when the first debug-build package that needs
// them initializes; a malformed value stops the program before main runs, so
// that a typo in a staging deployment cannot silently turn checks off.
package config

import (
	"fmt"
	"os"
	"strconv"
)

// Environment variable names.
const (
	EnvOnViolation = "CGOGUARD_ON_VIOLATION"
	EnvLog         = "CGOGUARD_LOG"
	EnvSample      = "CGOGUARD_SAMPLE"
	EnvQuarantine  = "CGOGUARD_QUARANTINE"
)

// Defaults.
const (
	// DefaultSample puts one C allocation in 1000 on guard pages: a sampled
	// allocation costs two system calls and a rendered report, which at this
	// rate adds a few percent to the debug build's per-allocation cost.
	DefaultSample = 1000
	// DefaultQuarantine holds 64 MiB of freed C memory, enough to keep the
	// most recent tens of thousands of small buffers poisoned.
	DefaultQuarantine = 64 << 20
)

// Log destinations besides a file path.
const (
	LogConsole = "console"
	LogJSON    = "json"
)

// Config is the parsed environment.
type Config struct {
	// Panic is true when a violation panics after it is logged.
	Panic bool
	// Log is LogConsole, LogJSON or the path of a file that receives JSON.
	Log string
	// Sample puts 1 in Sample C allocations on guard pages; 0 puts none.
	Sample uint64
	// Quarantine bounds the bytes of freed C memory held back from reuse.
	Quarantine uint64
}

// Parse reads the configuration through getenv.
func Parse(getenv func(string) string) (Config, error) {
	c := Config{Panic: true, Log: LogConsole, Sample: DefaultSample, Quarantine: DefaultQuarantine}
	switch v := getenv(EnvOnViolation); v {
	case "", "panic":
	case "log":
		c.Panic = false
	default:
		return c, invalid(EnvOnViolation, v, `"panic" (log the report, then panic; default) or "log" (log and continue)`)
	}
	if v := getenv(EnvLog); v != "" {
		c.Log = v
	}
	if v := getenv(EnvSample); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return c, invalid(EnvSample, v, fmt.Sprintf("a whole number N >= 0: 1 in N C allocations on guard pages, 1 = all, 0 = none (default %d)", DefaultSample))
		}
		c.Sample = n
	}
	if v := getenv(EnvQuarantine); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return c, invalid(EnvQuarantine, v, fmt.Sprintf("a whole number of bytes >= 0 of freed C memory kept poisoned (default %d)", DefaultQuarantine))
		}
		c.Quarantine = n
	}
	return c, nil
}

func invalid(name, value, accepted string) error {
	return fmt.Errorf("cgoguard: %s=%q is not valid; accepted values: %s", name, value, accepted)
}

// Current is the configuration read from the environment at start-up.
var Current = mustParse()

func mustParse() Config {
	c, err := Parse(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	return c
}
