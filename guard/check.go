package guard

// Check returns nil, or an error listing every pin, handle and C allocation
// still held, each with the stack that created it. Debug builds also log
// each leak. Release builds keep no records and always return nil.
func Check() error { return check() }

// TestingT is the part of testing.TB that VerifyNone uses; *testing.T,
// *testing.B and *testing.F satisfy it. Taking this instead of testing.TB
// keeps the testing package out of programs that import guard.
type TestingT interface {
	Helper()
	Error(args ...any)
}

// VerifyNone fails t if Check finds leaks, in the style of
// goleak.VerifyNone. Call it at the end of a test, or defer it.
func VerifyNone(t TestingT) {
	t.Helper()
	if err := Check(); err != nil {
		t.Error(err)
	}
}
