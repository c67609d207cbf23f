package teacher

import "fmt"

// MissingTextError is returned by LoadInputs when candidates name queries
// or documents that have no text (absent, or blank) and
// InputOptions.SkipMissing is off.
type MissingTextError struct {
	Candidates, Queries, Corpus string // the three files
	MissingQueries              int
	QueryExamples               []string
	MissingDocs                 int
	DocExamples                 []string
}

func (e *MissingTextError) Error() string {
	return fmt.Sprintf("teacher: candidates %s name %d queries not in %s or with an empty text (e.g. %v) and %d documents not in %s or with an empty text (e.g. %v)",
		e.Candidates, e.MissingQueries, e.Queries, e.QueryExamples, e.MissingDocs, e.Corpus, e.DocExamples)
}
