package ranker

import (
	"fmt"
	"path/filepath"

	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/retrieval"
)

// encodeBatch is the number of documents encoded per call when indexing.
const encodeBatch = 64

// IndexOptions configures BuildIndex.
type IndexOptions struct {
	// CacheDir, when set, keeps the index on disk in a folder of CacheDir
	// named by the model's kind and weights ("colbert-" or "splade-" and the
	// first 16 hex digits of the weights' sha256), and loads it from there
	// when it was built before.
	CacheDir string
	// Progress, when set, is called with 0 when encoding starts (not when
	// the index is loaded from CacheDir), then with the number of documents
	// encoded after each batch.
	Progress func(docs int)
}

// Index is a corpus indexed by a Ranker's model: the top k documents of a
// query over the whole corpus, and a query's scores of given documents,
// query encoding included. A TokenEncoder's index keeps every document
// token's embedding (exact MaxSim), a SparseEncoder's is an inverted index.
//
// An Index is not safe for concurrent use.
type Index struct {
	enc *Encoder

	tokens TokenEncoder
	store  *retrieval.EmbeddingStore

	sparse   SparseEncoder
	inverted *retrieval.SparseIndex
	searched []retrieval.SparseVector // the queries Search saw, for FLOPS
}

// ModelSHA256 returns the sha256 of the checkpoint's weights file, which
// identifies the model (and keys its index caches), as its manifest records
// it (checkpoints.Load verified the file against it).
func (r *Ranker) ModelSHA256() (string, error) {
	m, err := checkpoints.ReadManifest(r.Checkpoint.Dir)
	if err != nil {
		return "", err
	}
	for _, f := range m.Files {
		if f.Path == checkpoints.ModelFile {
			return f.SHA256, nil
		}
	}
	return "", &checkpoints.FileError{Dir: r.Checkpoint.Dir, File: checkpoints.ModelFile, Err: fmt.Errorf("%w: not listed in the manifest", checkpoints.ErrCorrupt)}
}

// BuildIndex encodes the documents docIDs (their texts in texts, as
// datasets.Texts holds them) with the model, in batches, and indexes them.
// The model must be a TokenEncoder or a SparseEncoder; a cross-encoder
// cannot index (ErrKind).
func (r *Ranker) BuildIndex(docIDs []string, texts map[string]string, opts IndexOptions) (*Index, error) {
	ix := &Index{enc: r.Encoder}
	switch m := r.Model.(type) {
	case TokenEncoder:
		ix.tokens = m
	case SparseEncoder:
		ix.sparse = m
	default:
		return nil, fmt.Errorf("%w: cannot retrieve with a %s model", ErrKind, r.Kind())
	}
	key, err := r.ModelSHA256()
	if err != nil {
		return nil, err
	}
	dir := ""
	if opts.CacheDir != "" {
		dir = filepath.Join(opts.CacheDir, string(r.Kind())+"-"+key[:16])
	}
	// each encodes the documents batch by batch and hands each batch's ids
	// and token ids to add.
	each := func(add func(ids []string, seqs [][]int32) error) error {
		if opts.Progress != nil {
			opts.Progress(0)
		}
		for lo := 0; lo < len(docIDs); lo += encodeBatch {
			batch := docIDs[lo:min(lo+encodeBatch, len(docIDs))]
			seqs := make([][]int32, len(batch))
			for i, id := range batch {
				seqs[i] = r.Encoder.Doc(texts[id])
			}
			if err := add(batch, seqs); err != nil {
				return err
			}
			if opts.Progress != nil {
				opts.Progress(len(batch))
			}
		}
		return nil
	}
	if ix.tokens != nil {
		err = ix.buildTokens(dir, key, each)
	} else {
		err = ix.buildSparse(dir, key, each)
	}
	if err != nil {
		return nil, err
	}
	return ix, nil
}

func (ix *Index) buildTokens(dir, key string, each func(func([]string, [][]int32) error) error) error {
	build := func(add func(retrieval.TokenEmbeddings) error) error {
		return each(func(ids []string, seqs [][]int32) error {
			embs, err := ix.tokens.EncodeDocs(seqs)
			if err != nil {
				return err
			}
			for i, e := range embs {
				if err := add(retrieval.TokenEmbeddings{DocID: ids[i], Dim: ix.tokens.Dim(), Vectors: flatten(e)}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	var err error
	if dir != "" {
		ix.store, err = retrieval.LoadOrBuild(dir, key, build)
	} else {
		ix.store, err = retrieval.BuildEmbeddingStore(key, build)
	}
	return err
}

func (ix *Index) buildSparse(dir, key string, each func(func([]string, [][]int32) error) error) error {
	vocab := ix.sparse.VocabSize()
	build := func(add func(string, retrieval.SparseVector) error) error {
		return each(func(ids []string, seqs [][]int32) error {
			vs, err := ix.sparse.EncodeDocs(seqs)
			if err != nil {
				return err
			}
			for i, v := range vs {
				if err := add(ids[i], v); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if dir != "" {
		var err error
		ix.inverted, err = retrieval.LoadOrBuildSparseIndex(dir, key, vocab, build)
		return err
	}
	b := retrieval.NewSparseIndexBuilder(vocab)
	if err := build(b.Add); err != nil {
		return err
	}
	ix.inverted = b.Build()
	return nil
}

// flatten concatenates token vectors into one row-major slice.
func flatten(vs [][]float32) []float32 {
	var flat []float32
	for _, v := range vs {
		flat = append(flat, v...)
	}
	return flat
}

// Search returns the top k documents of the index for a query text.
func (ix *Index) Search(query string, k int) ([]datasets.Hit, error) {
	tq, sq, err := ix.encodeQuery(query)
	if err != nil {
		return nil, err
	}
	if ix.store != nil {
		return ix.store.MaxSimSearch(tq, k)
	}
	ix.searched = append(ix.searched, sq)
	return ix.inverted.Search(sq, k), nil
}

// Rerank returns the given documents of the index scored against a query
// text, best first (ties by document id).
func (ix *Index) Rerank(query string, docIDs []string) ([]datasets.Hit, error) {
	tq, sq, err := ix.encodeQuery(query)
	if err != nil {
		return nil, err
	}
	if ix.store != nil {
		return ix.store.MaxSimRerank(tq, docIDs)
	}
	return ix.inverted.Rerank(sq, docIDs)
}

// encodeQuery encodes a query text with the index's model: its token
// vectors, flattened, for a TokenEncoder's index, else its sparse vector.
func (ix *Index) encodeQuery(query string) (tokens []float32, sparse retrieval.SparseVector, err error) {
	ids := [][]int32{ix.enc.Query(query)}
	if ix.store != nil {
		qe, err := ix.tokens.EncodeQueries(ids)
		if err != nil {
			return nil, sparse, err
		}
		return flatten(qe[0]), sparse, nil
	}
	vs, err := ix.sparse.EncodeQueries(ids)
	if err != nil {
		return nil, sparse, err
	}
	return nil, vs[0], nil
}

// Bytes returns the size of the index's vectors in memory.
func (ix *Index) Bytes() int64 {
	if ix.store != nil {
		return ix.store.Bytes()
	}
	return ix.inverted.Stats().Bytes
}

// Sparsity returns, for a SparseEncoder's index, the mean number of
// non-zero weights per document and the FLOPS (expected multiplications per
// query–document pair) of the queries searched so far; ok is false for a
// TokenEncoder's index.
func (ix *Index) Sparsity() (avgNonZeros, flops float64, ok bool) {
	if ix.inverted == nil {
		return 0, 0, false
	}
	return ix.inverted.Stats().AvgNonZeros, ix.inverted.FLOPS(ix.searched), true
}
