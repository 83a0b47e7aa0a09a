//go:build cgoguard

package guardhttp

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/cgoguard/cgoguard/guard/internal/config"
	"github.com/cgoguard/cgoguard/guard/internal/report"
	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

// maxListed bounds each list in a response; the count is always exact.
const maxListed = 1000

type stateView struct {
	Enabled    bool                `json:"enabled"`
	Config     configView          `json:"config"`
	Live       map[string]liveList `json:"live"`
	Stats      map[string]any      `json:"stats"`
	Violations violationsView      `json:"violations"`
}

type configView struct {
	OnViolation string `json:"on_violation"`
	Log         string `json:"log"`
	Sample      uint64 `json:"sample"`
	First       uint64 `json:"sample_first"`
	GuardBytes  uint64 `json:"guard_bytes"`
	Quarantine  uint64 `json:"quarantine_bytes"`
}

type liveList struct {
	Count int              `json:"count"`
	Items []*report.Record `json:"items"`
}

type violationsView struct {
	Total  uint64           `json:"total"`
	Recent []*report.Record `json:"recent"`
}

func handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/heap") {
			serveHeap(w)
			return
		}
		v := snapshot()
		if r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json") {
			w.Header().Set("Content-Type", "application/json")
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			_ = enc.Encode(v)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		var b strings.Builder
		writeText(&b, v)
		_, _ = io.WriteString(w, b.String())
	})
}

func snapshot() *stateView {
	c := config.Current
	v := &stateView{Enabled: true, Live: map[string]liveList{}, Stats: map[string]any{},
		Config: configView{OnViolation: "log", Log: c.Log, Sample: c.Sample, First: c.First, GuardBytes: c.GuardBytes, Quarantine: c.Quarantine}}
	if c.Panic {
		v.Config.OnViolation = "panic"
	}
	for _, src := range report.Sources() {
		if src.Live != nil {
			all := src.Live()
			l := liveList{Count: len(all), Items: []*report.Record{}}
			for i := 0; i < len(all) && i < maxListed; i++ {
				l.Items = append(l.Items, all[i].Record())
			}
			v.Live[src.Name] = l
		}
		if src.Stats != nil {
			v.Stats[src.Name] = src.Stats()
		}
	}
	v.Violations.Total, v.Violations.Recent = report.Violations()
	if v.Violations.Recent == nil {
		v.Violations.Recent = []*report.Record{}
	}
	return v
}

func writeText(w *strings.Builder, v *stateView) {
	sample := "off"
	if v.Config.Sample > 0 {
		sample = fmt.Sprintf("first %d per site, then at least 1/%d", v.Config.First, v.Config.Sample)
	}
	fmt.Fprintf(w, "cgoguard: checks on; on_violation=%s log=%s guard pages: %s, up to %d bytes; quarantine=%d bytes\n",
		v.Config.OnViolation, v.Config.Log, sample, v.Config.GuardBytes, v.Config.Quarantine)
	for _, name := range slices.Sorted(maps.Keys(v.Stats)) {
		b, _ := json.Marshal(v.Stats[name])
		fmt.Fprintf(w, "\n%s: %s\n", name, b)
	}
	for _, name := range slices.Sorted(maps.Keys(v.Live)) {
		l := v.Live[name]
		fmt.Fprintf(w, "\nlive %s: %d\n", name, l.Count)
		writeRecords(w, l.Items)
	}
	fmt.Fprintf(w, "\nviolations so far: %d (most recent last)\n", v.Violations.Total)
	writeRecords(w, v.Violations.Recent)
}

func writeRecords(w *strings.Builder, rs []*report.Record) {
	for _, r := range rs {
		fmt.Fprintf(w, "- %s: %s\n", r.Kind, r.Message)
		for _, s := range r.Stacks {
			fmt.Fprintf(w, "  %s:\n%s", s.Name, stack.Text(s.Frames, "\t"))
		}
	}
}
