// Package telemetry forwards metric labels to a C telemetry agent.
//
// It is cgoguard's demo: each function whose name ends in Unsafe carries a
// bug the linter reports, and the function after it is the corrected
// version, on which the linter is silent. The C agent keeps what it is
// given for retries, which is what makes handing it Go memory dangerous.
package telemetry

/*
#include <stdint.h>
#include <stdlib.h>

typedef struct {
	char **keys;
	char **values;
	int n;
} tm_labels;

static uint64_t tm_sent;
static void *tm_retry;      // the agent keeps the last batch for retries

void tm_send(void *batch) { tm_retry = batch; tm_sent++; }
void tm_send_labels(tm_labels *l) { tm_sent += (uint64_t)l->n; }
void tm_send_handle(uintptr_t h) { (void)h; tm_sent++; }
static uint64_t tm_count(void) { return tm_sent; }
*/
import "C"

import "unsafe"

// Sent reports how many labels the agent has accepted.
func Sent() uint64 { return uint64(C.tm_count()) }

// Agent batches labels for the C agent.
type Agent struct {
	pending map[string]string
}

// NewAgent returns an Agent with an empty batch.
func NewAgent() *Agent { return &Agent{pending: map[string]string{}} }

// Add queues one label.
func (a *Agent) Add(k, v string) { a.pending[k] = v }

// forward hands the agent an opaque batch pointer.
func (a *Agent) forward(batch unsafe.Pointer) { C.tm_send(batch) }

// FlushUnsafe hands C a pointer to the map through forward: C keeps it for
// retries while the Go runtime moves and frees the buckets.
func (a *Agent) FlushUnsafe() {
	a.forward(unsafe.Pointer(&a.pending))
}

// Flush copies the batch into C memory (see Send).
func (a *Agent) Flush() {
	Send(a.pending)
	clear(a.pending)
}
