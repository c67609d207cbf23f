package compare

import (
	"fmt"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/report"
)

// Modes of a student row.
const (
	ModeRetrieve = "retrieve" // full-corpus first stage (SPLADE inverted index, ColBERT exact MaxSim)
	ModeRerank   = "rerank"   // rerank BM25's top Depth
)

// Options configures a comparison.
type Options struct {
	// Test queries, the corpus and the judgements.
	Queries, Corpus, Qrels string
	// Candidates is a first-stage run to use instead of the built-in BM25
	// (its row is then named "first stage").
	Candidates string
	// Depth is the number of candidates per query: BM25's depth, and what
	// rerankers rerank (default 100).
	Depth int
	// Mode is ModeRetrieve (default) or ModeRerank for the student rows.
	Mode string
	// TeacherModel and TeacherTokenizer add the teacher rows: the
	// cross-encoder reranking BM25's top Depth, and after each student the
	// cross-encoder reranking the student's top StageDepth.
	TeacherModel, TeacherTokenizer string
	StageDepth                     int
	MaxLength                      int
	Threads                        int
	ORTLib                         string
	// Labels, when set, are teacher labels of the test queries' candidates:
	// the systems' scores of the same candidates give agreement with the
	// teacher (Kendall τ, Spearman ρ, Margin-MSE).
	Labels string
	// CacheDir keeps the student indexes (sparse index, token embeddings)
	// between runs, keyed by the checkpoint's sha256.
	CacheDir string
	Report   report.Options
	Log      *zap.Logger
}

func (o *Options) defaults() error {
	if o.Queries == "" || o.Corpus == "" || o.Qrels == "" {
		return fmt.Errorf("compare: queries, corpus and qrels are required")
	}
	return o.retrieveDefaults()
}

// retrieveDefaults checks what Retrieve needs (no judgements).
func (o *Options) retrieveDefaults() error {
	if o.Queries == "" || o.Corpus == "" {
		return fmt.Errorf("compare: queries and corpus are required")
	}
	if o.Depth == 0 {
		o.Depth = 100
	}
	if o.StageDepth == 0 {
		o.StageDepth = 20
	}
	if o.MaxLength == 0 {
		o.MaxLength = 256
	}
	switch o.Mode {
	case "":
		o.Mode = ModeRetrieve
	case ModeRetrieve, ModeRerank:
	default:
		return fmt.Errorf("compare: mode %q: want %s or %s", o.Mode, ModeRetrieve, ModeRerank)
	}
	if (o.TeacherModel == "") != (o.TeacherTokenizer == "") {
		return fmt.Errorf("compare: the teacher needs both a model and its tokenizer")
	}
	if o.Log == nil {
		o.Log = zap.NewNop()
	}
	return nil
}
