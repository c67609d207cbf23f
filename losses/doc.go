// Package losses builds the training objectives distill uses to distil a
// cross-encoder teacher into ColBERT and SPLADE students, as gorgonia graph
// nodes, together with plain-Go reference values of the same formulas.
//
// Every loss takes the student's scores as *gorgonia.Node (Float32 for
// training, Float64 for gradient checks: a builder follows the dtype of the
// student nodes) and returns a scalar node. Teacher scores are labels read from
// disk; they are given either as a node of the same shape and dtype (an input
// node set with gorgonia.Let each step, so the graph is built once) or as a
// row-major []float32 / []float64 slice whose values become a fresh,
// uniquely named input node of the student's graph (gorgonia merges nodes of
// equal name, so the slice form suits graphs built once per batch).
//
//	MarginMSE      mean_i ((s⁺_i − s⁻_i) − (t⁺_i − t⁻_i))²          pairs, teacher margins (default)
//	KLDivergence   mean_i Σ_j p_ij (log p_ij − log softmax(s_i)_j)   n-way groups, p_i = softmax(t_i/τ)
//	PairwiseCE     mean_i log(1 + exp(s⁻_i − s⁺_i))                  pairs, no teacher (baseline)
//	FLOPS          Σ_j (mean_i |w_ij|)²                               SPLADE sparsity regulariser
//
// Each XxxValue function computes the same quantity in float64 from plain
// slices; evaluation uses them and the tests check that graph and reference
// agree.
package losses
