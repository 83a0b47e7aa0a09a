//go:build cgo && cgoguard

package cguard_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/cgoguard/cgoguard/guard/cguard"

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

func init() {
	scenarios["rss"] = func() {
		before := rssKiB()
		rng := rand.New(rand.NewPCG(1, 2))
		var live []unsafe.Pointer
		total := 0
		for total < 256<<20 {
			n := 16 + rng.IntN(4081)
			p := cguard.Malloc(uintptr(n))
			clear(unsafe.Slice((*byte)(p), n))
			total += n
			live = append(live, p)
			if len(live) > 16 {
				k := rng.IntN(len(live))
				cguard.Free(live[k])
				live = append(live[:k], live[k+1:]...)
			}
		}
		for _, p := range live {
			cguard.Free(p)
		}
		runtime.GC()
		fmt.Printf("rss %d %d\n", before, rssKiB())
	}
}

// rssKiB reads the resident set size from /proc/self/status.
func rssKiB() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return n
		}
	}
	return 0
}

// TestResidentMemoryStaysWithinTheBounds churns 256 MiB through small
// buffers and measures the process's resident set: what it grows by must
// stay within the quarantine and guard-page bounds plus the documented
// overhead (arena size classes round spans up by at most 1/8; records live
// in the Go heap, which may hold up to twice its live size).
func TestResidentMemoryStaysWithinTheBounds(t *testing.T) {
	const quarantine, guard = 8 << 20, 4 << 20
	r := scenario.Run(t, "rss", fmt.Sprintf("CGOGUARD_QUARANTINE=%d", quarantine), fmt.Sprintf("CGOGUARD_GUARD_BYTES=%d", guard))
	var before, after int
	if _, err := fmt.Sscanf(r.Output[strings.Index(r.Output, "rss "):], "rss %d %d", &before, &after); err != nil || r.ExitCode != 0 {
		t.Fatalf("no figures (exit %d): %v\n%s", r.ExitCode, err, r.Output)
	}
	grown := (after - before) << 10
	limit := quarantine*9/8 + quarantine + guard + 4<<20
	t.Logf("resident set grew by %.1f MiB (quarantine %d MiB, guard pages %d MiB; limit %.1f MiB)",
		float64(grown)/(1<<20), quarantine>>20, guard>>20, float64(limit)/(1<<20))
	if grown > limit {
		t.Errorf("resident set grew by %d bytes, more than %d", grown, limit)
	}
}
