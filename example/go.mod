module github.com/cgoguard/cgoguard/example

go 1.26.0

replace github.com/cgoguard/cgoguard => ..

require github.com/cgoguard/cgoguard v0.0.0-00010101000000-000000000000

require (
	go.uber.org/multierr v1.10.0 // indirect
	go.uber.org/zap v1.28.0 // indirect
)
