// Command nocgo uses the guard package without cgo, for the test that
// checks it still builds with CGO_ENABLED=0.
package main

import (
	"fmt"

	"github.com/cgoguard/cgoguard/guard"
)

func main() {
	var p guard.Pinner
	x := new(int)
	p.Pin(x)
	p.Unpin()
	h := guard.NewHandle(x)
	h.Delete()
	fmt.Println(guard.Enabled(), guard.Check())
}
