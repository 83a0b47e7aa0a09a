// Package sample decides which C allocations go on guard pages.
//
// Guard pages catch a stale or out-of-bounds access at the faulting
// instruction, but each guarded allocation costs two protection changes
// (about 2.5 µs each here), so only some allocations get them. The policy
// is per allocation site: the first allocations at every site are guarded,
// so a bug that happens once, early, is caught in one run; after that the
// rate decays as First/n towards the floor of 1 in Floor, so a hot site
// still has a repeated bug caught within about Floor occurrences while its
// clean allocations cost little. A global budget (in package cguard) bounds
// what all guarded allocations hold at once.
//
// At the floor, a site guards one allocation, then skips a random number
// of them, from Floor/2 to 3*Floor/2, rather than drawing each allocation
// at 1 in Floor: the same cost, but a bug repeated at every allocation of
// the site is caught within 3*Floor/2 occurrences, about Floor/2 on
// average, where independent draws would take Floor on average and more
// than 2*Floor one time in seven. The jitter keeps a bug that comes back
// at a fixed period from dodging a fixed sampling period.
package sample

import (
	"math/rand/v2"
	"sync/atomic"
)

// Policy is the sampling policy.
type Policy struct {
	// First is the number of allocations at each site that are always
	// guarded.
	First uint64
	// Floor is N in the lowest rate, 1 in N; 1 guards every allocation and
	// 0 none.
	Floor uint64
}

// siteBits sizes the table of sites. Sites beyond it share the floor rate:
// a program with more than 16384 distinct allocation sites is rare, and
// the table costs 256 KiB.
const siteBits = 14

type site struct {
	key  atomic.Uint64 // 0: empty
	n    atomic.Uint64 // allocations seen at this site
	next atomic.Uint64 // at the floor: the count of the next guarded allocation
}

// Sites counts allocations per site and applies a Policy. The zero value
// is not usable; use New.
type Sites struct {
	policy Policy
	table  [1 << siteBits]site
	// Overflowed counts allocations at sites that found no room in the table.
	Overflowed atomic.Uint64
}

// New returns an empty set of sites under p.
func New(p Policy) *Sites { return &Sites{policy: p} }

// Policy returns the policy in force.
func (s *Sites) Policy() Policy { return s.policy }

// probes bounds the linear probing of the lock-free table.
const probes = 8

// count returns the site of key and how many allocations it has had, this
// one included, or nil if the table has no room for key.
func (s *Sites) count(key uint64) (*site, uint64) {
	if key == 0 {
		key = 1 // 0 marks an empty slot
	}
	h := key * 0x9E3779B97F4A7C15 >> (64 - siteBits)
	for i := uint64(0); i < probes; i++ {
		e := &s.table[(h+i)&(1<<siteBits-1)]
		k := e.key.Load()
		if k == 0 && e.key.CompareAndSwap(0, key) {
			k = key
		} else if k == 0 {
			k = e.key.Load()
		}
		if k == key {
			return e, e.n.Add(1)
		}
	}
	s.Overflowed.Add(1)
	return nil, 0
}

// Guard reports whether the next allocation at site key goes on guard
// pages.
func (s *Sites) Guard(key uint64) bool {
	g, _ := s.Decide(key)
	return g
}

// Decide is Guard, and also returns how many allocations the site has had,
// this one included (0 when the table has no room for the site).
func (s *Sites) Decide(key uint64) (guard bool, n uint64) {
	p := s.policy
	switch p.Floor {
	case 0:
		return false, 0
	case 1:
		return true, 0
	}
	e, n := s.count(key)
	return s.decide(e, n), n
}

func (s *Sites) decide(e *site, n uint64) bool {
	p := s.policy
	if e == nil {
		return rand.Uint64N(p.Floor) == 0 // no room: independent draws at the floor
	}
	if n <= p.First {
		return true
	}
	// The rate is max(First/n, 1/Floor).
	if n < p.First*p.Floor {
		return rand.Uint64N(n) < p.First
	}
	next := e.next.Load()
	if next == 0 {
		// Entering the floor: the first guarded allocation comes within a
		// gap, not at once.
		e.next.CompareAndSwap(0, n+gap(p.Floor))
		return false
	}
	// Another allocation racing for the same turn may also win: a rare,
	// harmless extra guarded buffer.
	return n >= next && e.next.CompareAndSwap(next, n+gap(p.Floor))
}

// gap is how many allocations to the next guarded one at the floor:
// uniform from Floor/2 to 3*Floor/2, Floor on average.
func gap(floor uint64) uint64 { return max(1, floor/2+rand.Uint64N(floor+1)) }
