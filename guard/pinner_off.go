//go:build !cgoguard

package guard

type pinnerDebug struct{} //nolint:unused // empty: release builds keep no records

func pin(p *Pinner, ptr any) { p.rt.Pin(ptr) }

func unpin(p *Pinner) { p.rt.Unpin() }
