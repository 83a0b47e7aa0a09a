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
	"strings"
)

// Environment variable names.
const (
	EnvOnViolation = "CGOGUARD_ON_VIOLATION"
	EnvLog         = "CGOGUARD_LOG"
	EnvSample      = "CGOGUARD_SAMPLE"
	EnvQuarantine  = "CGOGUARD_QUARANTINE"
	EnvFirst       = "CGOGUARD_SAMPLE_FIRST"
	EnvGuardBytes  = "CGOGUARD_GUARD_BYTES"
)

// Defaults.
const (
	// DefaultSample is the floor of the sampling rate: at a hot site, one
	// allocation in every 50 to 150 still goes on guard pages, so a bug
	// repeated at that site is caught within 150 occurrences, about 60 on
	// average. A guarded pair costs two mprotect calls (3 to 10 µs here):
	// 30 to 100 ns per allocation at this rate (see BENCHMARKS.md).
	DefaultSample = 100
	// DefaultFirst guards the first 16 allocations at every site, so that
	// a bug on one of them is caught in a single run.
	DefaultFirst = 16
	// DefaultGuardBytes bounds the data pages of guarded buffers, live or
	// quarantined, at 8 MiB: 2048 one-page slots. Freed slots keep their
	// pages until reused, so this is also what they add to the resident
	// set at most. Cycling through more slots costs time too (cold pages
	// and page tables at each reuse: 1 MiB cost 12% less CPU on the mixed
	// workload, 64 MiB 5% more; see BENCHMARKS.md).
	DefaultGuardBytes = 8 << 20
	// DefaultQuarantine holds 256 KiB of freed C memory in redzones,
	// records included: the last 150 to 500 buffers freed. Guard pages
	// catch stale accesses at the faulting instruction, and keep freed
	// guarded buffers far longer; this quarantine delays the reuse of the
	// others so that a double free soon after the first names both stacks
	// and a stale write is found by its poison. A larger one costs time as
	// well as memory: evicting a buffer touches memory long out of cache
	// (1 MiB cost 8% more CPU on the mixed workload, 64 MiB 2.9 times as
	// much; see BENCHMARKS.md).
	DefaultQuarantine = 256 << 10
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
	// Log is LogConsole, LogJSON or the path of a file that receives JSON
	// (CGOGUARD_LOG's "file:" prefix removed).
	Log string
	// Sample is the floor of the per-site sampling rate, 1 in Sample; 1
	// guards every C allocation, 0 none.
	Sample uint64
	// First is the number of allocations at each site always guarded.
	First uint64
	// GuardBytes bounds the data pages of guarded buffers held at once.
	GuardBytes uint64
	// Quarantine bounds the bytes of freed C memory held back from reuse.
	Quarantine uint64
}

// Parse reads the configuration through getenv.
func Parse(getenv func(string) string) (Config, error) {
	c := Config{Panic: true, Log: LogConsole, Sample: DefaultSample, First: DefaultFirst, GuardBytes: DefaultGuardBytes, Quarantine: DefaultQuarantine}
	switch v := getenv(EnvOnViolation); v {
	case "", "panic":
	case "log":
		c.Panic = false
	default:
		return c, invalid(EnvOnViolation, v, `"panic" (log the report, then panic; default) or "log" (log and continue)`)
	}
	if v := getenv(EnvLog); v != "" {
		switch {
		case v == LogConsole || v == LogJSON:
			c.Log = v
		case strings.HasPrefix(v, "file:") && len(v) > len("file:"):
			c.Log = strings.TrimPrefix(v, "file:")
		case strings.Contains(v, "/"):
			c.Log = v
		default:
			return c, invalid(EnvLog, v, `"console" (default), "json", or a file path for JSON lines, which must contain a "/" (./guard.json) or start with "file:"`)
		}
	}
	for _, n := range []struct {
		name, accepted string
		dst            *uint64
	}{
		{EnvSample, fmt.Sprintf("a whole number N >= 0: at a hot allocation site, at least 1 C allocation in N goes on guard pages; 1 = all, 0 = none (default %d)", DefaultSample), &c.Sample},
		{EnvFirst, fmt.Sprintf("a whole number >= 0 of allocations at each site always put on guard pages (default %d)", DefaultFirst), &c.First},
		{EnvGuardBytes, fmt.Sprintf("a whole number of bytes >= 0 of guard-page buffers held at once, live or quarantined (default %d)", DefaultGuardBytes), &c.GuardBytes},
		{EnvQuarantine, fmt.Sprintf("a whole number of bytes >= 0 of freed C memory kept poisoned (default %d)", DefaultQuarantine), &c.Quarantine},
	} {
		if v := getenv(n.name); v != "" {
			x, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return c, invalid(n.name, v, n.accepted)
			}
			*n.dst = x
		}
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
