//go:build cgo && cgoguard

package cguard_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/cguard"
)

func TestHandlerShowsAllocationsAndQuarantine(t *testing.T) {
	p := allocBuffer(77)
	defer cguard.Free(p)
	cguard.Free(cguard.Malloc(5))

	rr := httptest.NewRecorder()
	guard.Handler().ServeHTTP(rr, httptest.NewRequest("GET", "/?format=json", nil))
	var state struct {
		Live map[string]struct {
			Count int `json:"count"`
			Items []struct {
				Size   int                                    `json:"size"`
				Stacks map[string][]struct{ Function string } `json:"stacks"`
			} `json:"items"`
		} `json:"live"`
		Stats struct {
			Quarantine struct {
				Blocks uint64 `json:"blocks"`
				Bound  uint64 `json:"bound_bytes"`
			} `json:"quarantine"`
		} `json:"stats"`
	}
	if err := json.Unmarshal(rr.Body.Bytes(), &state); err != nil {
		t.Fatalf("JSON view does not parse: %v\n%s", err, rr.Body)
	}
	found := false
	for _, it := range state.Live["allocations"].Items {
		if it.Size == 77 && len(it.Stacks["alloc_stack"]) > 0 && strings.HasSuffix(it.Stacks["alloc_stack"][0].Function, "cguard_test.allocBuffer") {
			found = true
		}
	}
	if !found {
		t.Errorf("the live 77-byte buffer is not listed with its stack:\n%s", rr.Body)
	}
	if q := state.Stats.Quarantine; q.Blocks == 0 || q.Bound == 0 {
		t.Errorf("quarantine figures missing: %+v\n%s", q, rr.Body)
	}
}
