//go:build !cgoguard

package guardhttp

import (
	"io"
	"net/http"
	"strings"
)

func handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/heap") {
			http.Error(w, "cgoguard: checks are off in this build; rebuild with -tags cgoguard for the C heap profile", http.StatusNotFound)
			return
		}
		if r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "application/json") {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"enabled":false}`+"\n")
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "cgoguard: checks are off in this build; rebuild with -tags cgoguard\n")
	})
}
