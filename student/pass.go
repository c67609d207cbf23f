package student

import (
	"fmt"

	"github.com/distill-ml/distill/student/nn"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ref is an intermediate result of a forward pass: a graph node when
// building a training graph, a tensor when running eagerly.
type ref struct {
	n *gorgonia.Node
	t *tensor.Dense
}

// pass runs a model's forward computation either as graph construction
// (training) or eagerly (inference). The first error sticks: later calls
// return zero refs and err reports it, so model code reads as a pipeline.
type pass struct {
	ps     *paramSet
	eager  bool
	inputs []*gorgonia.Node // graph inputs, in creation order
	sites  uint64           // dropout layers added so far
	err    error
}

func newGraphPass(ps *paramSet) *pass { return &pass{ps: ps} }
func newEagerPass(ps *paramSet) *pass { return &pass{ps: ps, eager: true} }

// param returns the named parameter.
func (p *pass) param(name string) ref {
	n, ok := p.ps.byKey[name]
	if !ok {
		p.fail(fmt.Errorf("student: no parameter %q", name))
		return ref{}
	}
	if p.eager {
		return ref{t: n.Value().(*tensor.Dense)}
	}
	return ref{n: n}
}

// input returns a batch tensor (ids or a mask) as a ref; in a graph it
// becomes an input node that Feed can rebind.
func (p *pass) input(name string, t *tensor.Dense) ref {
	if p.err != nil {
		return ref{}
	}
	if p.eager {
		return ref{t: t}
	}
	n := gorgonia.NewTensor(p.ps.g, t.Dtype(), t.Dims(), gorgonia.WithShape(t.Shape()...),
		gorgonia.WithName(fmt.Sprintf("%s#%d", name, len(p.inputs))), gorgonia.WithValue(t))
	p.inputs = append(p.inputs, n)
	return ref{n: n}
}

// dropout applies training dropout with probability prob to x in a
// training graph; eagerly (inference), or with prob 0, it returns x. Each
// call is a new site with its own masks.
func (p *pass) dropout(x ref, prob float64) ref {
	if p.eager || prob == 0 {
		return x
	}
	p.sites++
	return p.apply(nn.NewDropout(prob, p.ps.clock, p.sites), x)
}

// apply runs kernel k on the inputs.
func (p *pass) apply(k nn.Kernel, in ...ref) ref {
	if p.err != nil {
		return ref{}
	}
	if p.eager {
		ts := make([]*tensor.Dense, len(in))
		for i, r := range in {
			ts[i] = r.t
		}
		t, err := k.Forward(ts, false)
		if err != nil {
			p.fail(err)
			return ref{}
		}
		return ref{t: t}
	}
	ns := make([]*gorgonia.Node, len(in))
	for i, r := range in {
		ns[i] = r.n
	}
	n, err := nn.Apply(k, ns...)
	if err != nil {
		p.fail(err)
		return ref{}
	}
	return ref{n: n}
}

// linear applies name.weight (and name.bias when bias is set).
func (p *pass) linear(name string, x ref, bias bool) ref {
	if bias {
		return p.apply(nn.NewLinear(true), x, p.param(name+".weight"), p.param(name+".bias"))
	}
	return p.apply(nn.NewLinear(false), x, p.param(name+".weight"))
}

func (p *pass) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}
