package main

import (
	"runtime/debug"
	"slices"
	"testing"

	"github.com/cgoguard/cgoguard/lintplugin"
)

func TestPrepareArgs(t *testing.T) {
	t.Parallel()
	as := lintplugin.Analyzers()
	for _, tc := range []struct {
		args, want       []string
		goflags, wantEnv string
	}{
		{[]string{"./..."}, []string{"./..."}, "", ""},
		{[]string{"-tags", "a,b", "./..."}, []string{"./..."}, "", "-tags=a,b"},
		{[]string{"-tags=a b", "./..."}, []string{"./..."}, "-mod=mod", "-mod=mod -tags=a,b"},
		{[]string{"--tags", "x", "-json", "./..."}, []string{"-json", "./..."}, "", "-tags=x"},
		// Choosing checks keeps the cgoguard analyzer on ...
		{[]string{"-cgofree", "./..."}, []string{"-cgoguard", "-cgofree", "./..."}, "", ""},
		{[]string{"-cgofree=true", "-cgomap=1", "./..."}, []string{"-cgoguard", "-cgofree=true", "-cgomap=1", "./..."}, "", ""},
		// ... unless it is named; turning checks off does not choose.
		{[]string{"-cgofree", "-cgoguard=false", "./..."}, []string{"-cgofree", "-cgoguard=false", "./..."}, "", ""},
		{[]string{"-cgofree=false", "./..."}, []string{"-cgofree=false", "./..."}, "", ""},
		// After --, nothing is a flag.
		{[]string{"--", "-tags"}, []string{"--", "-tags"}, "", ""},
	} {
		got, env, err := prepareArgs(tc.args, as, tc.goflags)
		if err != nil || !slices.Equal(got, tc.want) || env != tc.wantEnv {
			t.Errorf("prepareArgs(%q, GOFLAGS=%q) = %q, GOFLAGS=%q, %v; want %q, GOFLAGS=%q",
				tc.args, tc.goflags, got, env, err, tc.want, tc.wantEnv)
		}
	}
	if _, _, err := prepareArgs([]string{"-tags"}, as, ""); err == nil {
		t.Error("-tags without a value: no error")
	}
}

func TestDescribeVersion(t *testing.T) {
	t.Parallel()
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"}}
	for _, tc := range []struct {
		info          *debug.BuildInfo
		want, compact string
	}{
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.1.0"}},
			"cgoguard v0.1.0 go1.26.0", "v0.1.0"},
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			"cgoguard (devel) commit 0123456789ab+modified 2026-01-02T03:04:05Z go1.26.0", "devel-0123456789ab+modified"},
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}},
			"cgoguard (devel) commit unknown (built without version control information) go1.26.0", "devel"},
		{nil, "cgoguard (unknown version: no build information)", "unknown"},
	} {
		if got := describeVersion(tc.info); got != tc.want {
			t.Errorf("describeVersion = %q, want %q", got, tc.want)
		}
		if got := compactVersion(tc.info); got != tc.compact {
			t.Errorf("compactVersion = %q, want %q", got, tc.compact)
		}
	}
}
