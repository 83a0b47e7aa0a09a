package cgoretain_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cgoguard/cgoguard/lintplugin/cgoretain"
	"github.com/cgoguard/cgoguard/lintplugin/internal/config"
	"github.com/cgoguard/cgoguard/lintplugin/internal/engine"
)

// TestExplain checks that explain mode shows the path of a finding (the
// origin of the Go memory, the crossing and the C summary behind it) and
// why candidates were dropped.
func TestExplain(t *testing.T) {
	var out bytes.Buffer
	cfg := config.Default()
	cfg.Explain, cfg.ExplainTo = true, &out
	a := cgoretain.New(engine.New(cfg))
	analysistest.Run(t, analysistest.TestData(), a, "a")
	text := out.String()
	for _, want := range []string{
		"cgoretain: finding: cgoretain: Go memory (new(int)) passed to C.set_buf",
		"origin: new(int) at a.go:38:10",
		"crossing: argument 1 of C.set_buf, which keeps it in static g_buf (summary of set_buf from body)",
		"dropped argument 1 of C.use_now: C does not keep it (used only)",
		"dropped argument 1 of C.set_buf: the Go memory is pinned at the call",
		"dropped argument 1 of C.unknown_lib: no summary of the C function",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("explain output lacks %q; got:\n%s", want, text)
		}
	}
}
