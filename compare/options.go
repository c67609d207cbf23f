package compare

import (
	"fmt"
	"slices"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/internal/progress"
	"github.com/distill-ml/distill/metrics"
	"github.com/distill-ml/distill/report"
)

// Modes of a student's rows.
const (
	ModeRetrieve = "retrieve" // full-corpus first stage (SPLADE inverted index, ColBERT exact MaxSim)
	ModeRerank   = "rerank"   // rerank the first stage's top Depth, as the teacher does
	ModeBoth     = "both"     // both rows (Run's default)
)

// Options configures a comparison.
type Options struct {
	// Test queries, the corpus and the judgements.
	Queries, Corpus, Qrels string
	// Candidates is a first-stage run to use instead of the built-in BM25
	// (its row is then named "first stage").
	Candidates string
	// Depth is the first stage's depth: BM25's candidates per query, which
	// the teacher and the student rerankers rerank (default 100).
	Depth int
	// RetrieveDepth is how many documents per query a student retrieving
	// from the whole corpus returns (default Depth).
	RetrieveDepth int
	// Mode selects the student rows: ModeRetrieve, ModeRerank or ModeBoth
	// (Run's default; Retrieve's is ModeRetrieve and it refuses ModeBoth).
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
	// teacher (Kendall τ, Spearman ρ, best-margin MSE).
	Labels string
	// CacheDir keeps the student indexes (sparse index, token embeddings)
	// between runs, keyed by the checkpoint's sha256.
	CacheDir string
	Report   report.Options
	Log      *zap.Logger
	// Console shows a progress bar (or periodic log lines) for every stage:
	// encoding the corpus, each row's queries. Nil: none.
	Console *progress.Console
}

// bar starts the progress bar of a stage (nil without a console).
func (o *Options) bar(stage string, total int, unit string) *progress.Bar {
	return o.Console.Start(stage, 0, int64(total), unit)
}

func (o *Options) defaults() error {
	if o.Queries == "" || o.Corpus == "" || o.Qrels == "" {
		return fmt.Errorf("compare: queries, corpus and qrels are required")
	}
	if o.Mode == "" {
		o.Mode = ModeBoth
	}
	if err := o.retrieveDefaults(); err != nil {
		return err
	}
	if len(o.Report.Measures) == 0 {
		o.Report.Measures = o.defaultMeasures()
	}
	return nil
}

// defaultMeasures are MRR@10, nDCG@10 and the recall at every list depth
// of the comparison (the first stage's, the retrievers', the multi-stage
// rows'), so that no recall column is cut deeper than its rows' lists.
func (o *Options) defaultMeasures() []metrics.Measure {
	ms := []metrics.Measure{metrics.MRR10, metrics.NDCG10}
	depths := []int{o.Depth}
	if o.Mode != ModeRerank {
		depths = append(depths, o.RetrieveDepth)
	}
	if o.TeacherModel != "" {
		depths = append(depths, o.StageDepth)
	}
	slices.Sort(depths)
	for _, k := range slices.Compact(depths) {
		ms = append(ms, metrics.RecallAt(k))
	}
	return ms
}

// retrieveDefaults checks what Retrieve needs (no judgements).
func (o *Options) retrieveDefaults() error {
	if o.Queries == "" || o.Corpus == "" {
		return fmt.Errorf("compare: queries and corpus are required")
	}
	if o.Depth == 0 {
		o.Depth = 100
	}
	if o.RetrieveDepth == 0 {
		o.RetrieveDepth = o.Depth
	}
	if o.Depth < 0 || o.RetrieveDepth < 0 || o.StageDepth < 0 {
		return fmt.Errorf("compare: depths must be positive (depth %d, retrieve depth %d, stage depth %d)", o.Depth, o.RetrieveDepth, o.StageDepth)
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
	case ModeRetrieve, ModeRerank, ModeBoth:
	default:
		return fmt.Errorf("compare: mode %q: want %s, %s or %s", o.Mode, ModeRetrieve, ModeRerank, ModeBoth)
	}
	if (o.TeacherModel == "") != (o.TeacherTokenizer == "") {
		return fmt.Errorf("compare: the teacher needs both a model and its tokenizer")
	}
	if o.Log == nil {
		o.Log = zap.NewNop()
	}
	return nil
}
