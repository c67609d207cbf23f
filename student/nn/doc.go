// Package nn provides the fused, differentiable float32 operations the
// student models are built from: Linear, BiasGELU, LayerNorm, multi-head
// attention, the embedding sum, L2 normalisation, ColBERT's MaxSim and
// SPLADE's tiled vocabulary head.
//
// Each operation is a Kernel: a forward pass that keeps the little state its
// backward pass needs (softmax probabilities, argmax indices, row statistics)
// and a hand-written backward pass that returns the gradients of all inputs
// at once. Large products go through the gonum blas32 implementation, which
// the openblas build tag swaps for OpenBLAS; without it, where the CPU has
// AVX2 and FMA, Sgemm is this package's blocked product around an assembly
// micro-kernel (goGEMM).
//
// Apply wraps a Kernel as a gorgonia operation with symbolic gradients, so a
// graph built from kernels trains with gorgonia.Grad and a TapeMachine. A
// kernel's Forward may also be called directly (train=false) for inference
// without a graph.
package nn
