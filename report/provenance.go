package report

// RunProvenance records what a comparison ran on, so that every number of
// the report can be traced to its inputs: distill's version, the date, and
// each input file with its sha256 (the model of each system is in its Row).
type RunProvenance struct {
	DistillVersion string  `json:"distill_version"`
	Created        string  `json:"created"` // RFC 3339, UTC
	Inputs         []Input `json:"inputs"`
}

// Input is one file a comparison read.
type Input struct {
	// Role says what the file is: "queries", "corpus", "qrels", "labels",
	// "teacher", "teacher tokenizer", "candidates".
	Role   string `json:"role"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256,omitempty"`
}
