package telemetry

/*
#include <stdlib.h>

// tm_set_host stands for the agent copying the host name it reports.
static int tm_set_host(const char *host) { return host[0] == 0 ? -1 : 0; }
static void tm_tag(const char *key) { (void)key; }
*/
import "C"

import (
	"errors"
	"unsafe"
)

var errEmptyHost = errors.New("telemetry: empty host")

// SetHostUnsafe frees the host name when the agent refuses it, but goes
// on: the name is used after C.free, then freed a second time.
func SetHostUnsafe(host string) error {
	cs := C.CString(host)
	var err error
	if C.tm_set_host(cs) != 0 {
		C.free(unsafe.Pointer(cs))
		err = errEmptyHost
	}
	C.tm_tag(cs)
	C.free(unsafe.Pointer(cs))
	return err
}

// SetHost frees the name once, after its last use, on every path.
func SetHost(host string) error {
	cs := C.CString(host)
	defer C.free(unsafe.Pointer(cs))
	if C.tm_set_host(cs) != 0 {
		return errEmptyHost
	}
	C.tm_tag(cs)
	return nil
}

// TagsUnsafe converts tags for the agent, but each deferred C.free runs
// when TagsUnsafe returns: the caller gets freed strings.
func TagsUnsafe(tags []string) []*C.char {
	out := make([]*C.char, 0, len(tags))
	for _, t := range tags {
		cs := C.CString(t)
		defer C.free(unsafe.Pointer(cs))
		out = append(out, cs)
	}
	return out
}

// Tags converts tags for the agent; the caller releases them with
// FreeTags once the agent is done with them.
func Tags(tags []string) []*C.char {
	out := make([]*C.char, 0, len(tags))
	for _, t := range tags {
		out = append(out, C.CString(t))
	}
	return out
}

// FreeTags releases what Tags returned.
func FreeTags(tags []*C.char) {
	for _, cs := range tags {
		C.free(unsafe.Pointer(cs))
	}
}

// TagHostUnsafe returns early when the agent refuses the name, without
// freeing it: every refused name leaks.
func TagHostUnsafe(host string) error {
	cs := C.CString(host)
	if C.tm_set_host(cs) != 0 {
		return errEmptyHost
	}
	C.tm_tag(cs)
	C.free(unsafe.Pointer(cs))
	return nil
}

// TagHost frees the name on every path.
func TagHost(host string) error {
	cs := C.CString(host)
	defer C.free(unsafe.Pointer(cs))
	if C.tm_set_host(cs) != 0 {
		return errEmptyHost
	}
	C.tm_tag(cs)
	return nil
}
