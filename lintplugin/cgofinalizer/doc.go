package cgofinalizer

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `z := &Codec{ctx: C.z_new()}
runtime.SetFinalizer(z, func(z *Codec) { C.z_free(z.ctx) })
...
func (z *Codec) Compress(dst, src []byte) int {
	// z is dead once its field is read: the finalizer may free z.ctx mid-call
	return int(C.z_compress(z.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)),
		unsafe.Pointer(&src[0]), C.size_t(len(src))))
}`

	Good = `func (z *Codec) Compress(dst, src []byte) int {
	defer runtime.KeepAlive(z) // z, and so z.ctx, outlives the C call
	return int(C.z_compress(z.ctx, unsafe.Pointer(&dst[0]), C.size_t(len(dst)),
		unsafe.Pointer(&src[0]), C.size_t(len(src))))
}`
)
