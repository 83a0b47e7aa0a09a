package directives

/*
#include <stdlib.h>
static void use(void *p) {}
static void take(void *p) {}
static void take2(void *a, void *b) {}
*/
import "C"

import "unsafe"

// Every function below but clean has a use after free that cgofree
// reports; the directives decide what is left.

func reported() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) // want "^cgofree: "
}

func sameLine() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) //cgoguard:ignore cgofree C.use ignores its argument in this test
}

func lineAbove() {
	p := C.malloc(16)
	C.free(p)
	//cgoguard:ignore cgofree C.use ignores its argument in this test
	C.use(p)
}

// A directive after code covers its own line only.
func trailingDoesNotCoverNext() {
	p := C.malloc(16)
	C.free(p) //cgoguard:ignore cgofree misplaced // want "^cgofree: //cgoguard:ignore suppresses no cgofree finding: remove it, or cgofree from its list$"
	C.use(p)  // want "^cgofree: "
}

// A directive alone on its line covers the next line only.
func twoLinesDown() {
	p := C.malloc(16)
	C.free(p)
	//cgoguard:ignore cgofree too far from the use // want "^cgofree: //cgoguard:ignore suppresses no cgofree finding"

	C.use(p) // want "^cgofree: "
}

// Another check's directive does not silence cgofree; that check, which
// ran and found nothing here, reports its directive stale.
func otherCheck() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) //cgoguard:ignore cgomap wrong check // want "^cgofree: " "^cgomap: //cgoguard:ignore suppresses no cgomap finding"
}

// One directive for two checks is judged per check.
func twoChecks() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) //cgoguard:ignore cgofree,cgomap one of them is stale // want "^cgomap: //cgoguard:ignore suppresses no cgomap finding"
}

func bothUsed(m map[string]int) {
	p := C.malloc(16)
	C.free(p)
	//cgoguard:ignore cgofree,cgomap both findings are on the next line
	C.take2(unsafe.Pointer(&m), p)
}

// A check that did not run (cgohandle is not in the suite under test)
// does not judge its directives.
func notRun() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) //cgoguard:ignore cgohandle,cgofree cgohandle is off in this test
}

// A malformed directive suppresses nothing; the cgoguard analyzer says
// why.
func noReason() {
	p := C.malloc(16)
	C.free(p)
	// want +1 "^cgofree: " `^cgoguard: //cgoguard:ignore cgofree needs a reason after the check names: //cgoguard:ignore CHECK\[,CHECK\] reason$`
	C.use(p) //cgoguard:ignore cgofree
}

func noChecks() {
	p := C.malloc(16)
	C.free(p)
	// want +1 "^cgofree: " `^cgoguard: //cgoguard:ignore needs the checks it silences and a reason`
	C.use(p) //cgoguard:ignore
}

func emptyName() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) //cgoguard:ignore cgofree, reason // want "^cgofree: " `^cgoguard: //cgoguard:ignore cgofree,: empty check name in the list`
}

func unknownDirective() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) //cgoguard:ignroe cgofree reason // want "^cgofree: " `^cgoguard: unknown directive //cgoguard:ignroe \(did you mean "ignore"\? valid directives: ignore, file-ignore\)$`
}

// An unknown name in the list is reported; the names that are known
// still work.
func unknownCheck() {
	p := C.malloc(16)
	C.free(p)
	C.use(p) //cgoguard:ignore cgofre,cgofree reason // want `^cgoguard: //cgoguard:ignore: unknown check "cgofre" \(did you mean "cgofree"\? valid checks: cgomap, .*cgoheader\)$`
}

// Only //cgoguard: directives count: prose that mentions one, or a
// directive with a space after the slashes, is a comment.
func notDirectives() {
	p := C.malloc(16)
	C.free(p)
	// Write //cgoguard:ignore cgofree reason to silence the finding below.
	C.use(p) // cgoguard:ignore cgofree reason // want "^cgofree: "
}

// A directive with nothing to suppress is stale.
func clean() {
	p := C.malloc(16)
	//cgoguard:ignore cgofree nothing is wrong here // want "^cgofree: //cgoguard:ignore suppresses no cgofree finding"
	C.free(p)
}
