//go:build cgo && cgoguard

package cguard

// addrTable maps buffer addresses to blocks: open addressing with linear
// probing and backward-shift deletion. Go maps keep tombstones under the
// insert-at-one-end, delete-at-the-other churn of a quarantine, and their
// probes then cost more than everything else Free does.
type addrTable struct {
	slots []entry
	n     int
	shift uint // 64 - log2(len(slots))
}

// entry keeps the address beside the block so that probing never touches
// the (cold) block records. addr 0 marks an empty slot.
type entry struct {
	addr uintptr
	b    *block
}

const minTableBits = 6

func (t *addrTable) home(p uintptr) int { return int(uint64(p) * 0x9E3779B97F4A7C15 >> t.shift) }

func (t *addrTable) get(p uintptr) *block {
	if t.n == 0 {
		return nil
	}
	mask := len(t.slots) - 1
	for i := t.home(p); ; i = (i + 1) & mask {
		e := t.slots[i]
		if e.addr == p || e.addr == 0 {
			return e.b
		}
	}
}

// put adds b, whose address must not be in the table.
func (t *addrTable) put(b *block) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	t.insert(entry{uintptr(b.user), b})
	t.n++
}

func (t *addrTable) insert(e entry) {
	mask := len(t.slots) - 1
	i := t.home(e.addr)
	for t.slots[i].addr != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = e
}

func (t *addrTable) grow() {
	bits := uint(minTableBits)
	if len(t.slots) > 0 {
		bits = 64 - t.shift + 1
	}
	old := t.slots
	t.slots = make([]entry, 1<<bits)
	t.shift = 64 - bits
	for _, e := range old {
		if e.addr != 0 {
			t.insert(e)
		}
	}
}

// remove deletes the block at p, if any, and moves later entries of its
// probe run back so that lookups never need tombstones.
func (t *addrTable) remove(p uintptr) {
	if t.n == 0 {
		return
	}
	mask := len(t.slots) - 1
	i := t.home(p)
	for t.slots[i].addr != p {
		if t.slots[i].addr == 0 {
			return
		}
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; t.slots[j].addr != 0; j = (j + 1) & mask {
		// Move slots[j] into the hole at i unless its home lies
		// cyclically in (i, j], where it is still reachable.
		k := t.home(t.slots[j].addr)
		if (j > i && (k <= i || k > j)) || (j < i && k <= i && k > j) {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = entry{}
	t.n--
}

func (t *addrTable) each(f func(*block)) {
	for _, e := range t.slots {
		if e.addr != 0 {
			f(e.b)
		}
	}
}
