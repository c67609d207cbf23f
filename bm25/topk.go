package bm25

// topK keeps the k best hits seen so far in a binary heap whose root is the
// worst of them, so each candidate costs one comparison unless it enters.
type topK struct {
	ix   *Index
	k    int
	heap []scored
}

// offer considers a candidate.
func (t *topK) offer(c scored) {
	if len(t.heap) < t.k {
		t.heap = append(t.heap, c)
		t.up(len(t.heap) - 1)
		return
	}
	if !t.ix.before(c, t.heap[0]) {
		return
	}
	t.heap[0] = c
	t.down(0)
}

// worse reports whether heap[i] ranks below heap[j].
func (t *topK) worse(i, j int) bool { return t.ix.before(t.heap[j], t.heap[i]) }

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

// hits empties the heap into hits, best first.
func (t *topK) hits() []Hit {
	out := make([]Hit, len(t.heap))
	for i := len(out) - 1; i >= 0; i-- {
		best := t.heap[0]
		out[i] = Hit{DocID: t.ix.ids[best.doc], Score: best.score}
		last := len(t.heap) - 1
		t.heap[0] = t.heap[last]
		t.heap = t.heap[:last]
		t.down(0)
	}
	return out
}
