package nn

import (
	"reflect"
	"testing"

	"golang.org/x/sys/cpu"
)

// kernelChoice is one row loop of checkKernelsInUse: the function variable
// in use, the build's vectorised kernel and the Go loop.
type kernelChoice struct {
	name                string
	inUse, fast, goLoop any
}

// checkKernelsInUse checks that each kernel's vectorised version (what,
// e.g. "the C kernel") is in use on a CPU with AVX2 and the Go loop on one
// without: the ImplementationsAgree tests compare the loops in use with the
// Go loops, so with the Go loops in use they would compare the Go loops
// with themselves and pass. golang.org/x/sys/cpu detects AVX2 (and the OS's
// support of it) apart from the build's own haveAVX2.
func checkKernelsInUse(t *testing.T, what string, kernels []kernelChoice) {
	t.Helper()
	if haveAVX2 != cpu.X86.HasAVX2 {
		t.Fatalf("haveAVX2 = %v, golang.org/x/sys/cpu says %v", haveAVX2, cpu.X86.HasAVX2)
	}
	for _, k := range kernels {
		want, which := k.goLoop, "the Go loop"
		if haveAVX2 {
			want, which = k.fast, what
		}
		if reflect.ValueOf(k.inUse).Pointer() != reflect.ValueOf(want).Pointer() {
			t.Errorf("%s: AVX2 %v, but %s is not in use", k.name, haveAVX2, which)
		}
	}
}
