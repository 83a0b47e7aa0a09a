module github.com/cgoguard/cgoguard/example

go 1.26.0

replace github.com/cgoguard/cgoguard => ..
