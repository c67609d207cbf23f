package retrieval

import "github.com/distill-ml/distill/internal/topk"

// hitsOf empties a heap of candidates into hits, best first, naming
// documents by ids.
func hitsOf(h *topk.Heap[candidate], ids []string) []Hit {
	best := h.Drain()
	out := make([]Hit, len(best))
	for i, c := range best {
		out[i] = Hit{DocID: ids[c.doc], Score: c.score}
	}
	return out
}
