//go:build cgo && cgoguard

package cguard_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/guard/internal/report"
	"github.com/cgoguard/cgoguard/guard/internal/scenario"
)

func init() {
	scenarios["stress"] = func() {
		churn(failer{}, 16, 3000)
		fmt.Printf("quarantine %s\n", quarantineJSON())
	}
}

// failer is the testing.TB a scenario has: any error ends the process.
type failer struct{ testing.TB }

func (failer) Errorf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(4)
}

func quarantineJSON() []byte {
	for _, s := range report.Sources() {
		if s.Name == "quarantine" {
			b, _ := json.Marshal(s.Stats())
			return b
		}
	}
	return nil
}

// TestStressSmallQuarantine churns with a quarantine small enough to evict
// all the time and one allocation in 20 on guard pages, then checks that
// nothing was reported and the quarantine kept under its bound.
func TestStressSmallQuarantine(t *testing.T) {
	const bound = 256 << 10
	r := scenario.Run(t, "stress", "CGOGUARD_QUARANTINE=262144", "CGOGUARD_SAMPLE=20")
	if r.ExitCode != 0 || strings.Contains(r.Output, "cgoguard:") {
		t.Fatalf("stress run failed or reported (exit %d):\n%s", r.ExitCode, r.Output)
	}
	_, figures, _ := strings.Cut(r.Output, "quarantine ")
	var q struct {
		Bytes     uint64 `json:"bytes"`
		Bound     uint64 `json:"bound_bytes"`
		PeakBytes uint64 `json:"peak_bytes"`
		Released  uint64 `json:"released_blocks"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(figures)), &q); err != nil {
		t.Fatalf("no quarantine figures: %v\n%s", err, r.Output)
	}
	if q.Bound != bound || q.PeakBytes > bound || q.Bytes > bound {
		t.Errorf("quarantine over its bound: %+v", q)
	}
	if q.Released == 0 || q.PeakBytes < bound/2 {
		t.Errorf("the quarantine never filled, so the bound was not exercised: %+v", q)
	}
}
