// Package topk keeps the k best items of a stream: the top-k selection behind
// every search in distill (BM25, SPLADE, ColBERT MaxSim).
package topk

// Heap keeps the K best items offered so far in a binary heap whose root is
// the worst of them, so an item that does not enter costs one comparison.
// Before(a, b) reports whether a ranks above b; it must be a strict total
// order for results to be deterministic. A Heap is not safe for concurrent
// use.
type Heap[T any] struct {
	K      int
	Before func(a, b T) bool
	items  []T
}

// New returns a heap for the k best items under before.
func New[T any](k int, before func(a, b T) bool) *Heap[T] {
	return &Heap[T]{K: k, Before: before}
}

// Reset empties h, keeping its storage, and sets its capacity to k.
func (h *Heap[T]) Reset(k int) {
	h.K = k
	h.items = h.items[:0]
}

// Len returns the number of items kept.
func (h *Heap[T]) Len() int { return len(h.items) }

// Offer considers an item.
func (h *Heap[T]) Offer(x T) {
	if len(h.items) < h.K {
		h.items = append(h.items, x)
		h.up(len(h.items) - 1)
		return
	}
	if h.K == 0 || !h.Before(x, h.items[0]) {
		return
	}
	h.items[0] = x
	h.down(0)
}

// Merge offers every item of o.
func (h *Heap[T]) Merge(o *Heap[T]) {
	for _, x := range o.items {
		h.Offer(x)
	}
}

// Drain empties h and returns its items, best first.
func (h *Heap[T]) Drain() []T {
	out := make([]T, len(h.items))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = h.items[0]
		last := len(h.items) - 1
		h.items[0] = h.items[last]
		h.items = h.items[:last]
		h.down(0)
	}
	return out
}

// worse reports whether items[i] ranks below items[j].
func (h *Heap[T]) worse(i, j int) bool { return h.Before(h.items[j], h.items[i]) }

func (h *Heap[T]) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.worse(i, parent) {
			return
		}
		h.items[i], h.items[parent] = h.items[parent], h.items[i]
		i = parent
	}
}

func (h *Heap[T]) down(i int) {
	n := len(h.items)
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < n && h.worse(l, worst) {
			worst = l
		}
		if r < n && h.worse(r, worst) {
			worst = r
		}
		if worst == i {
			return
		}
		h.items[i], h.items[worst] = h.items[worst], h.items[i]
		i = worst
	}
}
