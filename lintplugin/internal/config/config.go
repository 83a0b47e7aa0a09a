// Package config holds the settings that change what cgoguard reports.
// One Config is shared by the engine and every check of a run; the
// golangci-lint plugin fills it from .golangci.yml and the vet tool from
// its flags.
package config

import (
	"io"

	"github.com/cgoguard/cgoguard/lintplugin/internal/csummary"
)

// Config is what a run of the checks is told.
type Config struct {
	// Explain prints, for each finding, the path the engine followed,
	// and for each candidate it dropped, why, to ExplainTo (standard
	// error when nil).
	Explain   bool
	ExplainTo io.Writer
	// FinalizerScope limits cgofinalizer: "risk" (the default) reports the
	// cases a caller is likely to hit (see cgofinalizer's doc), "exported"
	// every case in exported functions and methods, "all" every case by
	// the letter of the rule. "" means the default.
	FinalizerScope string
	// HandleLeaks turns cgohandle's reports of handles never deleted on.
	HandleLeaks bool
	// HeaderModernize turns on cgoheader's reports of the deprecated but
	// correct reflect.SliceHeader pattern.
	HeaderModernize bool
	// C is what the user says about C functions without a body the
	// analysis can read (retain-functions, free-functions).
	C csummary.Settings
}

// Default returns the default settings.
func Default() *Config {
	return &Config{FinalizerScope: "risk", HandleLeaks: true}
}
