package guardhttp_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cgoguard/cgoguard/guard"
	"github.com/cgoguard/cgoguard/guard/guardhttp"
)

func TestHandlerServesTextAndJSON(t *testing.T) {
	h := guard.NewHandle("shown by the handler")
	defer h.Delete()
	srv := guardhttp.Handler()

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
				found = found || strings.HasSuffix(f.Function, "guardhttp_test.TestHandlerServesTextAndJSON")
			}
		}
	}
	if !found {
		t.Errorf("JSON view lacks handle %d with its creation stack:\n%s", h, rr.Body)
	}
	for _, want := range []string{"live handles: ", "guardhttp_test.TestHandlerServesTextAndJSON", "violations so far:", "quarantine"} {
		if !strings.Contains(text, want) {
			t.Errorf("text view lacks %q:\n%s", want, text)
		}
	}
}
