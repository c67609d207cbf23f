//go:build !openblas && !amd64

package nn

// haveAVX2 is false off amd64: the pure-Go build runs the Go row loops.
const haveAVX2 = false
