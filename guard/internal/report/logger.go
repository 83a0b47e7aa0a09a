package report

import (
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/cgoguard/cgoguard/guard/internal/config"
)

// destination is where CGOGUARD_LOG sends reports. The fault handler writes
// to the same file descriptor with the same encoding, because a signal
// handler cannot call into a zap core.
type destination struct {
	encoder zapcore.Encoder
	out     zapcore.WriteSyncer
	fd      int
	json    bool
}

var (
	dest     = openDestination(config.Current.Log)
	ownCore  = zapcore.NewCore(dest.encoder, dest.out, zapcore.ErrorLevel)
	userCore atomic.Pointer[zapcore.Core]
)

func openDestination(log string) destination {
	switch log {
	case config.LogConsole:
		return destination{consoleEncoder(), zapcore.Lock(os.Stderr), 2, false}
	case config.LogJSON:
		return destination{jsonEncoder(), zapcore.Lock(os.Stderr), 2, true}
	}
	f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cgoguard: %s=%q: %v; accepted values: \"console\", \"json\" or the path of a writable file (JSON lines)\n", config.EnvLog, log, err)
		os.Exit(2)
	}
	return destination{jsonEncoder(), zapcore.Lock(f), int(f.Fd()), true}
}

func consoleEncoder() zapcore.Encoder {
	c := zap.NewDevelopmentEncoderConfig()
	c.StacktraceKey = "stacks"
	return zapcore.NewConsoleEncoder(c)
}

func jsonEncoder() zapcore.Encoder {
	c := zap.NewProductionEncoderConfig()
	c.EncodeTime = zapcore.ISO8601TimeEncoder
	// Stacks are structured fields already; a text copy would double the
	// entry for no gain to a log pipeline.
	c.StacktraceKey = ""
	return zapcore.NewJSONEncoder(c)
}

// SetLogger sends reports to l's core from now on; nil restores the
// CGOGUARD_LOG destination.
func SetLogger(l *zap.Logger) {
	if l == nil {
		userCore.Store(nil)
		return
	}
	c := l.Core()
	userCore.Store(&c)
}

func core() zapcore.Core {
	if c := userCore.Load(); c != nil {
		return *c
	}
	return ownCore
}

func entry(r *Record, msg string) zapcore.Entry {
	return zapcore.Entry{Level: zapcore.ErrorLevel, Time: time.Now(), LoggerName: "cgoguard", Message: msg, Stack: r.stackText()}
}

// write logs r through the current core.
func write(r *Record) {
	c := core()
	if ce := c.Check(entry(r, "cgoguard: "+string(r.Kind)+": "+r.Message), nil); ce != nil {
		ce.Write(r.fields()...)
	}
	_ = c.Sync()
}

// FaultFD is the file descriptor the fault handler writes reports to.
func FaultFD() int { return dest.fd }

// FaultJSON reports whether fault reports must be JSON.
func FaultJSON() bool { return dest.json }
