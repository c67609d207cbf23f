package export

import (
	"testing"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/student"
)

// TestKindSpellings checks that bertonnx's metadata kinds, which bertonnx
// spells without importing student, are student's kinds.
func TestKindSpellings(t *testing.T) {
	for _, c := range []struct {
		onnx string
		kind student.Kind
	}{{bertonnx.KindColBERT, student.KindColBERT}, {bertonnx.KindSPLADE, student.KindSPLADE}} {
		if c.onnx != string(c.kind) {
			t.Errorf("bertonnx kind %q, student kind %q", c.onnx, c.kind)
		}
	}
}
