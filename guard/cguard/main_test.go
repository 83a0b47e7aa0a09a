//go:build cgo

package cguard_test

import (
	"testing"

	"github.com/cgoguard/cgoguard/guard/internal/scenario"
)

// scenarios are filled in by the debug build's crash tests.
var scenarios = map[string]func(){}

func TestMain(m *testing.M) { scenario.Main(m, scenarios) }
