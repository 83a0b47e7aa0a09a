package csummary

import (
	"fmt"
	"os"
	"sync"
)

// EnvIndexDir names the environment variable that places the index of
// system headers: "off" turns it off (every unit is read in full, as fast
// as before the index, and nothing is written), an absolute directory
// puts it there; unset, it is in the user's cache directory.
const EnvIndexDir = "CGOGUARD_C_CACHE"

var envOnce struct {
	sync.Once
	err error
}

// ConfigureFromEnv applies CGOGUARD_C_CACHE once per process, and returns
// an error naming the variable and the accepted values when it is
// malformed.
func ConfigureFromEnv() error {
	envOnce.Do(func() {
		v, ok := os.LookupEnv(EnvIndexDir)
		if !ok || v == "" {
			return
		}
		dir := v
		if v == "off" {
			dir = ""
		}
		if err := SetIndexDir(dir); err != nil {
			envOnce.err = fmt.Errorf("%s=%q: want \"off\" or an absolute directory: %v", EnvIndexDir, v, err)
		}
	})
	return envOnce.err
}
