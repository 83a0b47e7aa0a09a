package guard

// Enabled reports whether this is a debug build (-tags cgoguard), in which
// the guard records and checks every pin, handle and C allocation.
func Enabled() bool { return enabled }
