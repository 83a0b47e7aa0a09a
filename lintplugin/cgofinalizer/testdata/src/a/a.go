// Package a holds the cases the default scope ("risk") reports, each with
// a silent near-miss beside it. testdata/strict holds the letter-of-the-
// rule cases (setters, one-call accessors) that only scope "all" reports.
package a

/*
#include <stdlib.h>
#include <string.h>
typedef struct { char name[16]; char data[64]; int level; } zctx;
static zctx *z_new(void) { return calloc(1, sizeof(zctx)); }
static void z_free(zctx *z) { free(z); }
static int z_compress(zctx *z, void *dst, size_t dn, void *src, size_t sn) { memcpy(dst, src, dn < sn ? dn : sn); return (int)dn; }
static char *z_name(zctx *z) { return z->name; }
static char *z_data(zctx *z) { return z->data; }
static int z_len(char *p) { return 4; }
static int z_level(zctx *z) { return z->level; }
static int z_set_level(zctx *z, int l) { z->level = l; return 0; }
static char *z_dup_name(zctx *z) { return strdup(z->name); }
*/
import "C"

import (
	"errors"
	"runtime"
	"unsafe"
)

// Codec is released only by its finalizer (no Close): any method may be a
// caller's last use of it.
type Codec struct {
	ctx *C.zctx
	n   int
}

func NewCodec() *Codec {
	z := &Codec{ctx: C.z_new()}
	runtime.SetFinalizer(z, func(z *Codec) { C.z_free(z.ctx) })
	return z
}

// Flagged: a call that processes the caller's buffers, the object's last
// use (DataDog/zstd's Compress, whose race crashed under GC pressure).
func (z *Codec) Compress(dst, src []byte) int {
	return int(C.z_compress(z.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src)))) // want `cgofinalizer: the finalizer set in NewCodec releases z\.ctx with C\.z_free; \(\*Codec\)\.Compress passes z\.ctx to C\.z_compress and does not use z after the call, so the finalizer can run while C still uses the memory; add runtime\.KeepAlive\(z\) after the call`
}

// Silent: kept alive past the call.
func (z *Codec) CompressKept(dst, src []byte) int {
	n := C.z_compress(z.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src)))
	runtime.KeepAlive(z)
	return int(n)
}

// Flagged once: two calls on two branches are one defect; the fix keeps z
// alive after the if statement, past both.
func (z *Codec) CompressMaybeEmpty(dst, src []byte) int {
	var n C.int
	if len(src) == 0 {
		n = C.z_compress(z.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), nil, 0) // want `cgofinalizer: .*\(\*Codec\)\.CompressMaybeEmpty passes z\.ctx to C\.z_compress and does not use z after the call`
	} else {
		n = C.z_compress(z.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src)))
	}
	return int(n)
}

// Flagged: C returns a pointer into the object's memory, used after the
// object's last use; a KeepAlive right after the first call would not
// protect the second, so the fix goes after the last use of p.
func (z *Codec) Data() []byte {
	p := C.z_data(z.ctx) // want `cgofinalizer: .*\(\*Codec\)\.Data passes z\.ctx to C\.z_data and uses what it returns after its last use of z, so the finalizer can free the memory that pointer points into while it is in use; add runtime\.KeepAlive\(z\) after the last use of what C\.z_data returned`
	n := C.z_len(p)
	b := C.GoBytes(unsafe.Pointer(p), n)
	return b
}

// Flagged: the KeepAlive is there, but before the use of p.
func (z *Codec) DataEarlyKeepAlive() []byte {
	p := C.z_data(z.ctx) // want `cgofinalizer: .*DataEarlyKeepAlive passes z\.ctx to C\.z_data and uses what it returns after its last use of z`
	runtime.KeepAlive(z)
	b := C.GoBytes(unsafe.Pointer(p), C.z_len(p))
	return b
}

// Silent: kept alive past the last use of p.
func (z *Codec) DataKept() []byte {
	p := C.z_data(z.ctx)
	b := C.GoBytes(unsafe.Pointer(p), C.z_len(p))
	runtime.KeepAlive(z)
	return b
}

// Flagged: the copy of the name C returned reads the object's memory
// after its last use (C.GoString allocates, and may run the collector).
func (z *Codec) NameString() string {
	return C.GoString(C.z_name(z.ctx)) // want `cgofinalizer: .*NameString passes z\.ctx to C\.z_name and uses what it returns after its last use of z`
}

// Silent: the name C returned is fresh memory this function frees.
func (z *Codec) NameCopy() string {
	p := C.z_dup_name(z.ctx)
	defer C.free(unsafe.Pointer(p))
	s := C.GoString(p)
	runtime.KeepAlive(z)
	return s
}

// Label wraps a name C keeps in a Codec's memory.
type Label struct{ p *C.char }

// Flagged: the result holds a pointer into z's memory and does not keep z
// alive; no KeepAlive in Name helps, so there is no fix.
func (z *Codec) Name() *Label {
	return &Label{p: C.z_name(z.ctx)} // want `cgofinalizer: .*\(\*Codec\)\.Name returns the pointer C\.z_name returned for z\.ctx \(memory the object may own\), and nothing in the result keeps z alive, so the finalizer can free that memory while the caller still uses it; keep z reachable from the result, or copy the memory`
}

// OwnedLabel keeps its Codec alive.
type OwnedLabel struct {
	p     *C.char
	owner *Codec
}

// Silent: the result holds z.
func (z *Codec) OwnedName() *OwnedLabel {
	return &OwnedLabel{p: C.z_name(z.ctx), owner: z}
}

// Silent: the result owns a copy, released by its own finalizer.
func (z *Codec) NameDup() *Label {
	l := &Label{p: C.z_dup_name(z.ctx)}
	runtime.SetFinalizer(l, func(l *Label) { C.free(unsafe.Pointer(l.p)) })
	runtime.KeepAlive(z)
	return l
}

// Buf holds C memory its cleanup frees.
type Buf struct {
	data *C.char
	n    int
}

func NewBuf(n int) *Buf {
	b := &Buf{data: (*C.char)(C.malloc(C.size_t(n))), n: n}
	runtime.AddCleanup(b, func(p *C.char) { C.free(unsafe.Pointer(p)) }, b.data)
	return b
}

// Flagged: a slice over b's C memory outlives b.
func (b *Buf) Bytes() []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(b.data)), b.n) // want `cgofinalizer: the cleanup added in NewBuf frees b\.data; \(\*Buf\)\.Bytes returns a view of b\.data, and nothing in the result keeps b alive, so the cleanup can free that memory while the caller still uses it; keep b reachable from the result, or copy the memory`
}

// Silent: a copy.
func (b *Buf) Copy() []byte {
	out := C.GoBytes(unsafe.Pointer(b.data), C.int(b.n))
	runtime.KeepAlive(b)
	return out
}

// Flagged: the goroutine holds the C pointer, not z, and Start does not
// wait for it.
func (z *Codec) Start(dst, src []byte, done chan<- int) {
	ctx := z.ctx
	go func() {
		done <- int(C.z_compress(ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src)))) // want `cgofinalizer: .*a goroutine \(\*Codec\)\.Start starts passes z\.ctx to C\.z_compress and does not keep z alive \(\(\*Codec\)\.Start does not wait for it\), so the finalizer can run while C still uses the memory; add runtime\.KeepAlive\(z\) after the call in the goroutine`
	}()
}

// Silent: the goroutine keeps z alive past the call.
func (z *Codec) StartKept(dst, src []byte, done chan<- int) {
	go func() {
		n := C.z_compress(z.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src)))
		runtime.KeepAlive(z)
		done <- int(n)
	}()
}

// Holders: a struct or slice holding the object keeps it alive while the
// function uses the holder.

type job struct {
	z   *Codec
	dst []byte
}

// Flagged: the holder is not used after the call either.
func (z *Codec) Job(dst, src []byte) int {
	j := &job{z: z, dst: dst}
	return int(C.z_compress(z.ctx, unsafe.Pointer(&j.dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src)))) // want `cgofinalizer: .*\(\*Codec\)\.Job passes z\.ctx to C\.z_compress and does not use z after the call`
}

// Silent: the holder is kept alive right after the call.
func (z *Codec) JobKept(dst, src []byte) int {
	j := &job{z: z, dst: dst}
	n := C.z_compress(z.ctx, unsafe.Pointer(&j.dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src)))
	runtime.KeepAlive(j)
	return int(n)
}

// Silent: a slice holding the object, kept alive after the calls.
func CompressAll(zs []*Codec, dst, src []byte) {
	for i := range zs {
		C.z_compress(zs[i].ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src)))
	}
	runtime.KeepAlive(zs)
}

// Silent: a slice literal holding the object, kept alive after the call.
func (z *Codec) Batch(dst, src []byte) {
	batch := []*Codec{z}
	C.z_compress(z.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src)))
	runtime.KeepAlive(batch)
}

// Silent under the default scope (testdata/strict flags their like):

// A setter: its effect is seen only through z.
func (z *Codec) SetLevel(l int) error {
	if C.z_set_level(z.ctx, C.int(l)) != 0 {
		return errors.New("level")
	}
	return nil
}

// A one-call accessor.
func (z *Codec) Level() int { return int(C.z_level(z.ctx)) }

// An unexported helper nothing calls.
func (z *Codec) compressTo(dst, src []byte) int {
	return int(C.z_compress(z.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src))))
}

// Stream has an exported Close that releases the memory: a correct caller
// calls it after its last use.
type Stream struct{ ctx *C.zctx }

func NewStream() *Stream {
	s := &Stream{ctx: C.z_new()}
	runtime.SetFinalizer(s, (*Stream).Close)
	return s
}

func (s *Stream) Close() {
	runtime.SetFinalizer(s, nil)
	C.z_free(s.ctx)
}

func (s *Stream) Write(dst, src []byte) int {
	return int(C.z_compress(s.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src))))
}

// Registered objects are saved in a package-level registry by their
// constructor (as go-openssl's Ctx is, through mattn/go-pointer): the
// registry keeps them reachable, so the finalizer cannot run during a call
// in any scope.
type Registered struct{ ctx *C.zctx }

var registry = map[uintptr]any{}

func save(v any) uintptr { // want save:"keeps\\[0\\]"
	k := uintptr(len(registry) + 1)
	registry[k] = v
	return k
}

func NewRegistered() *Registered {
	r := &Registered{ctx: C.z_new()}
	save(r)
	runtime.SetFinalizer(r, func(r *Registered) { C.z_free(r.ctx) })
	return r
}

func (r *Registered) Compress(dst, src []byte) int {
	return int(C.z_compress(r.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)), unsafe.Pointer(&src[0]), C.size_t(len(src))))
}
