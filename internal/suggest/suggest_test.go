package suggest

import "testing"

func TestClosest(t *testing.T) {
	t.Parallel()
	keys := []string{"enable", "disable"}
	checks := []string{"cgomap", "cgoptr", "cgofree", "cgofinalizer", "cgohandle"}
	for _, tc := range []struct {
		word  string
		cands []string
		want  string
	}{
		{"disabled", keys, "disable"},
		{"Disable", keys, "disable"},
		{"enabel", keys, "enable"},
		{"exclude", keys, ""}, // nothing plausible
		{"cgofre", checks, "cgofree"},
		{"CGOMAP", checks, "cgomap"},
		{"cgofinaliser", checks, "cgofinalizer"},
		{"x", checks, ""},
		{"cgonope", checks, ""},
		{"", checks, ""},
	} {
		if got := Closest(tc.word, tc.cands); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	t.Parallel()
	keys := []string{"enable", "disable"}
	if got, want := DidYouMean("disabled", "keys", keys), ` (did you mean "disable"? valid keys: enable, disable)`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := DidYouMean("zzz", "keys", keys), ` (valid keys: enable, disable)`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "ab", 2}, {"kitten", "sitting", 3}, {"cgofree", "cgofree", 0},
	} {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
