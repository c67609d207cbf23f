package bm25

// scored is a hit by document ordinal, used while ranking.
type scored struct {
	doc   int32
	score float64
}

// before reports whether a ranks above b: higher score first, then smaller
// document id (byte order), so rankings do not depend on insertion order.
func (ix *Index) before(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return ix.ids[a.doc] < ix.ids[b.doc]
}
