package guardzap

import "go.uber.org/zap"

// SetLogger sends violation and leak reports to l's core from now on,
// instead of the destination chosen by CGOGUARD_LOG; nil restores that
// destination. Reports are logged at error level with structured fields.
//
// Faults caught by the guard-page signal handler still go to CGOGUARD_LOG's
// destination: a signal handler cannot call into a zap core.
func SetLogger(l *zap.Logger) { setLogger(l) }
