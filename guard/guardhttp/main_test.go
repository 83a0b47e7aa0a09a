package guardhttp_test

import (
	"testing"

	"github.com/cgoguard/cgoguard/guard/internal/scenario"
)

func TestMain(m *testing.M) { scenario.Main(m, nil) }
