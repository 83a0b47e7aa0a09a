package bridge

import "testing"

// TestPaths checks how store paths relate to the paths a query asks about:
// covers is "may reach" (an unknown index may be any), surely is "certainly
// overwrites", which only constant paths can.
func TestPaths(t *testing.T) {
	f := func(i int) Step { return Step{Field: i} }
	e := func(i int64) Step { return Step{Field: -1, Index: i} }
	any := e(-1)
	for _, tc := range []struct {
		p, q           Path
		covers, surely bool
	}{
		{Path{}, Path{f(1)}, true, true},
		{Path{f(1)}, Path{f(1)}, true, true},
		{Path{f(1)}, Path{f(2)}, false, false},
		{Path{f(1), e(0)}, Path{f(1), e(0), f(3)}, true, true},
		{Path{f(1), e(0)}, Path{f(1), e(1)}, false, false},
		{Path{f(1), any}, Path{f(1), e(1)}, true, false},
		{Path{f(1), e(1)}, Path{f(1), any}, true, false},
		{Path{f(1), e(0), f(2)}, Path{f(1), e(0)}, false, false},
	} {
		if got := tc.p.covers(tc.q); got != tc.covers {
			t.Errorf("%v covers %v = %v, want %v", tc.p, tc.q, got, tc.covers)
		}
		if got := tc.p.surely(tc.q); got != tc.surely {
			t.Errorf("%v surely %v = %v, want %v", tc.p, tc.q, got, tc.surely)
		}
	}
}
