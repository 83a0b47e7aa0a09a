package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseDefaults(t *testing.T) {
	c, err := Parse(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Panic: true, Log: LogConsole, Sample: DefaultSample, First: DefaultFirst, GuardBytes: DefaultGuardBytes, Quarantine: DefaultQuarantine}
	if c != want {
		t.Errorf("Parse() = %+v, want %+v", c, want)
	}
}

func TestParseValues(t *testing.T) {
	c, err := Parse(env(map[string]string{
		EnvOnViolation: "log", EnvLog: "/tmp/x.json", EnvSample: "1", EnvQuarantine: "0", EnvFirst: "2", EnvGuardBytes: "4096",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Panic: false, Log: "/tmp/x.json", Sample: 1, First: 2, GuardBytes: 4096, Quarantine: 0}
	if c != want {
		t.Errorf("Parse() = %+v, want %+v", c, want)
	}
}

func TestParseMalformed(t *testing.T) {
	for _, tc := range []struct{ name, value, accepted string }{
		{EnvOnViolation, "crash", `"panic"`},
		{EnvSample, "-3", "whole number N"},
		{EnvSample, "ten", "1 = all"},
		{EnvQuarantine, "64MB", "bytes"},
		{EnvFirst, "some", "always put on guard pages"},
		{EnvGuardBytes, "1G", "guard-page buffers"},
		{EnvLog, "JSON", `"json"`},
		{EnvLog, "jsonn", `"console"`},
		{EnvLog, "guard.json", `contain a "/"`},
		{EnvLog, "file:", `"file:"`},
	} {
		_, err := Parse(env(map[string]string{tc.name: tc.value}))
		if err == nil {
			t.Errorf("%s=%s: no error", tc.name, tc.value)
			continue
		}
		for _, want := range []string{tc.name, tc.value, "accepted values", tc.accepted} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s=%s: error %q does not mention %q", tc.name, tc.value, err, want)
			}
		}
	}
}

func TestParseLogPaths(t *testing.T) {
	for in, want := range map[string]string{
		"console": LogConsole, "json": LogJSON, "./guard.json": "./guard.json",
		"/var/log/guard.json": "/var/log/guard.json", "file:guard.json": "guard.json",
	} {
		c, err := Parse(env(map[string]string{EnvLog: in}))
		if err != nil || c.Log != want {
			t.Errorf("CGOGUARD_LOG=%s: Log %q, err %v; want %q", in, c.Log, err, want)
		}
	}
}
