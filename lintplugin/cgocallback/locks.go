package cgocallback

import (
	"fmt"
	"go/token"
	"maps"

	"golang.org/x/tools/go/ssa"

	"github.com/cgoguard/cgoguard/lintplugin/internal/api"
	"github.com/cgoguard/cgoguard/lintplugin/internal/cgoshape"
)

// state is the set of locks certainly held at a program point: write locks
// (Lock) and read locks (RLock), by the lock's key.
type state struct{ w, r map[string]bool }

func (s state) clone() state { return state{maps.Clone(s.w), maps.Clone(s.r)} }

// meet keeps the locks held on both paths.
func meet(x, y state) state {
	out := state{map[string]bool{}, map[string]bool{}}
	for k := range x.w {
		if y.w[k] {
			out.w[k] = true
		}
	}
	for k := range x.r {
		if y.r[k] {
			out.r[k] = true
		}
	}
	return out
}

func (s state) equal(t state) bool { return maps.Equal(s.w, t.w) && maps.Equal(s.r, t.r) }

// An op is what an instruction does to the locks.
type op uint8

const (
	none      op = iota
	lock         // Lock, TryLock, or a helper that acquires a lock
	unlock       // Unlock
	rlock        // RLock, TryRLock
	runlock      // RUnlock
	unlockAll    // a helper that releases a lock it did not take
)

type locks struct {
	pkg     *ssa.Package
	helpers map[*ssa.Function]op
}

func newLocks(pkg *ssa.Package) *locks {
	return &locks{pkg: pkg, helpers: make(map[*ssa.Function]op)}
}

// states computes, for each block of fn reachable from its entry (or its
// recover block), the locks held on every path into it: a forward
// must-analysis, so a write is protected only where a Lock dominates it
// with no Unlock on any path in between.
func (l *locks) states(fn *ssa.Function) map[*ssa.BasicBlock]state {
	in := make(map[*ssa.BasicBlock]state)
	var work []*ssa.BasicBlock
	for _, b := range []*ssa.BasicBlock{fn.Blocks[0], fn.Recover} {
		if b != nil {
			in[b] = state{map[string]bool{}, map[string]bool{}}
			work = append(work, b)
		}
	}
	for steps := 0; len(work) > 0 && steps < 100*len(fn.Blocks); steps++ {
		b := work[0]
		work = work[1:]
		out := in[b].clone()
		for _, ins := range b.Instrs {
			l.transfer(&out, ins)
		}
		for _, s := range b.Succs {
			old, seen := in[s]
			next := out
			if seen {
				next = meet(old, out)
				if next.equal(old) {
					continue
				}
			}
			in[s] = next.clone()
			work = append(work, s)
		}
	}
	return in
}

// transfer applies ins to the lock state. Deferred Unlocks run at return,
// after every write in the function, so they change nothing here.
func (l *locks) transfer(st *state, ins ssa.Instruction) {
	call, ok := ins.(*ssa.Call)
	if !ok {
		return
	}
	o, key := l.op(&call.Call)
	switch o {
	case lock:
		st.w[key] = true
	case unlock:
		delete(st.w, key)
	case rlock:
		st.r[key] = true
	case runlock:
		delete(st.r, key)
	case unlockAll:
		clear(st.w)
		clear(st.r)
	}
}

// op classifies a call: methods of sync.Mutex and sync.RWMutex, Lock and
// Unlock through an interface (sync.Locker), and the package's own helpers
// that only lock or only unlock.
func (l *locks) op(call *ssa.CallCommon) (op, string) {
	a := api.Classify(call)
	var o op
	switch a.Kind {
	case api.Lock:
		o = lock
	case api.Unlock:
		o = unlock
	case api.RLock:
		o = rlock
	case api.RUnlock:
		o = runlock
	}
	if o != none {
		if call.IsInvoke() {
			return o, key(call.Value)
		}
		if len(call.Args) == 0 {
			return none, ""
		}
		return o, key(call.Args[0])
	}
	fn := call.StaticCallee()
	if fn != nil && fn.Pkg == l.pkg && !cgoshape.IsGenerated(fn) {
		return l.helper(fn), "helper " + fn.String()
	}
	return none, ""
}

// helper summarises a same-package function: one that takes a write lock
// and releases none acts as Lock; one that releases and takes none, as
// releasing every lock.
func (l *locks) helper(fn *ssa.Function) op {
	if o, ok := l.helpers[fn]; ok {
		return o
	}
	l.helpers[fn] = none
	var locks, unlocks bool
	for _, b := range fn.Blocks {
		for _, ins := range b.Instrs {
			call, ok := ins.(*ssa.Call)
			if !ok {
				continue
			}
			switch o, _ := l.op(&call.Call); o {
			case lock:
				locks = true
			case unlock, unlockAll:
				unlocks = true
			}
		}
	}
	o := none
	switch {
	case locks && !unlocks:
		o = lock
	case unlocks && !locks:
		o = unlockAll
	}
	l.helpers[fn] = o
	return o
}

// key identifies a lock by the expression that addresses it: the same
// variable or field path gives the same key.
func key(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Global:
		return "global " + v.RelString(nil)
	case *ssa.Parameter:
		return "param " + v.Name()
	case *ssa.FreeVar:
		return "freevar " + v.Name()
	case *ssa.FieldAddr:
		return fmt.Sprintf("%s.%d", key(v.X), v.Field)
	case *ssa.Field:
		return fmt.Sprintf("%s.%d", key(v.X), v.Field)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return "*" + key(v.X)
		}
	case *ssa.ChangeType:
		return key(v.X)
	case *ssa.MakeInterface:
		return key(v.X)
	}
	return fmt.Sprintf("value %p", v)
}
