package a

/*
#include <stdint.h>
*/
import "C"

import (
	"maps"
	"sync"
)

var (
	mu     sync.Mutex
	labels = map[string]string{}
	counts = map[int]int{}

	state struct {
		sync.RWMutex
		byID map[int]string
	}

	cache sync.Map

	reg = &registry{m: map[int]int{}}
)

type registry struct {
	mu sync.Mutex
	m  map[int]int
}

// Flagged.

//export setLabel
func setLabel(k, v *C.char) {
	labels[C.GoString(k)] = C.GoString(v) // want `cgocallback: exported setLabel may run on several C threads at once, and writes package-level map labels without holding a write lock: concurrent map writes crash the program; hold a sync.Mutex around the write \(mu.Lock\(\); defer mu.Unlock\(\)\) or use sync.Map`
}

//export dropLabel
func dropLabel(k *C.char) {
	delete(labels, C.GoString(k)) // want `cgocallback: exported dropLabel .* writes package-level map labels`
}

//export resetCounts
func resetCounts() {
	clear(counts) // want `cgocallback: exported resetCounts .* writes package-level map counts`
}

// Through a same-package helper.

func bump(id int) {
	counts[id]++ // want `cgocallback: exported onEvent .* writes package-level map counts via bump without holding a write lock`
}

//export onEvent
func onEvent(id C.int) {
	bump(int(id))
}

// A read lock does not exclude other writers.

//export setByID
func setByID(id C.int, v *C.char) {
	state.RLock()
	defer state.RUnlock()
	state.byID[int(id)] = C.GoString(v) // want `cgocallback: exported setByID .* writes package-level map state.byID holding only a read lock \(RLock\)`
}

// Unlocked before the write.

//export unlockedTooEarly
func unlockedTooEarly(id C.int) {
	mu.Lock()
	n := counts[int(id)]
	mu.Unlock()
	counts[int(id)] = n + 1 // want `cgocallback: exported unlockedTooEarly .* writes package-level map counts`
}

// Locked on one branch only: the join does not hold the lock.

//export lockedOnOneBranch
func lockedOnOneBranch(id C.int, safe bool) {
	if safe {
		mu.Lock()
		defer mu.Unlock()
	}
	counts[int(id)] = 1 // want `cgocallback: exported lockedOnOneBranch .* writes package-level map counts`
}

// A map reached through a package-level pointer.

//export regPut
func regPut(id C.int) {
	reg.m[int(id)] = 1 // want `cgocallback: exported regPut .* writes package-level map reg.m`
}

// Silent near-misses.

//export setLabelLocked
func setLabelLocked(k, v *C.char) {
	mu.Lock()
	defer mu.Unlock()
	labels[C.GoString(k)] = C.GoString(v)
}

//export setLabelLockUnlock
func setLabelLockUnlock(k, v *C.char) {
	key, val := C.GoString(k), C.GoString(v)
	mu.Lock()
	labels[key] = val
	mu.Unlock()
}

//export setByIDLocked
func setByIDLocked(id C.int, v *C.char) {
	state.Lock()
	defer state.Unlock()
	state.byID[int(id)] = C.GoString(v)
}

// A helper called with the lock held.

func put(id int) { counts[id] = id }

//export onEventLocked
func onEventLocked(id C.int) {
	mu.Lock()
	put(int(id))
	mu.Unlock()
}

// A helper that locks for itself.

func putSafely(id int) {
	reg.mu.Lock()
	defer reg.mu.Unlock()
	reg.m[id] = id
}

//export onEventSafe
func onEventSafe(id C.int) { putSafely(int(id)) }

// Lock and unlock helpers.

func lockAll()   { mu.Lock() }
func unlockAll() { mu.Unlock() }

//export withHelpers
func withHelpers(id C.int) {
	lockAll()
	counts[int(id)] = 2
	unlockAll()
}

// An early return on error, with the lock held on the path to the write.

//export earlyReturn
func earlyReturn(id C.int) int {
	mu.Lock()
	defer mu.Unlock()
	if id < 0 {
		return -1
	}
	counts[int(id)] = 3
	return 0
}

// Writes in a loop under the lock.

//export fill
func fill(n C.int) {
	mu.Lock()
	for i := range int(n) {
		counts[i] = i
	}
	mu.Unlock()
}

// sync.Map needs no lock.

//export cacheStore
func cacheStore(id C.int) { cache.Store(int(id), true) }

// Reads only.

//export lookup
func lookup(id C.int) C.int {
	mu.Lock()
	defer mu.Unlock()
	return C.int(counts[int(id)] + len(labels))
}

//export peek
func peek(id C.int) C.int { return C.int(counts[int(id)]) }

// A local map.

//export local
func local(n C.int) C.int {
	m := map[int]int{}
	for i := range int(n) {
		m[i] = i
	}
	return C.int(len(m))
}

// Not exported: Go callers are on the programmer to synchronise.
func notExported(id int) { counts[id] = 0 }

// More shapes.

type shard struct {
	mu sync.Mutex
	m  map[int]int
}

var shards = make([]shard, 4)

//export shardPut
func shardPut(id C.int) {
	s := &shards[int(id)%len(shards)]
	s.m[int(id)] = 1 // want `cgocallback: exported shardPut .* writes package-level map shards\[...\].m`
}

//export shardPutLocked
func shardPutLocked(id C.int) {
	s := &shards[int(id)%len(shards)]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[int(id)] = 1
}

var (
	once  sync.Once
	names map[int]string
)

// Written once, inside sync.Once.
//
//export initNames
func initNames() {
	once.Do(func() {
		names = map[int]string{}
		names[0] = "zero"
	})
}

// A function literal that locks for itself.
//
//export literalLocked
func literalLocked(id C.int) {
	func() {
		mu.Lock()
		defer mu.Unlock()
		counts[int(id)] = 4
	}()
}

// A literal called without the lock.
//
//export literalUnlocked
func literalUnlocked(id C.int) {
	func() {
		counts[int(id)] = 5 // want `cgocallback: exported literalUnlocked .* via the function literal in literalUnlocked without holding a write lock`
	}()
}

// lockCounts returns the unlock function.
func lockCounts() func() {
	mu.Lock()
	return mu.Unlock
}

//export withUnlocker
func withUnlocker(id C.int) {
	defer lockCounts()()
	counts[int(id)] = 6
}

var locker sync.Locker = &mu

// Through the sync.Locker interface.
//
//export viaLocker
func viaLocker(id C.int) {
	locker.Lock()
	counts[int(id)] = 7
	locker.Unlock()
}

// TryLock, taken.
//
//export tryPut
func tryPut(id C.int) bool {
	if !mu.TryLock() {
		return false
	}
	defer mu.Unlock()
	counts[int(id)] = 8
	return true
}

// Unlocked inside a loop, then written.
//
//export loopUnlock
func loopUnlock(n C.int) {
	mu.Lock()
	for i := range int(n) {
		if i == 3 {
			mu.Unlock()
			counts[i] = i // want `cgocallback: exported loopUnlock .* writes package-level map counts`
			return
		}
	}
	mu.Unlock()
}

// An alias of the package map is the package map.
//
//export viaAlias
func viaAlias(id C.int) {
	m := counts
	m[int(id)] = 9 // want `cgocallback: exported viaAlias .* writes package-level map counts`
}

// A copy is not.
//
//export viaCopy
func viaCopy(id C.int) C.int {
	mu.Lock()
	m := make(map[int]int, len(counts))
	for k, v := range counts {
		m[k] = v
	}
	mu.Unlock()
	m[int(id)] = 10
	return C.int(len(m))
}

// Writes through package maps.

//export mergeCounts
func mergeCounts(id C.int) {
	maps.Copy(counts, map[int]int{int(id): 1}) // want `cgocallback: exported mergeCounts .* writes package-level map counts`
}

//export pruneCounts
func pruneCounts() {
	mu.Lock()
	defer mu.Unlock()
	maps.DeleteFunc(counts, func(k, v int) bool { return v == 0 })
}
