package a

/*
#include <pthread.h>

extern void onTick(int);

static void *ticker(void *arg) { onTick(1); return NULL; }
static void start_ticker(void) {
	pthread_t t;
	pthread_create(&t, NULL, ticker, NULL);
}
*/
import "C"

var ticks = map[int]int{}

//export onTick
func onTick(n C.int) {
	ticks[int(n)]++ // want `cgocallback: exported onTick runs on a thread C starts \(C\.start_ticker starts it\), concurrently with other callers, and writes package-level map ticks without holding a write lock`
}

func startTicker() { C.start_ticker() }
