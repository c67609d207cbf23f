package retrieval

import (
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/internal/topk"
)

// hitsOf empties a heap of candidates into hits, best first, naming
// documents by ids.
func hitsOf(h *topk.Heap[candidate], ids []string) []datasets.Hit {
	best := h.Drain()
	out := make([]datasets.Hit, len(best))
	for i, c := range best {
		out[i] = datasets.Hit{DocID: ids[c.doc], Score: float64(c.score)}
	}
	return out
}
