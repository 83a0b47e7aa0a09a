//go:build cgo

// Package ctest gives the guard's tests C code to misuse memory with: Go
// test files cannot import "C".
package ctest

/*
#cgo CFLAGS: -I${SRCDIR}/../..
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include "cguard.h"

static unsigned char read_byte(void *p, intptr_t off) { return ((volatile unsigned char *)p)[off]; }
static void write_byte(void *p, intptr_t off, unsigned char v) { ((volatile unsigned char *)p)[off] = v; }
static void free_from_c(void *p) { cguard_free(p); }
static size_t str_len(void *p) { return strlen(p); }
// C alone, on a thread C created: allocate, free, then read.
static void *uaf_thread(void *unused) {
	(void)unused;
	unsigned char *p = cguard_malloc(24);
	p[0] = 1;
	cguard_free(p);
	return (void *)(uintptr_t)read_byte(p, 0);
}
static int uaf_on_c_thread(void) {
	pthread_t t;
	if (pthread_create(&t, NULL, uaf_thread, NULL) != 0) {
		return -1;
	}
	return pthread_join(t, NULL);
}
static void *malloc_in_c(size_t n) { return cguard_malloc(n); }
static void *calloc_in_c(size_t n, size_t size) { return cguard_calloc(n, size); }

static void *free_thread(void *p) { cguard_free(p); return NULL; }

static void *read_thread(void *p) { read_byte(p, 0); return NULL; }
static int read_on_c_thread(void *p) {
	pthread_t t;
	if (pthread_create(&t, NULL, read_thread, p) != 0) {
		return -1;
	}
	return pthread_join(t, NULL);
}
static int free_on_c_thread(void *p) {
	pthread_t t;
	if (pthread_create(&t, NULL, free_thread, p) != 0) {
		return -1;
	}
	return pthread_join(t, NULL);
}
*/
import "C"

import "unsafe"

// ReadByte reads p[off] in C.
func ReadByte(p unsafe.Pointer, off int) byte { return byte(C.read_byte(p, C.intptr_t(off))) }

// WriteByte writes v to p[off] in C.
func WriteByte(p unsafe.Pointer, off int, v byte) { C.write_byte(p, C.intptr_t(off), C.uchar(v)) }

// Free frees p in C with cguard_free, on the calling thread.
func Free(p unsafe.Pointer) { C.free_from_c(p) }

// ReadOnCThread reads p[0] on a thread C created.
func ReadOnCThread(p unsafe.Pointer) {
	if C.read_on_c_thread(p) != 0 {
		panic("ctest: pthread_create failed")
	}
}

// FreeOnCThread frees p with cguard_free on a thread C created, which the
// Go runtime has never seen.
func FreeOnCThread(p unsafe.Pointer) {
	if C.free_on_c_thread(p) != 0 {
		panic("ctest: pthread_create failed")
	}
}

// Strlen is strlen(p) in C.
func Strlen(p unsafe.Pointer) int { return int(C.str_len(p)) }

// Malloc allocates n bytes in C with cguard_malloc.
func Malloc(n uintptr) unsafe.Pointer { return C.malloc_in_c(C.size_t(n)) }

// Calloc allocates n zeroed objects of size bytes in C with cguard_calloc.
func Calloc(n, size uintptr) unsafe.Pointer { return C.calloc_in_c(C.size_t(n), C.size_t(size)) }

// UseAfterFreeOnCThread allocates with cguard_malloc, frees with
// cguard_free and reads the freed buffer, all on a thread C created.
func UseAfterFreeOnCThread() {
	if C.uaf_on_c_thread() != 0 {
		panic("ctest: pthread_create failed")
	}
}
