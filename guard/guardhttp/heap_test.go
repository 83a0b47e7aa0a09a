//go:build cgo && cgoguard

package guardhttp_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/pprof/profile"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/cguard"
	"github.com/cgoguard/cgoguard/guard/guardhttp"
)

//go:noinline
func allocSmall() unsafe.Pointer { return cguard.Malloc(100) }

//go:noinline
func allocLarge() unsafe.Pointer { return cguard.Malloc(5000) }

//go:noinline
func makeHandle() guard.Handle { return guard.NewHandle("profiled") }

// TestHeapProfileCountsLiveObjects loads the served profile with the pprof
// package and checks the totals of a known set of live objects by the
// function that made them.
func TestHeapProfileCountsLiveObjects(t *testing.T) {
	var ps []unsafe.Pointer
	for range 3 {
		ps = append(ps, allocSmall())
	}
	for range 2 {
		ps = append(ps, allocLarge())
	}
	h := makeHandle()
	defer func() {
		for _, p := range ps {
			cguard.Free(p)
		}
		h.Delete()
	}()
	// A freed buffer is not live.
	cguard.Free(allocSmall())

	rr := httptest.NewRecorder()
	guardhttp.Handler().ServeHTTP(rr, httptest.NewRequest("GET", "/debug/cgoguard/heap", nil))
	p, err := profile.Parse(rr.Body)
	if err != nil {
		t.Fatalf("the served profile does not parse: %v", err)
	}
	if err := p.CheckValid(); err != nil {
		t.Fatalf("invalid profile: %v", err)
	}
	if len(p.SampleType) != 2 || p.SampleType[0].Type != "objects" || p.SampleType[1].Type != "bytes" {
		t.Fatalf("sample types = %v", p.SampleType)
	}
	type total struct{ objects, bytes int64 }
	byTop := map[string]total{}
	for _, s := range p.Sample {
		if len(s.Location) == 0 {
			continue
		}
		top := s.Location[0].Line[0].Function.Name
		top = top[strings.LastIndex(top, "/")+1:]
		tt := byTop[top+" "+s.Label["kind"][0]]
		tt.objects += s.Value[0]
		tt.bytes += s.Value[1]
		byTop[top+" "+s.Label["kind"][0]] = tt
	}
	for key, want := range map[string]total{
		"guardhttp_test.allocSmall allocation": {3, 300},
		"guardhttp_test.allocLarge allocation": {2, 10000},
		"guardhttp_test.makeHandle handle":     {1, 0},
	} {
		if got := byTop[key]; got != want {
			t.Errorf("%s: %+v, want %+v (all: %v)", key, got, want, byTop)
		}
	}
}

func TestStateShowsAllocationsAsLive(t *testing.T) {
	p := allocSmall()
	defer cguard.Free(p)
	cguard.Free(cguard.Malloc(5))

	rr := httptest.NewRecorder()
	guardhttp.Handler().ServeHTTP(rr, httptest.NewRequest("GET", "/debug/cgoguard/?format=json", nil))
	var state struct {
		Live map[string]struct {
			Items []struct {
				Kind   string                                 `json:"kind"`
				Size   int                                    `json:"size"`
				Stacks map[string][]struct{ Function string } `json:"stacks"`
			} `json:"items"`
		} `json:"live"`
		Stats struct {
			Quarantine struct {
				Blocks uint64 `json:"blocks"`
				Bound  uint64 `json:"bound_bytes"`
			} `json:"quarantine"`
			GuardPages struct {
				Placed uint64 `json:"placed"`
			} `json:"guard_pages"`
		} `json:"stats"`
	}
	if err := json.Unmarshal(rr.Body.Bytes(), &state); err != nil {
		t.Fatalf("JSON view does not parse: %v\n%s", err, rr.Body)
	}
	found := false
	for _, it := range state.Live["allocations"].Items {
		if it.Size == 100 && len(it.Stacks["alloc_stack"]) > 0 && strings.HasSuffix(it.Stacks["alloc_stack"][0].Function, "guardhttp_test.allocSmall") {
			found = true
			if it.Kind != "live-allocation" {
				t.Errorf("a live buffer is shown as %q, want live-allocation", it.Kind)
			}
		}
	}
	if !found {
		t.Errorf("the live 100-byte buffer is not listed with its stack:\n%s", rr.Body)
	}
	if q := state.Stats.Quarantine; q.Bound == 0 {
		t.Errorf("quarantine figures missing: %+v\n%s", q, rr.Body)
	}
	if state.Stats.GuardPages.Placed == 0 {
		t.Errorf("no buffer placed on guard pages by default:\n%s", rr.Body)
	}
}
