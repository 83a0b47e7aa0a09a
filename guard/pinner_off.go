//go:build !cgoguard

package guard

type pinnerDebug struct{}

func pin(p *Pinner, ptr any) { p.rt.Pin(ptr) }

func unpin(p *Pinner) { p.rt.Unpin() }
