// Package table maps integer keys (addresses, handle numbers) to records:
// open addressing with linear probing and backward-shift deletion. Go maps
// keep tombstones under the insert-at-one-end, delete-at-the-other churn
// of a quarantine or of short-lived handles, and their probes then cost
// more than everything else Free or Delete does.
package table

// Table maps nonzero keys to values; key 0 is never present. The zero value is an empty table.
// It is not safe for concurrent use.
type Table[V any] struct {
	slots []entry[V]
	n     int
	shift uint // 64 - log2(len(slots))
}

// entry keeps the key beside the value so that probing never touches the
// (cold) records the values point to. key 0 marks an empty slot.
type entry[V any] struct {
	key uintptr
	v   V
}

const minBits = 6

func (t *Table[V]) home(k uintptr) int { return int(uint64(k) * 0x9E3779B97F4A7C15 >> t.shift) }

// Len returns the number of keys.
func (t *Table[V]) Len() int { return t.n }

// Get returns the value of k.
func (t *Table[V]) Get(k uintptr) (V, bool) {
	var zero V
	if t.n == 0 || k == 0 {
		return zero, false
	}
	mask := len(t.slots) - 1
	for i := t.home(k); ; i = (i + 1) & mask {
		e := &t.slots[i]
		if e.key == k {
			return e.v, true
		}
		if e.key == 0 {
			return zero, false
		}
	}
}

// Put adds k, which must not be in the table, with value v.
func (t *Table[V]) Put(k uintptr, v V) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	t.insert(entry[V]{k, v})
	t.n++
}

func (t *Table[V]) insert(e entry[V]) {
	mask := len(t.slots) - 1
	i := t.home(e.key)
	for t.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = e
}

func (t *Table[V]) grow() {
	bits := uint(minBits)
	if len(t.slots) > 0 {
		bits = 64 - t.shift + 1
	}
	old := t.slots
	t.slots = make([]entry[V], 1<<bits)
	t.shift = 64 - bits
	for _, e := range old {
		if e.key != 0 {
			t.insert(e)
		}
	}
}

// Remove deletes k, if present, and moves later entries of its probe run
// back so that lookups never need tombstones.
func (t *Table[V]) Remove(k uintptr) {
	if t.n == 0 || k == 0 {
		return
	}
	mask := len(t.slots) - 1
	i := t.home(k)
	for t.slots[i].key != k {
		if t.slots[i].key == 0 {
			return
		}
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; t.slots[j].key != 0; j = (j + 1) & mask {
		// Move slots[j] into the hole at i unless its home lies
		// cyclically in (i, j], where it is still reachable.
		h := t.home(t.slots[j].key)
		if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = entry[V]{}
	t.n--
}

// Each calls f for every key and value, in no particular order.
func (t *Table[V]) Each(f func(uintptr, V)) {
	for _, e := range t.slots {
		if e.key != 0 {
			f(e.key, e.v)
		}
	}
}
