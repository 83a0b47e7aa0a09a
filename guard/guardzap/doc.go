// Package guardzap sends the guard's reports to a zap logger of the
// program's choosing.
//
// It is a package of its own so that the guard package itself never imports
// zap: release builds of programs that use the guard link no zap, while a
// program that calls SetLogger already links zap for its own logger, so this
// package costs it nothing. In release builds SetLogger does nothing, since
// nothing is reported.
package guardzap
