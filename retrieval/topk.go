package retrieval

// topK keeps the k best candidates seen so far in a binary heap whose root is
// the worst of them, so a candidate that does not enter costs one comparison.
// A topK is not safe for concurrent use.
type topK struct {
	k    int
	heap []candidate
}

// reset empties t and sets its capacity to k.
func (t *topK) reset(k int) {
	t.k = k
	t.heap = t.heap[:0]
}

// offer considers a candidate.
func (t *topK) offer(c candidate) {
	if len(t.heap) < t.k {
		t.heap = append(t.heap, c)
		t.up(len(t.heap) - 1)
		return
	}
	if t.k == 0 || !before(c, t.heap[0]) {
		return
	}
	t.heap[0] = c
	t.down(0)
}

// merge offers every candidate of o.
func (t *topK) merge(o *topK) {
	for _, c := range o.heap {
		t.offer(c)
	}
}

// worse reports whether heap[i] ranks below heap[j].
func (t *topK) worse(i, j int) bool { return before(t.heap[j], t.heap[i]) }

func (t *topK) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !t.worse(i, parent) {
			return
		}
		t.heap[i], t.heap[parent] = t.heap[parent], t.heap[i]
		i = parent
	}
}

func (t *topK) down(i int) {
	n := len(t.heap)
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < n && t.worse(l, worst) {
			worst = l
		}
		if r < n && t.worse(r, worst) {
			worst = r
		}
		if worst == i {
			return
		}
		t.heap[i], t.heap[worst] = t.heap[worst], t.heap[i]
		i = worst
	}
}

// hits empties the heap into hits, best first, naming documents by ids.
func (t *topK) hits(ids []string) []Hit {
	out := make([]Hit, len(t.heap))
	for i := len(out) - 1; i >= 0; i-- {
		worst := t.heap[0]
		out[i] = Hit{DocID: ids[worst.doc], Score: worst.score}
		last := len(t.heap) - 1
		t.heap[0] = t.heap[last]
		t.heap = t.heap[:last]
		t.down(0)
	}
	return out
}
