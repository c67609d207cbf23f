package retrieval

// candidate is a document while ranking: its ordinal in the index, its
// position in document-id order (which breaks ties) and its score.
type candidate struct {
	doc   int32
	tie   int32
	score float32
}

// before reports whether a ranks above b: higher score first, then smaller
// document id.
func before(a, b candidate) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.tie < b.tie
}
