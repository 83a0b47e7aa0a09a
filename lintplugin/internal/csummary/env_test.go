package csummary

import (
	"strings"
	"sync"
	"testing"
)

// TestConfigureFromEnv checks that a malformed CGOGUARD_C_CACHE is an
// error naming the variable and the accepted values.
func TestConfigureFromEnv(t *testing.T) {
	t.Setenv(EnvIndexDir, "relative/dir")
	envOnce.Once, envOnce.err = sync.Once{}, nil
	defer func() { envOnce.Once, envOnce.err = sync.Once{}, nil }()
	err := ConfigureFromEnv()
	if err == nil || !strings.Contains(err.Error(), "CGOGUARD_C_CACHE=\"relative/dir\"") || !strings.Contains(err.Error(), `want "off" or an absolute directory`) {
		t.Fatalf("got %v", err)
	}
}
