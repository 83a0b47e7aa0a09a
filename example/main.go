// Command example sends a few labels to the C telemetry agent through the
// corrected API of package telemetry.
package main

import (
	"fmt"

	"github.com/cgoguard/cgoguard/example/telemetry"
)

func main() {
	a := telemetry.NewAgent()
	a.Add("host", "db-1")
	a.Add("zone", "eu-west")
	a.Flush()
	telemetry.Tag(map[string]string{"build": "debug"})
	telemetry.Emit(&telemetry.Event{Name: "start", Labels: map[string]string{"pid": "1"}})
	fmt.Println("labels sent:", telemetry.Sent(), "default labels:", telemetry.Size())
}
