package student

// Kind names a student model family. Its values are the strings that files
// record: Config's "kind" in checkpoint JSON, training's "arch" in
// config.yaml, the checkpoint manifest's "architecture".
type Kind string

// The student kinds New builds.
const (
	KindColBERT      Kind = "colbert"      // late interaction: MaxSim over token embeddings
	KindSPLADE       Kind = "splade"       // sparse vocabulary weights, dot product
	KindCrossEncoder Kind = "crossencoder" // a joint [CLS] q [SEP] d [SEP] reader (a fine-tuned teacher)
)

// Kinds lists every kind, in the order help texts and errors name them.
var Kinds = []Kind{KindColBERT, KindSPLADE, KindCrossEncoder}
