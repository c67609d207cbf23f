package student

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student/nn"
)

// Param is a named trainable tensor of a model.
type Param struct {
	Name string // Hugging Face name, e.g. "bert.encoder.layer.0.attention.self.query.weight"
	Node *gorgonia.Node
}

// Nodes returns the nodes of ps, in order (the wrt list of gorgonia.Grad).
func Nodes(ps []Param) gorgonia.Nodes {
	ns := make(gorgonia.Nodes, len(ps))
	for i, p := range ps {
		ns[i] = p.Node
	}
	return ns
}

// Weights returns a copy of the parameters' values by name, as checkpoints
// store them (and LoadWeights reads them back).
func Weights(ps []Param) map[string]checkpoints.Tensor {
	w := make(map[string]checkpoints.Tensor, len(ps))
	for _, p := range ps {
		w[p.Name] = checkpoints.Tensor{Shape: slices.Clone([]int(p.Node.Shape())), Data: slices.Clone(p.Node.Value().Data().([]float32))}
	}
	return w
}

// Shapes returns the parameters' shapes by name.
func Shapes(ps []Param) map[string][]int {
	s := make(map[string][]int, len(ps))
	for _, p := range ps {
		s[p.Name] = []int(p.Node.Shape())
	}
	return s
}

// LoadReport says what LoadWeights did.
type LoadReport struct {
	Loaded  []string // parameters initialised from the source
	Missing []string // parameters the source lacks (left as they were)
	Unused  []string // source tensors that match no parameter
}

// WeightError reports a source tensor that cannot initialise a parameter.
type WeightError struct {
	Name      string
	Got, Want []int
	Reason    string
}

func (e *WeightError) Error() string {
	return fmt.Sprintf("student: weight %q: %s (got shape %v, want %v)", e.Name, e.Reason, e.Got, e.Want)
}

// paramSet holds a model's parameters in creation order.
type paramSet struct {
	g     *gorgonia.ExprGraph
	rng   *rand.Rand
	list  []Param
	byKey map[string]*gorgonia.Node
	clock *nn.DropoutClock // steps the dropout masks of training graphs
}

func newParamSet(g *gorgonia.ExprGraph, seed uint64) *paramSet {
	return &paramSet{g: g, rng: rand.New(rand.NewPCG(seed, 0x5eed)), byKey: map[string]*gorgonia.Node{},
		clock: &nn.DropoutClock{Seed: seed ^ 0xd40f}}
}

// init kinds of newly created parameters.
const (
	initNormal = iota // N(0, 0.02²), BERT's initializer
	initZeros
	initOnes
)

// add creates a float32 parameter of the given shape.
func (ps *paramSet) add(name string, kind int, shape ...int) {
	t := tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
	data := t.Data().([]float32)
	for i := range data {
		switch kind {
		case initNormal:
			data[i] = float32(ps.rng.NormFloat64() * 0.02)
		case initOnes:
			data[i] = 1
		}
	}
	n := gorgonia.NewTensor(ps.g, tensor.Float32, len(shape), gorgonia.WithShape(shape...), gorgonia.WithName(name), gorgonia.WithValue(t))
	ps.list = append(ps.list, Param{Name: name, Node: n})
	ps.byKey[name] = n
}

// linear creates name.weight [out, in] and, with bias, name.bias [out].
func (ps *paramSet) linear(name string, out, in int, bias bool) {
	ps.add(name+".weight", initNormal, out, in)
	if bias {
		ps.add(name+".bias", initZeros, out)
	}
}

// layerNorm creates name.weight (ones) and name.bias (zeros) of size h.
func (ps *paramSet) layerNorm(name string, h int) {
	ps.add(name+".weight", initOnes, h)
	ps.add(name+".bias", initZeros, h)
}

func (ps *paramSet) params() []Param { return slices.Clone(ps.list) }

// sourceName maps a checkpoint name to a parameter name: TensorFlow-era
// LayerNorm.gamma/beta become weight/bias, and names saved without the
// "bert." prefix (a bare BertModel) gain it.
func (ps *paramSet) sourceName(name string) string {
	name = strings.Replace(name, "LayerNorm.gamma", "LayerNorm.weight", 1)
	name = strings.Replace(name, "LayerNorm.beta", "LayerNorm.bias", 1)
	if _, ok := ps.byKey[name]; !ok {
		if _, ok := ps.byKey["bert."+name]; ok {
			return "bert." + name
		}
	}
	return name
}

// load copies the source tensors into the parameters of the same name. All
// shapes are checked before anything is written. With strict, a parameter
// missing from src is an error.
func (ps *paramSet) load(src map[string]checkpoints.Tensor, strict bool) (LoadReport, error) {
	var rep LoadReport
	matched := map[string]checkpoints.Tensor{}
	keys := make([]string, 0, len(src))
	for k := range src {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t := src[k]
		name := ps.sourceName(k)
		n, ok := ps.byKey[name]
		if !ok {
			rep.Unused = append(rep.Unused, k)
			continue
		}
		want := []int(n.Shape())
		if !slices.Equal(t.Shape, want) {
			return LoadReport{}, &WeightError{Name: k, Got: t.Shape, Want: want, Reason: "shape mismatch"}
		}
		if len(t.Data) != n.Shape().TotalSize() {
			return LoadReport{}, &WeightError{Name: k, Got: t.Shape, Want: want, Reason: fmt.Sprintf("%d values for the shape", len(t.Data))}
		}
		if _, dup := matched[name]; dup {
			return LoadReport{}, &WeightError{Name: k, Got: t.Shape, Want: want, Reason: "a second source tensor for parameter " + name}
		}
		matched[name] = t
	}
	for _, p := range ps.list {
		t, ok := matched[p.Name]
		if !ok {
			rep.Missing = append(rep.Missing, p.Name)
			continue
		}
		copy(p.Node.Value().Data().([]float32), t.Data)
		rep.Loaded = append(rep.Loaded, p.Name)
	}
	if strict && len(rep.Missing) > 0 {
		return rep, fmt.Errorf("student: strict load: %d parameters missing from the source, first %q", len(rep.Missing), rep.Missing[0])
	}
	return rep, nil
}
