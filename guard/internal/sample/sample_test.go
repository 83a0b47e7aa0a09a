package sample

import "testing"

func TestFirstAllocationsAtEverySiteAreGuarded(t *testing.T) {
	s := New(Policy{First: 4, Floor: 1000})
	for site := uint64(1); site <= 100; site++ {
		for i := 0; i < 4; i++ {
			if !s.Guard(site) {
				t.Fatalf("allocation %d at site %d not guarded", i+1, site)
			}
		}
	}
}

// TestRateDecaysToTheFloor counts guarded allocations at one hot site. The
// bounds are about ten standard deviations wide: the draws are random.
func TestRateDecaysToTheFloor(t *testing.T) {
	s := New(Policy{First: 16, Floor: 100})
	count := func(n int) int {
		g := 0
		for range n {
			if s.Guard(7) {
				g++
			}
		}
		return g
	}
	// The first 1600 allocations: 16 + 16*ln(100) ≈ 90 expected.
	if g := count(1600); g < 50 || g > 140 {
		t.Errorf("%d of the first 1600 allocations guarded, want about 90", g)
	}
	// Past 1600 the rate is the floor, 1 in 100: 1000 expected of 100000.
	if g := count(100000); g < 700 || g > 1300 {
		t.Errorf("%d of 100000 hot allocations guarded, want about 1000", g)
	}
	// Another site still starts fully guarded.
	if !s.Guard(8) {
		t.Error("a new site's first allocation was not guarded")
	}
}

func TestFloorZeroAndOne(t *testing.T) {
	off, all := New(Policy{First: 16, Floor: 0}), New(Policy{First: 16, Floor: 1})
	for i := range 1000 {
		if off.Guard(uint64(i % 3)) {
			t.Fatal("Floor 0 guarded an allocation")
		}
		if !all.Guard(uint64(i % 3)) {
			t.Fatal("Floor 1 left an allocation unguarded")
		}
	}
}

// TestFullTableFallsToTheFloor fills the table and checks that further
// sites still get the floor rate rather than none or all.
func TestFullTableFallsToTheFloor(t *testing.T) {
	s := New(Policy{First: 1, Floor: 10})
	for k := uint64(1); k <= 1<<siteBits; k++ {
		s.Guard(k)
	}
	g := 0
	for k := uint64(1 << 20); k < 1<<20+20000; k++ {
		if s.Guard(k) {
			g++
		}
	}
	if s.Overflowed.Load() == 0 {
		t.Fatal("the table never overflowed; the test proves nothing")
	}
	if g < 1000 || g > 19000 {
		t.Errorf("%d of 20000 guarded past a full table", g)
	}
}

// TestFloorCatchesAnEveryTimeBugWithinOneAndAHalfFloors: past the decay,
// a bug at every allocation of a site meets a guarded allocation within
// 3*Floor/2 allocations, wherever it starts.
func TestFloorCatchesAnEveryTimeBugWithinOneAndAHalfFloors(t *testing.T) {
	s := New(Policy{First: 16, Floor: 100})
	for range 100000 {
		s.Guard(9)
	}
	longest, run, total, guarded := 0, 0, 0, 0
	for range 200000 {
		if s.Guard(9) {
			longest = max(longest, run)
			total += run + 1
			guarded++
			run = 0
			continue
		}
		run++
	}
	if longest >= 150 {
		t.Errorf("%d allocations in a row went unguarded at the floor; want fewer than 150", longest)
	}
	if mean := total / guarded; mean < 90 || mean > 110 {
		t.Errorf("one allocation in %d guarded at the floor, want about 100", mean)
	}
}
