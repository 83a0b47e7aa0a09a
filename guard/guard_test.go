package guard_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/guard"
)

// TestEnabledFollowsTag proves which build this is: with -tags cgoguard
// the checks are really on.
func TestEnabledFollowsTag(t *testing.T) {
	if guard.Enabled() != builtWithTag {
		t.Fatalf("Enabled() = %v in a build with cgoguard tag = %v", guard.Enabled(), builtWithTag)
	}
}

func TestHandleRoundTrip(t *testing.T) {
	type session struct{ id int }
	s := &session{42}
	h := guard.NewHandle(s)
	if h == 0 {
		t.Fatal("NewHandle returned 0")
	}
	h2 := guard.NewHandle("other")
	if h2 == h {
		t.Fatal("two live handles share a number")
	}
	if got := h.Value().(*session); got != s {
		t.Errorf("Value() = %v, want %v", got, s)
	}
	h.Delete()
	h2.Delete()
	guard.VerifyNone(t)
}

func TestPinnerPinsAndUnpins(t *testing.T) {
	var p guard.Pinner
	x, y := new(int), new([64]byte)
	p.Pin(x)
	p.Pin(y)
	p.Unpin()
	p.Pin(x) // usable again after Unpin
	p.Unpin()
	guard.VerifyNone(t)
}

// recorder is a TestingT that keeps what VerifyNone reports.
type recorder struct{ errors []string }

func (r *recorder) Helper()           {}
func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }

func TestVerifyNoneReportsLeaksOnlyInDebugBuilds(t *testing.T) {
	h := guard.NewHandle(1)
	var rec recorder
	guard.VerifyNone(&rec)
	if got := len(rec.errors) > 0; got != guard.Enabled() {
		t.Errorf("VerifyNone with a live handle reported %d errors; debug build: %v", len(rec.errors), guard.Enabled())
	}
	h.Delete()
	rec = recorder{}
	guard.VerifyNone(&rec)
	if len(rec.errors) != 0 {
		t.Errorf("VerifyNone after Delete reported %v", rec.errors)
	}
}

func TestHandlerServesTextAndJSON(t *testing.T) {
	h := guard.NewHandle("shown by the handler")
	defer h.Delete()
	srv := guard.Handler()

	rr := httptest.NewRecorder()
	srv.ServeHTTP(rr, httptest.NewRequest("GET", "/debug/cgoguard?format=json", nil))
	var state struct {
		Enabled bool `json:"enabled"`
		Live    map[string]struct {
			Count int `json:"count"`
			Items []struct {
				HandleID uint64                                 `json:"handle_id"`
				Stacks   map[string][]struct{ Function string } `json:"stacks"`
			} `json:"items"`
		} `json:"live"`
	}
	if err := json.Unmarshal(rr.Body.Bytes(), &state); err != nil {
		t.Fatalf("JSON view does not parse: %v\n%s", err, rr.Body)
	}
	if state.Enabled != guard.Enabled() {
		t.Errorf("JSON view says enabled=%v", state.Enabled)
	}

	rr = httptest.NewRecorder()
	srv.ServeHTTP(rr, httptest.NewRequest("GET", "/debug/cgoguard", nil))
	text := rr.Body.String()
	if !guard.Enabled() {
		if !strings.Contains(text, "checks are off") {
			t.Errorf("release text view: %q", text)
		}
		return
	}
	handles := state.Live["handles"]
	found := false
	for _, it := range handles.Items {
		if it.HandleID == uint64(h) {
			for _, f := range it.Stacks["create_stack"] {
				found = found || strings.HasSuffix(f.Function, "guard_test.TestHandlerServesTextAndJSON")
			}
		}
	}
	if !found {
		t.Errorf("JSON view lacks handle %d with its creation stack:\n%s", h, rr.Body)
	}
	for _, want := range []string{"live handles: ", "guard_test.TestHandlerServesTextAndJSON", "violations so far:", "quarantine"} {
		if !strings.Contains(text, want) {
			t.Errorf("text view lacks %q:\n%s", want, text)
		}
	}
}
