package bertonnx

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/distill-ml/distill/checkpoints"
)

// RandomWeights returns seeded random weights for cfg; the same (cfg, seed)
// always gives the same weights. Each tensor draws from its own stream,
// seeded by seed and the tensor's name, so tensors do not shift when the
// number of layers changes.
//
// The distribution departs from BERT's initialisation (every weight
// N(0, 0.02²), LayerNorm γ = 1, β = 0, biases 0) where that would make a
// useless test model: with 0.02 weights attention is nearly uniform, every
// [CLS] vector is nearly the same and all logits are ≈ 0, so rankings would be
// decided by rounding noise. Instead
//
//	embeddings                         N(0, 0.02²)     (as BERT; LayerNorm follows)
//	Linear weight [out, in]            N(0, 1/in)      (keeps unit variance through each layer)
//	attention value and output weight  N(0, 4/in)      (attention outweighs the residual, so
//	                                                     [CLS] depends on the other tokens)
//	classifier weight                  N(0, 16/Hidden) (logits spread over a few units)
//	Linear bias                        N(0, 0.02²)
//	LayerNorm γ, β                     1 + N(0, 0.1²), N(0, 0.05²)
//
// Non-zero biases and non-trivial γ, β make every parameter matter, so a
// writer that drops or swaps one is caught by comparison with Forward.
//
// RandomWeights panics if cfg is invalid.
func RandomWeights(cfg Config, seed int64) Weights {
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	w := make(Weights)
	for _, sp := range Specs(cfg) {
		h := fnv.New64a()
		h.Write([]byte(sp.Name))
		rng := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
		mean, std := initDistribution(cfg, sp)
		data := make([]float32, numel(sp.Shape))
		for i := range data {
			data[i] = float32(mean + std*rng.NormFloat64())
		}
		w[sp.Name] = checkpoints.Tensor{Shape: sp.Shape, Data: data}
	}
	return w
}

// initDistribution returns the mean and standard deviation RandomWeights
// draws tensor sp from.
func initDistribution(cfg Config, sp TensorSpec) (mean, std float64) {
	isNorm := strings.Contains(sp.Name, "LayerNorm.")
	switch {
	case strings.HasPrefix(sp.Name, "bert.embeddings.") && !isNorm:
		return 0, 0.02
	case isNorm && strings.HasSuffix(sp.Name, ".weight"):
		return 1, 0.1
	case isNorm:
		return 0, 0.05
	case strings.HasSuffix(sp.Name, ".bias"):
		return 0, 0.02
	case sp.Name == nameClassifier+".weight":
		return 0, 4 / math.Sqrt(float64(cfg.Hidden))
	case strings.HasSuffix(sp.Name, nameValue+".weight") || strings.HasSuffix(sp.Name, nameAttnOut+".weight"):
		return 0, 2 / math.Sqrt(float64(sp.Shape[1]))
	}
	return 0, 1 / math.Sqrt(float64(sp.Shape[1]))
}
