//go:build cgoguard

package guard

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/cgoguard/cgoguard/guard/internal/report"
	"github.com/cgoguard/cgoguard/guard/internal/stack"
	"github.com/cgoguard/cgoguard/guard/internal/table"
)

// tombstones is how many deleted handles are remembered, so that a late
// Value or Delete can name where the handle was created and deleted.
// Older ones are reported as unknown. Numbers are never reused.
const tombstones = 4096

type handleRecord struct {
	value   any
	created stack.Stack
	deleted stack.Stack
}

var handles struct {
	mu   sync.Mutex
	last Handle // highest number handed out
	live table.Table[*handleRecord]
	dead table.Table[*handleRecord]
	ring [tombstones]Handle // dead, oldest first from next
	next int
	// spare holds records forgotten from the tombstones, for reuse: an
	// allocation per handle would cost more in garbage collection than
	// everything else NewHandle does.
	spare []*handleRecord
}

func init() {
	report.Register(report.Source{Name: "handles", Live: liveHandles})
}

func newHandle(v any) Handle {
	var created stack.Stack
	created.Capture()
	handles.mu.Lock()
	var rec *handleRecord
	if n := len(handles.spare); n > 0 {
		rec = handles.spare[n-1]
		handles.spare = handles.spare[:n-1]
	} else {
		rec = new(handleRecord)
	}
	rec.value, rec.created, rec.deleted = v, created, stack.Stack{}
	handles.last++
	h := handles.last
	handles.live.Put(uintptr(h), rec)
	handles.mu.Unlock()
	return h
}

func handleValue(h Handle) any {
	handles.mu.Lock()
	rec, ok := handles.live.Get(uintptr(h))
	var v any
	if ok {
		v = rec.value
	}
	handles.mu.Unlock()
	if ok {
		return v
	}
	handleMisuse(h, "Value")
	return nil
}

func handleDelete(h Handle) {
	handles.mu.Lock()
	rec, ok := handles.live.Get(uintptr(h))
	if ok {
		handles.live.Remove(uintptr(h))
		rec.value = nil
		rec.deleted.Capture()
		bury(h, rec)
	}
	handles.mu.Unlock()
	if !ok {
		handleMisuse(h, "Delete")
	}
}

// bury remembers a deleted handle, forgetting the oldest beyond tombstones.
func bury(h Handle, rec *handleRecord) {
	if oldest := uintptr(handles.ring[handles.next]); oldest != 0 {
		if old, ok := handles.dead.Get(oldest); ok {
			handles.dead.Remove(oldest)
			handles.spare = append(handles.spare, old)
		}
	}
	handles.ring[handles.next] = h
	handles.next = (handles.next + 1) % tombstones
	handles.dead.Put(uintptr(h), rec)
}

// handleMisuse reports op on h, which is not live.
func handleMisuse(h Handle, op string) {
	var at stack.Stack
	at.Capture()
	handles.mu.Lock()
	var created, deleted stack.Stack // copies: records are reused
	rec, dead := handles.dead.Get(uintptr(h))
	if dead {
		created, deleted = rec.created, rec.deleted
	}
	last := handles.last
	handles.mu.Unlock()
	v := &report.Violation{Kind: report.HandleInvalid, HandleID: uintptr(h), Op: op}
	switch {
	case dead:
		v.Kind = report.HandleAfterDelete
		v.Message = fmt.Sprintf("%s on handle %d after Delete", op, h)
		v.Stacks = []report.NamedStack{{Name: report.CreateStack, Stack: &created}, {Name: report.DeleteStack, Stack: &deleted}}
	case h == 0 || h > last:
		v.Message = fmt.Sprintf("%s on handle %d, which NewHandle never returned", op, h)
	default:
		v.Message = fmt.Sprintf("%s on handle %d, deleted before the last %d deletions (too long ago to name its stacks)", op, h, tombstones)
	}
	v.Stacks = append(v.Stacks, report.NamedStack{Name: report.ReportStack, Stack: &at})
	report.Violate(v)
}

func liveHandles() []report.Live {
	handles.mu.Lock()
	defer handles.mu.Unlock()
	out := make([]report.Live, 0, handles.live.Len())
	handles.live.Each(func(h uintptr, rec *handleRecord) {
		created := rec.created // a copy: records are reused once deleted
		out = append(out, report.Live{Kind: report.LeakedHandle, HandleID: h,
			Message: fmt.Sprintf("handle %d to a %T not deleted", h, rec.value),
			Stacks:  []report.NamedStack{{Name: report.CreateStack, Stack: &created}}})
	})
	slices.SortFunc(out, func(a, b report.Live) int { return cmp.Compare(a.HandleID, b.HandleID) })
	return out
}
