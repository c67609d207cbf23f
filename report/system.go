package report

import (
	"time"

	"github.com/distill-ml/distill/datasets"
)

// System is one row of a comparison: a checkpoint or a baseline, measured on
// the test queries. Only Name and Run are required.
type System struct {
	// Name labels the row; it must be unique within a comparison.
	Name string
	// Kind is the model family: "bm25", "teacher", "colbert", "splade",
	// "colbert+teacher", ...
	Kind string
	// Run is the system's ranking of the test queries.
	Run datasets.Run
	// Depth is how many documents per query the system was asked for (a
	// first stage's depth, what a reranker reranked). A measure cut off
	// deeper, such as recall_100 of a list of 20, would be the measure at
	// Depth under another name: it is left out of the row. 0: unknown,
	// every measure is reported.
	Depth int
	// Scores maps query id → document id → the system's score of the
	// held-out teacher-labelled candidates, for agreement. Optional.
	Scores map[string]map[string]float32
	// Latencies are per-query search times, query encoding included. Optional.
	Latencies []time.Duration
	// IndexBytes is the size of the index on disk; 0 when unknown.
	IndexBytes int64
	// AvgNonZeros is the average number of non-zero weights of a SPLADE
	// vector, and FLOPS its expected dot-product cost; nil when not
	// applicable (write new(x) to set one).
	AvgNonZeros *float64
	FLOPS       *float64
	// Steps is the number of training steps of the checkpoint; 0 when not
	// applicable.
	Steps int
	// LabelsUsed names the teacher labels the checkpoint was trained on.
	LabelsUsed string
	// CheckpointDir is the checkpoint's folder (or the teacher's model file),
	// and ModelSHA256 the sha256 of its weights; both optional.
	CheckpointDir string
	ModelSHA256   string
	// MetricsLog is the path of the training log, JSON lines such as
	//	{"step":100,"loss":0.5,"lr":1e-4,"val_mrr10":0.31}
	// Optional; see ReadTrainingLog.
	MetricsLog string
}
