package cgocallback

// Bad and Good are the README's snippets: code the check flags, and the
// corrected version it is silent on.
const (
	Bad = `var labels = map[string]string{}

//export tmOnLabel
func tmOnLabel(k, v *C.char) {
	labels[C.GoString(k)] = C.GoString(v) // C threads race on the map
}`

	Good = `var (
	labelsMu sync.Mutex
	labels   = map[string]string{}
)

//export tmOnLabel
func tmOnLabel(k, v *C.char) {
	labelsMu.Lock()
	defer labelsMu.Unlock()
	labels[C.GoString(k)] = C.GoString(v)
}`
)
