package report

import (
	"strings"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/cgoguard/cgoguard/guard/internal/stack"
)

// frames encodes a stack as an array of {function, file, line} objects
// without reflection.
type frames []stack.Frame

func (fs frames) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	for _, f := range fs {
		if err := enc.AppendObject(frame(f)); err != nil {
			return err
		}
	}
	return nil
}

type frame stack.Frame

func (f frame) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("function", f.Function)
	enc.AddString("file", f.File)
	enc.AddInt("line", f.Line)
	return nil
}

// fields lists the structured fields of r.
func (r *Record) fields() []zap.Field {
	fs := make([]zap.Field, 0, 6+len(r.Stacks))
	fs = append(fs, zap.String("kind", string(r.Kind)))
	if r.Address != "" {
		fs = append(fs, zap.String("address", r.Address))
	}
	if r.Size != nil {
		fs = append(fs, zap.Uint64("size", *r.Size))
	}
	if r.HandleID != 0 {
		fs = append(fs, zap.Uint64("handle_id", r.HandleID))
	}
	if r.Op != "" {
		fs = append(fs, zap.String("op", r.Op))
	}
	if r.Offset != nil {
		fs = append(fs, zap.Int64("offset", *r.Offset))
	}
	for _, s := range r.Stacks {
		fs = append(fs, zap.Array(s.Name, frames(s.Frames)))
	}
	return fs
}

// stackText renders every stack of r for people, for console output.
func (r *Record) stackText() string {
	var b strings.Builder
	for _, s := range r.Stacks {
		b.WriteString(stackTitle(s.Name))
		b.WriteString(":\n")
		b.WriteString(stack.Text(s.Frames, "\t"))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func stackTitle(name string) string {
	switch name {
	case AllocStack:
		return "allocated at (alloc_stack)"
	case FreeStack:
		return "freed at (free_stack)"
	case CreateStack:
		return "handle created at (create_stack)"
	case DeleteStack:
		return "handle deleted at (delete_stack)"
	case PinStack:
		return "pinned at (pin_stack)"
	case ReportStack:
		return "detected at (report_stack)"
	}
	return name
}
