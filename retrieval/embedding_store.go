package retrieval

import (
	"fmt"
	"slices"
	"sync"
)

// maxSimBlockTokens is the target number of token vectors per document
// block of MaxSim: a 32-token query against a block needs a 32×2048 float32
// similarity matrix (256 KiB), which stays in L2 cache.
const maxSimBlockTokens = 2048

// EmbeddingStore holds the token embeddings of a corpus in memory, in one
// row-major matrix, for exact MaxSim search. It is immutable once built or
// opened, and safe for concurrent use.
type EmbeddingStore struct {
	key     string
	dim     int
	ids     []string  // by insertion order
	offsets []int64   // token rows of document i: offsets[i]:offsets[i+1]
	vecs    []float32 // all token vectors, Tokens()×dim
	rank    []int32   // rank[i]: position of ids[i] in id order (ties)
	byID    []int32   // documents in id order: the inverse of rank
	blocks  []docBlock
	sims    sync.Pool // *[]float32 of at least maxBlock × query tokens
}

// docBlock is a run of consecutive documents scored by one matrix product.
type docBlock struct {
	first, end int32 // documents [first, end)
	tokens     int   // token rows of those documents
}

// BuildEmbeddingStore returns an in-memory store of the documents build
// passes to add (see LoadOrBuild for the on-disk cache). The first document
// fixes the dimension; every vector is copied.
func BuildEmbeddingStore(key string, build func(add func(TokenEmbeddings) error) error) (*EmbeddingStore, error) {
	s := &EmbeddingStore{key: key, offsets: []int64{0}}
	seen := map[string]struct{}{}
	add := func(e TokenEmbeddings) error {
		if err := e.Validate(); err != nil {
			return err
		}
		if s.dim == 0 {
			s.dim = e.Dim
		} else if e.Dim != s.dim {
			return &InputError{DocID: e.DocID, Field: "dim", Index: -1, Reason: fmt.Sprintf("%d, the store holds %d", e.Dim, s.dim)}
		}
		if _, dup := seen[e.DocID]; dup {
			return fmt.Errorf("%w %q", ErrDuplicateDoc, e.DocID)
		}
		seen[e.DocID] = struct{}{}
		s.ids = append(s.ids, e.DocID)
		s.vecs = append(s.vecs, e.Vectors...)
		s.offsets = append(s.offsets, int64(len(s.vecs)/s.dim))
		return nil
	}
	if err := build(add); err != nil {
		return nil, err
	}
	s.index()
	return s, nil
}

// index computes the tie ranks and the document blocks.
func (s *EmbeddingStore) index() {
	order := make([]int32, len(s.ids))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if s.ids[a] < s.ids[b] {
			return -1
		}
		return 1
	})
	s.rank = make([]int32, len(s.ids))
	for r, i := range order {
		s.rank[i] = int32(r)
	}
	s.byID = order
	s.blocks = s.blocks[:0]
	maxTokens := 0
	for first := 0; first < len(s.ids); {
		end := first + 1
		for end < len(s.ids) && s.offsets[end+1]-s.offsets[first] <= maxSimBlockTokens {
			end++
		}
		b := docBlock{first: int32(first), end: int32(end), tokens: int(s.offsets[end] - s.offsets[first])}
		s.blocks = append(s.blocks, b)
		maxTokens = max(maxTokens, b.tokens)
		first = end
	}
	s.sims.New = func() any {
		buf := make([]float32, 0, 32*maxTokens)
		return &buf
	}
}

// Key returns the cache key (for example the checkpoint's sha256).
func (s *EmbeddingStore) Key() string { return s.key }

// Dim returns the dimension of the token vectors (0 for an empty store).
func (s *EmbeddingStore) Dim() int { return s.dim }

// Len returns the number of documents.
func (s *EmbeddingStore) Len() int { return len(s.ids) }

// Tokens returns the number of stored token vectors.
func (s *EmbeddingStore) Tokens() int64 { return s.offsets[len(s.ids)] }

// Bytes returns the size of the embeddings: Tokens × Dim × 4 bytes.
func (s *EmbeddingStore) Bytes() int64 { return s.Tokens() * int64(s.dim) * 4 }

// Document returns the i-th document added (0 ≤ i < Len). Its Vectors share
// the store's memory and must not be modified.
func (s *EmbeddingStore) Document(i int) TokenEmbeddings {
	lo, hi := s.offsets[i]*int64(s.dim), s.offsets[i+1]*int64(s.dim)
	return TokenEmbeddings{DocID: s.ids[i], Dim: s.dim, Vectors: s.vecs[lo:hi:hi]}
}
