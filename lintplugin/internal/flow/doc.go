// Package flow is cgoguard's one value-flow layer: it traces a value back
// to where it comes from (Roots: through conversions, unsafe views,
// interfaces, phis, local and captured variables, and cgo's wrapper
// closures), tells what a variable holds at an instruction (Contents), and
// walks the instructions that may run before one (WalkBack), following
// closures into the functions that run them. Every check and the rest of
// the engine use it; nothing else looks through conversions or closures.
package flow
