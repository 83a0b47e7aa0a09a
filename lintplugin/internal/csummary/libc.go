package csummary

// The libc and POSIX table: what functions without a body in the package do
// with their pointer arguments. Each parameter is one letter:
//
//	u  used during the call only
//	r  retained after the call (desc says where)
//	f  freed
//	x  a function pointer called during the call only (qsort's comparator)
//	-  cannot carry a pointer, or carries one the function only reads as a number
//
// A function not listed here, without a body, without a malloc attribute
// and not named in the settings has no summary: Unknown, never guessed.
type libcEntry struct {
	params   string
	variadic bool   // extra arguments are used only (printf family)
	fresh    string // the result is fresh heap memory released by this function
	returns  int    // the result is this (1-based) argument, or points into it
	desc     string // where an 'r' argument is kept
	noreturn bool
}

var libc = map[string]libcEntry{
	// Memory.
	"free": {params: "f"},
	// The runtime guard's C API (guard/cguard/cguard.h), for C that
	// allocates or frees guarded memory.
	"cguard_free":    {params: "f"},
	"cguard_malloc":  {params: "-", fresh: "cguard_free"},
	"cguard_calloc":  {params: "--", fresh: "cguard_free"},
	"malloc":         {params: "-", fresh: "free"},
	"calloc":         {params: "--", fresh: "free"},
	"realloc":        {params: "f-", fresh: "free"},
	"reallocarray":   {params: "f--", fresh: "free"},
	"aligned_alloc":  {params: "--", fresh: "free"},
	"strdup":         {params: "u", fresh: "free"},
	"strndup":        {params: "u-", fresh: "free"},
	"memcpy":         {params: "uu-", returns: 1},
	"memmove":        {params: "uu-", returns: 1},
	"memset":         {params: "u--", returns: 1},
	"memcmp":         {params: "uu-"},
	"memchr":         {params: "u--", returns: 1},
	"strlen":         {params: "u"},
	"strnlen":        {params: "u-"},
	"strcpy":         {params: "uu", returns: 1},
	"strncpy":        {params: "uu-", returns: 1},
	"strcat":         {params: "uu", returns: 1},
	"strncat":        {params: "uu-", returns: 1},
	"strcmp":         {params: "uu"},
	"strncmp":        {params: "uu-"},
	"strcasecmp":     {params: "uu"},
	"strncasecmp":    {params: "uu-"},
	"strchr":         {params: "u-", returns: 1},
	"strrchr":        {params: "u-", returns: 1},
	"strstr":         {params: "uu", returns: 1},
	"strspn":         {params: "uu"},
	"strcspn":        {params: "uu"},
	"strtol":         {params: "uu-"},
	"strtoul":        {params: "uu-"},
	"strtoll":        {params: "uu-"},
	"strtoull":       {params: "uu-"},
	"strtod":         {params: "uu"},
	"atoi":           {params: "u"},
	"atol":           {params: "u"},
	"qsort":          {params: "u--x"},
	"bsearch":        {params: "uu--x", returns: 2},
	"__builtin_free": {params: "f"},
	// stdio and file descriptors.
	"printf":    {params: "u", variadic: true},
	"fprintf":   {params: "uu", variadic: true},
	"sprintf":   {params: "uu", variadic: true},
	"snprintf":  {params: "u-u", variadic: true},
	"vprintf":   {params: "uu"},
	"vfprintf":  {params: "uuu"},
	"vsnprintf": {params: "u-uu"},
	"puts":      {params: "u"},
	"fputs":     {params: "uu"},
	"putchar":   {params: "-"},
	"fputc":     {params: "-u"},
	"fwrite":    {params: "u--u"},
	"fread":     {params: "u--u"},
	"fflush":    {params: "u"},
	"fopen":     {params: "uu", fresh: "fclose"},
	"fdopen":    {params: "-u", fresh: "fclose"},
	"fclose":    {params: "f"},
	"write":     {params: "-u-"},
	"read":      {params: "-u-"},
	"open":      {params: "u-", variadic: true},
	"close":     {params: "-"},
	"perror":    {params: "u"},
	"setvbuf":   {params: "ur--", desc: "the stream's buffer (setvbuf keeps it until the stream is closed)"},
	"setbuf":    {params: "ur", desc: "the stream's buffer (setbuf keeps it until the stream is closed)"},
	// Environment, exit, signals: registrations keep what they are given.
	"getenv":         {params: "u"},
	"setenv":         {params: "uu-"},
	"unsetenv":       {params: "u"},
	"putenv":         {params: "r", desc: "the environment (putenv keeps the string itself)"},
	"atexit":         {params: "r", desc: "the atexit handler list"},
	"on_exit":        {params: "rr", desc: "the on_exit handler list"},
	"signal":         {params: "-r", desc: "the signal handler table"},
	"sigaction":      {params: "-uu"},
	"pthread_atfork": {params: "rrr", desc: "the fork handler list"},
	"exit":           {params: "-", noreturn: true},
	"_exit":          {params: "-", noreturn: true},
	"abort":          {noreturn: true},
	"__assert_fail":  {params: "uu-u", noreturn: true},
	"pthread_exit":   {params: "u", noreturn: true},
	// Threads (pthread_create and pthread_join are modelled in call.go).
	"pthread_create":         {params: "uurr", desc: "the thread started by pthread_create"},
	"pthread_join":           {params: "-u"},
	"pthread_detach":         {params: "-"},
	"pthread_self":           {},
	"pthread_mutex_init":     {params: "uu"},
	"pthread_mutex_destroy":  {params: "u"},
	"pthread_mutex_lock":     {params: "u"},
	"pthread_mutex_trylock":  {params: "u"},
	"pthread_mutex_unlock":   {params: "u"},
	"pthread_cond_init":      {params: "uu"},
	"pthread_cond_destroy":   {params: "u"},
	"pthread_cond_wait":      {params: "uu"},
	"pthread_cond_signal":    {params: "u"},
	"pthread_cond_broadcast": {params: "u"},
	"usleep":                 {params: "-"},
	"sleep":                  {params: "-"},
	"nanosleep":              {params: "uu"},
}

// libcFunc returns the table's summary of name.
func libcFunc(name string) (*Func, bool) {
	e, ok := libc[name]
	if !ok {
		return nil, false
	}
	f := &Func{Name: name, Origin: FromLibc}
	for _, c := range e.params {
		p := Param{Tracked: c != '-'}
		switch c {
		case 'r':
			p.Effects = Effects{Retain: Yes, Where: Place{Kind: PlaceCallee, Callee: name, Desc: e.desc}}
		case 'f':
			p.Effects = Effects{Free: Yes, By: name}
		}
		f.Params = append(f.Params, p)
	}
	if e.returns > 0 {
		f.Params[e.returns-1].Returned = true
	}
	if e.fresh != "" {
		f.Result = Result{Fresh: Yes, Dealloc: e.fresh, DeallocParam: 1}
	}
	return f, true
}
