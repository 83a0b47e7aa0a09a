package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
)

// versionFlag is -version and -V. -V=full follows the protocol go vet
// relies on to cache results per tool: "NAME version devel ... buildID=HASH",
// the hash being the executable's, so that a rebuilt tool invalidates the
// cache even when its version string is unchanged (go vet then keys its
// cache on buildID, as it does for any version containing "devel").
type versionFlag struct{ short bool }

func (versionFlag) IsBoolFlag() bool { return true }
func (versionFlag) Get() any         { return nil }
func (versionFlag) String() string   { return "" }

func (v versionFlag) Set(s string) error {
	info, _ := debug.ReadBuildInfo()
	switch {
	case v.short || s == "true":
		fmt.Println(describeVersion(info))
	case s == "full":
		id, err := executableHash()
		if err != nil {
			return err
		}
		// go vet requires "devel" in the third field for a build ID to be used.
		fmt.Printf("%s version devel %s buildID=%s\n", os.Args[0], compactVersion(info), id)
	default:
		return fmt.Errorf("unsupported value %q (use -V or -V=full)", s)
	}
	os.Exit(0)
	return nil
}

// describeVersion says which cgoguard this is: the module version (a tag
// with `go install ...@v0.1.0`, a pseudo-version or "(devel)" when built
// from a checkout), the commit when the build recorded one, and the Go
// version it was built with.
func describeVersion(info *debug.BuildInfo) string {
	if info == nil {
		return "cgoguard (unknown version: no build information)"
	}
	version := info.Main.Version
	if version == "" || version == "(devel)" {
		version = "(devel)"
	}
	var rev, when, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	out := "cgoguard " + version
	if rev != "" {
		out += " commit " + rev[:min(len(rev), 12)]
		if modified == "true" {
			out += "+modified"
		}
		if when != "" {
			out += " " + when
		}
	} else if version == "(devel)" {
		out += " commit unknown (built without version control information)"
	}
	return out + " " + info.GoVersion
}

// compactVersion is describeVersion in one word: version[-commit][+modified].
func compactVersion(info *debug.BuildInfo) string {
	if info == nil {
		return "unknown"
	}
	out := strings.Trim(info.Main.Version, "()")
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision":
			out += "-" + s.Value[:min(len(s.Value), 12)]
		case s.Key == "vcs.modified" && s.Value == "true":
			out += "+modified"
		}
	}
	return out
}

func executableHash() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", sha256.Sum256(data)), nil
}
