module github.com/cgoguard/cgoguard/example

go 1.26.0

require github.com/cgoguard/cgoguard v0.0.0

replace github.com/cgoguard/cgoguard => ..
