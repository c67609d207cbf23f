package datasets

// Query is one search query.
type Query struct {
	ID   string
	Text string
}

// Document is one corpus entry. Title may be empty; Text is the body.
type Document struct {
	ID    string
	Title string
	Text  string
}

// FullText is the text a model reads for the document: the title and the body
// joined by a space (the sentence-transformers / BEIR convention), or the body
// alone when there is no title.
func (d Document) FullText() string {
	if d.Title == "" {
		return d.Text
	}
	if d.Text == "" {
		return d.Title
	}
	return d.Title + " " + d.Text
}

// RunEntry is one line of a TREC run: a document retrieved for a query.
type RunEntry struct {
	QueryID string
	DocID   string
	Rank    int
	Score   float64
	Tag     string
}

// Qrel is one relevance judgement: a graded label of a document for a query.
type Qrel struct {
	QueryID   string
	DocID     string
	Relevance int
}

// Run is a TREC run: for each query id, its retrieved documents in rank order
// (rank 1 first).
type Run map[string][]RunEntry

// Qrels maps query id → document id → graded relevance.
type Qrels map[string]map[string]int
