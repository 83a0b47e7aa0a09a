package a

/*
typedef struct { int *p; } gholder;
static void takeGH(gholder *h) {}
*/
import "C"

var defaultHolder = C.gholder{p: new(C.int)}

var emptyHolder C.gholder

func passGlobal() {
	C.takeGH(&defaultHolder) // want `cgoptr: &defaultHolder passed to C.takeGH points to Go memory that holds the Go pointer new\(C.int\) \(at .p\)`
}

func passGlobalCleared() {
	defaultHolder.p = nil
	C.takeGH(&defaultHolder)
}

func passGlobalEmpty() {
	C.takeGH(&emptyHolder)
}

func passGlobalAfterCall() {
	touch()
	C.takeGH(&defaultHolder) // touch may have changed it: silent
}

func touch() { defaultHolder.p = nil }

func deferGlobal() {
	defer C.takeGH(&emptyHolder) // want `cgoptr: &emptyHolder passed to the deferred C.takeGH points to Go memory that holds the Go pointer new\(C.int\) by the time the deferred call runs \(at .p\)`
	emptyHolder.p = new(C.int)
}
