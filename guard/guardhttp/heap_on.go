//go:build cgoguard

package guardhttp

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/google/pprof/profile"

	"github.com/cgoguard/cgoguard/guard/internal/report"
	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

// creation names, per source, the stack a live object was made at.
var creation = map[string]string{
	"allocations": report.AllocStack,
	"handles":     report.CreateStack,
	"pins":        report.PinStack,
}

// heapProfile returns what is live as a pprof profile: objects and bytes by
// the stack that made them, in the format of Go's heap profile, so that
// go tool pprof shows flame graphs and -base diffs two snapshots. Go's own
// heap profile cannot see C memory. Handles and pins count as objects of
// no bytes; a sample's "kind" label says which sort it is.
func heapProfile() *profile.Profile {
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "objects", Unit: "count"}, {Type: "bytes", Unit: "bytes"}},
		// The default view, as for Go's heap profile: bytes in use.
		DefaultSampleType: "bytes",
		PeriodType:        &profile.ValueType{Type: "space", Unit: "bytes"},
		Period:            1,
	}
	b := builder{p: p, functions: map[string]*profile.Function{}, locations: map[stack.Frame]*profile.Location{}, samples: map[string]*profile.Sample{}}
	for _, src := range report.Sources() {
		name, ok := creation[src.Name]
		if !ok || src.Live == nil {
			continue
		}
		kind := strings.TrimSuffix(src.Name, "s")
		for _, l := range src.Live() {
			var frames []stack.Frame
			for _, s := range l.Stacks {
				if s.Name == name && s.Stack != nil {
					frames = s.Stack.Frames()
				}
			}
			b.add(kind, frames, int64(l.Size))
		}
	}
	return p
}

type builder struct {
	p         *profile.Profile
	functions map[string]*profile.Function
	locations map[stack.Frame]*profile.Location
	samples   map[string]*profile.Sample // by kind and stack
}

func (b *builder) location(f stack.Frame) *profile.Location {
	if l, ok := b.locations[f]; ok {
		return l
	}
	fn, ok := b.functions[f.Function+"\x00"+f.File]
	if !ok {
		fn = &profile.Function{ID: uint64(len(b.p.Function) + 1), Name: f.Function, SystemName: f.Function, Filename: f.File}
		b.functions[f.Function+"\x00"+f.File] = fn
		b.p.Function = append(b.p.Function, fn)
	}
	l := &profile.Location{ID: uint64(len(b.p.Location) + 1), Line: []profile.Line{{Function: fn, Line: int64(f.Line)}}}
	b.locations[f] = l
	b.p.Location = append(b.p.Location, l)
	return l
}

func (b *builder) add(kind string, frames []stack.Frame, bytes int64) {
	var key strings.Builder
	key.WriteString(kind)
	for _, f := range frames {
		key.WriteString("\x00" + f.Function + "\x00" + f.File + ":" + strconv.Itoa(f.Line))
	}
	if s, ok := b.samples[key.String()]; ok {
		s.Value[0]++
		s.Value[1] += bytes
		return
	}
	s := &profile.Sample{Value: []int64{1, bytes}, Label: map[string][]string{"kind": {kind}}}
	for _, f := range frames {
		s.Location = append(s.Location, b.location(f))
	}
	b.samples[key.String()] = s
	b.p.Sample = append(b.p.Sample, s)
}

func serveHeap(w http.ResponseWriter) {
	p := heapProfile()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="cgoguard-heap.pb.gz"`)
	if err := p.Write(w); err != nil {
		http.Error(w, "cgoguard: "+err.Error(), http.StatusInternalServerError)
	}
}
