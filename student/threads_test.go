package student_test

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"gorgonia.org/gorgonia"

	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/student/nn"
)

// TestGradientsIndependentOfCPUs runs a training step of ColBERT and SPLADE
// (32 triples, 1,280 document tokens: enough rows for the split weight
// products and several row blocks of the bias and LayerNorm sums) at 1, 2
// and 3 CPUs: the loss and every gradient have the same bits.
func TestGradientsIndependentOfCPUs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	enc := student.EncoderConfig{VocabSize: 2000, Hidden: 64, Layers: 2, Heads: 2, FFN: 128,
		MaxPosition: 64, TypeVocabSize: 2, LayerNormEps: 1e-12, HiddenDropout: 0.1}
	for _, arch := range []string{"colbert", "splade"} {
		t.Run(arch, func(t *testing.T) {
			g := gorgonia.NewGraph()
			var (
				m   student.Model
				err error
			)
			batch := benchBatchOf(3, enc.VocabSize, 8, 20)
			if arch == "colbert" {
				c := student.DefaultColBERT(enc)
				c.Dim = 32
				m, err = student.NewColBERT(g, c, 1)
			} else {
				m, err = student.NewSPLADE(g, student.DefaultSPLADE(enc), 1)
			}
			if err != nil {
				t.Fatal(err)
			}
			loss, params := trainingGraph(t, m, batch)
			vm := nn.NewMachine(g)
			defer vm.Close()
			var first [][]float32
			for _, procs := range []int{1, 2, 3} {
				runtime.GOMAXPROCS(procs)
				vm.Reset()
				if err := vm.RunAll(); err != nil {
					t.Fatal(err)
				}
				vals := [][]float32{{loss.Value().Data().(float32)}}
				for _, p := range params {
					gr, err := p.Node.Grad()
					if err != nil {
						t.Fatal(err)
					}
					vals = append(vals, append([]float32(nil), gr.Data().([]float32)...))
				}
				if first == nil {
					first = vals
					continue
				}
				for i, v := range vals {
					for j := range v {
						if math.Float32bits(v[j]) != math.Float32bits(first[i][j]) {
							what := "the loss"
							if i > 0 {
								what = fmt.Sprintf("the gradient of %s at %d", params[i-1].Name, j)
							}
							t.Fatalf("%d CPUs: %s is %v, at 1 CPU %v", procs, what, v[j], first[i][j])
						}
					}
				}
			}
		})
	}
}
