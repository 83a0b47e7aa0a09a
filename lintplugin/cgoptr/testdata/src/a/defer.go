package a

/*
typedef struct { int *p; } dholder;
static void takeD(dholder *h) {}
static void takeCharPP(char **p) {}
*/
import "C"

// Deferred calls: checked against what the memory holds when the call
// runs (at return), not when it is deferred.

func deferredThenStored() {
	h := &C.dholder{}
	defer C.takeD(h) // want `cgoptr: &C.dholder\{.*\} passed to the deferred C.takeD points to Go memory that holds the Go pointer new\(C.int\) by the time the deferred call runs \(at .p\)`
	h.p = new(C.int)
}

func deferredThenCleared() {
	h := &C.dholder{p: new(C.int)}
	defer C.takeD(h)
	h.p = nil
}

type inner struct{ s []*C.char }
type outer struct{ in *inner }

func deferredArgumentEvaluatedEarly() {
	o := &outer{&inner{[]*C.char{nil}}}
	defer C.takeCharPP(&o.in.s[0]) // the slice is found when the defer runs; its elements are nil
	o.in = nil
}

func deferredWrapper() {
	h := &C.dholder{}
	defer viaD(h) // want `cgoptr: &C.dholder\{.*\} passed to the deferred C.takeD via parameter h of viaD\(\) points to Go memory that holds the Go pointer new\(C.int\) by the time the deferred call runs`
	h.p = new(C.int)
}

func viaD(h *C.dholder) { C.takeD(h) }
