package training

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/distill-ml/distill/losses"
	"github.com/distill-ml/distill/student"
	"github.com/distill-ml/distill/student/nn"
)

// trainGraph is the student, its loss and gradients, built once for the
// fixed batch shape; set binds each step's batch.
type trainGraph struct {
	g      *G.ExprGraph
	model  student.Model
	params []student.Param
	aux    student.Aux
	vm     G.VM

	// Inputs rebound every step.
	margins, teacher, lambdaQ, lambdaD *G.Node
	// Values read out after a run: the total loss, the ranking loss and
	// the two FLOPS terms (unweighted).
	total, rank, flopsQ, flopsD G.Value
	wq, wd                      G.Value // SPLADE's weights, for the sparsity
	hasFLOPS, sparse            bool
}

// buildGraph creates the model (parameters from seed) and its training
// graph for batches shaped like first.
func buildGraph(c Config, sc student.Config, first *batch) (*trainGraph, error) {
	tg := &trainGraph{g: G.NewGraph()}
	m, err := student.New(tg.g, sc, c.Seed)
	if err != nil {
		return nil, err
	}
	tg.model, tg.params = m, m.Params()
	sPos, sNeg, aux, err := m.ScoreTriples(first.triples)
	if err != nil {
		return nil, err
	}
	tg.aux = aux
	rank, err := tg.rankLoss(c, sPos, sNeg, first)
	if err != nil {
		return nil, fmt.Errorf("training: %s loss: %w", c.Loss, err)
	}
	total := rank
	if aux.QueryWeights != nil {
		tg.sparse = true
		G.Read(aux.QueryWeights, &tg.wq)
		G.Read(aux.DocWeights, &tg.wd)
	}
	if aux.QueryWeights != nil && (c.LambdaQ > 0 || c.LambdaD > 0) {
		if total, err = tg.addFLOPS(rank, aux); err != nil {
			return nil, fmt.Errorf("training: FLOPS: %w", err)
		}
	}
	if _, err := G.Grad(total, student.Nodes(tg.params)...); err != nil {
		return nil, fmt.Errorf("training: gradients: %w", err)
	}
	G.Read(total, &tg.total)
	G.Read(rank, &tg.rank)
	tg.vm = nn.NewMachine(tg.g)
	return tg, nil
}

// rankLoss builds the ranking loss on the triple scores.
func (tg *trainGraph) rankLoss(c Config, sPos, sNeg *G.Node, first *batch) (*G.Node, error) {
	switch c.Loss {
	case "pairwise-ce":
		return losses.PairwiseCE(sPos, sNeg)
	case "pointwise-bce":
		return losses.PointwiseBCE(sPos, sNeg)
	case "kldiv":
		k := c.groupSize()
		n := sPos.Shape()[0] / k
		// Student scores of each group, [n, 1+k]: the positive (repeated in
		// each of the group's k triples; the first is taken) and the k negatives.
		pos, err := G.Reshape(sPos, tensor.Shape{n, k})
		if err != nil {
			return nil, err
		}
		if pos, err = G.Slice(pos, nil, G.S(0)); err != nil { // [n]
			return nil, err
		}
		if pos, err = G.Reshape(pos, tensor.Shape{n, 1}); err != nil {
			return nil, err
		}
		neg, err := G.Reshape(sNeg, tensor.Shape{n, k})
		if err != nil {
			return nil, err
		}
		scores, err := G.Concat(1, pos, neg)
		if err != nil {
			return nil, err
		}
		tg.teacher = floatInput(tg.g, "teacher_scores", first.teacher, n, k+1)
		return losses.KLDivergence(scores, tg.teacher, c.KLTemperature)
	}
	tg.margins = floatInput(tg.g, "teacher_margins", first.margins, len(first.margins))
	return losses.MarginMSEFromMargin(sPos, sNeg, tg.margins)
}

// addFLOPS returns rank + λ_q·FLOPS(w_q) + λ_d·FLOPS(w_d), with λ_q and λ_d
// scalar inputs set every step.
func (tg *trainGraph) addFLOPS(rank *G.Node, aux student.Aux) (*G.Node, error) {
	fq, err := losses.FLOPS(aux.QueryWeights)
	if err != nil {
		return nil, err
	}
	fd, err := losses.FLOPS(aux.DocWeights)
	if err != nil {
		return nil, err
	}
	tg.lambdaQ = G.NewScalar(tg.g, tensor.Float32, G.WithName("lambda_q"), G.WithValue(float32(0)))
	tg.lambdaD = G.NewScalar(tg.g, tensor.Float32, G.WithName("lambda_d"), G.WithValue(float32(0)))
	wq, err := G.Mul(tg.lambdaQ, fq)
	if err != nil {
		return nil, err
	}
	wd, err := G.Mul(tg.lambdaD, fd)
	if err != nil {
		return nil, err
	}
	total, err := G.Add(rank, wq)
	if err != nil {
		return nil, err
	}
	if total, err = G.Add(total, wd); err != nil {
		return nil, err
	}
	G.Read(fq, &tg.flopsQ)
	G.Read(fd, &tg.flopsD)
	tg.hasFLOPS = true
	return total, nil
}

func floatInput(g *G.ExprGraph, name string, data []float32, shape ...int) *G.Node {
	v := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float32(nil), data...)))
	return G.NewTensor(g, tensor.Float32, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(v))
}

// set binds a batch and the FLOPS weights of the coming run.
func (tg *trainGraph) set(b *batch, lambdaQ, lambdaD float64) error {
	if err := tg.aux.Feed(b.triples); err != nil {
		return err
	}
	let := func(n *G.Node, data []float32) error {
		if n == nil {
			return nil
		}
		return G.Let(n, tensor.New(tensor.WithShape(n.Shape()...), tensor.WithBacking(append([]float32(nil), data...))))
	}
	if err := let(tg.margins, b.margins); err != nil {
		return err
	}
	if err := let(tg.teacher, b.teacher); err != nil {
		return err
	}
	if tg.hasFLOPS {
		if err := G.Let(tg.lambdaQ, float32(lambdaQ)); err != nil {
			return err
		}
		if err := G.Let(tg.lambdaD, float32(lambdaD)); err != nil {
			return err
		}
	}
	return nil
}

// run computes the loss and the gradients.
func (tg *trainGraph) run() error {
	tg.vm.Reset()
	return tg.vm.RunAll()
}

// paramData returns the float32 values and gradients of params after a
// run of their graph, for clipping and the optimizer.
func paramData(params []student.Param) (vals, grads [][]float32, err error) {
	vals, grads = make([][]float32, len(params)), make([][]float32, len(params))
	for i, p := range params {
		g, err := p.Node.Grad()
		if err != nil {
			return nil, nil, fmt.Errorf("training: gradient of %s: %w", p.Name, err)
		}
		var okV, okG bool
		vals[i], okV = float32s(p.Node.Value())
		grads[i], okG = float32s(g)
		if !okV || !okG {
			return nil, nil, fmt.Errorf("training: %s: value %T, gradient %T, want float32 tensors", p.Name, p.Node.Value(), g)
		}
	}
	return vals, grads, nil
}

// float32s returns the backing slice of a float32 dense tensor. It uses
// Float32s: Dense.Data builds the slice through reflect, two allocations
// a call.
func float32s(v G.Value) ([]float32, bool) {
	if d, ok := v.(*tensor.Dense); ok && d.Dtype() == tensor.Float32 {
		return d.Float32s(), true
	}
	return nil, false
}

// scalarOf returns a float32 scalar value as float64 (NaN when unset).
func scalarOf(v G.Value) float64 {
	switch x := v.(type) {
	case *G.F32:
		return float64(*x)
	case *tensor.Dense:
		if d, ok := float32s(x); ok && len(d) == 1 {
			return float64(d[0])
		}
	}
	return nan
}

// sparsity returns SPLADE's mean non-zero weights per query and per
// document of the last run, and the share of zero document weights.
func (tg *trainGraph) sparsity() (nnzQ, nnzD, zeroShare float64) {
	count := func(v G.Value) (float64, int, int) {
		t, ok := v.(*tensor.Dense)
		if !ok || t.Dims() != 2 {
			return nan, 0, 0
		}
		nz := 0
		d, _ := float32s(t)
		for _, x := range d {
			if x != 0 {
				nz++
			}
		}
		rows, cols := t.Shape()[0], t.Shape()[1]
		return float64(nz) / float64(rows), nz, rows * cols
	}
	nnzQ, _, _ = count(tg.wq)
	nnzD, nz, all := count(tg.wd)
	if all > 0 {
		zeroShare = 1 - float64(nz)/float64(all)
	}
	return nnzQ, nnzD, zeroShare
}
