package a

/*
#include <stdlib.h>
typedef struct db db; // opaque: cgo checks the pointer, in a closure
static int db_close(db *d) { free(d); return 0; }
static int db_errcode(db *d) { return 0; }
static int db_query(db *d) { return 0; }
*/
import "C"

import (
	"errors"
	"runtime"
)

// DB's finalizer is its Close method, which looks up the error of a failed
// close through a wrapper: the release to name is db_close, the first C
// call that gets the field, not the later error lookup.
type DB struct{ d *C.db }

func OpenDB() *DB {
	x := &DB{d: (*C.db)(C.calloc(1, 8))}
	runtime.SetFinalizer(x, (*DB).Close)
	return x
}

func (x *DB) Close() error {
	if C.db_close(x.d) != 0 {
		return dbError(x.d)
	}
	return nil
}

func dbError(d *C.db) error {
	if C.db_errcode(d) != 0 {
		return errors.New("db")
	}
	return nil
}

func (x *DB) Query() int {
	return int(C.db_query(x.d)) // want `cgofinalizer: the finalizer set in OpenDB releases x\.d with C\.db_close; \(\*DB\)\.Query passes x\.d to C\.db_query and does not use x after the call, so the finalizer can run while C still uses the memory; add runtime\.KeepAlive\(x\) after the call`
}
