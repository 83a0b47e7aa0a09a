package guard_test

import (
	"testing"

	"github.com/cgoguard/cgoguard/guard/internal/scenario"
)

// scenarios are filled in by the tests that need a child process.
var scenarios = map[string]func(){}

func TestMain(m *testing.M) { scenario.Main(m, scenarios) }
