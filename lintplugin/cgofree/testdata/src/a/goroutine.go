package a

/*
#include <stdlib.h>
static void work(void *p) {}
*/
import "C"

import (
	"sync"
	"unsafe"
)

// A goroutine that may use C memory after the function frees it.

func deferredFreeRacesGoroutine() {
	p := C.malloc(16)
	defer C.free(p)
	go func() { // want `cgofree: goroutine gets p, which is freed by C\.free when the function returns, and nothing waits for the goroutine`
		C.work(p)
	}()
}

func freeAfterGoRaces() {
	p := C.malloc(16)
	go C.work(p) // want `cgofree: goroutine gets p, which is freed by C\.free after the go statement, and nothing waits for the goroutine`
	C.free(p)
}

func waitsBeforeFree() {
	p := C.malloc(16)
	defer C.free(p)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		C.work(p)
	}()
	wg.Wait()
}

func receivesBeforeFree() {
	p := C.malloc(16)
	done := make(chan bool)
	go func() {
		C.work(p)
		done <- true
	}()
	<-done
	C.free(unsafe.Pointer(p))
}

func goroutineFrees() {
	p := C.malloc(16)
	go func() {
		C.work(p)
		C.free(p)
	}()
}

// One defect, one finding: a helper that defers the free of several
// strings it stores in a struct the caller keeps.
type opts struct{ name, path, mode *C.char }

func fillOpts(o *opts, name, path, mode string) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname)) // want `cgofree: cname freed by the deferred C\.free when the function returns, but it is stored where it outlives the call \(and so are cpath, cmode, freed the same way\)`
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	cmode := C.CString(mode)
	defer C.free(unsafe.Pointer(cmode))
	o.name, o.path, o.mode = cname, cpath, cmode
}
