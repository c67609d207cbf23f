package datasets

import "path/filepath"

// Cranfield file names inside the collection folder.
const (
	CranfieldDocs    = "cran.all.1400"
	CranfieldQueries = "cran.qry"
	CranfieldQrels   = "cranqrel"
)

// CranfieldGrade maps a cranqrel grade to a relevance where higher is more
// relevant:
//
//	cranqrel grade   meaning (Cleverdon)                      relevance
//	1                complete answer to the question          4
//	2                high degree of relevance                 3
//	3                useful as background                     2
//	4                minimum interest                         1
//	-1               the query's source document, ungraded    dropped
//
// Every query has exactly one -1 line, naming the paper the question was
// written from (query 1 "similarity laws ... aeroelastic models of heated
// high speed aircraft" → document 486 "similarity laws for aerothermoelastic
// testing"). The file QRelsCorrectedforTRECeval shipped with the collection
// maps grades 1..4 to 4..1 exactly as here, but -1 to 5, ranking the source
// paper above the complete answers; no assessor graded those pairs, so they
// are dropped here rather than invented.
func CranfieldGrade(raw int) (rel int, keep bool) {
	if raw < 1 || raw > 4 {
		return 0, false
	}
	return 5 - raw, true
}

// CranfieldOptions are the SMARTOptions ConvertCranfield uses: cranqrel
// triples graded by CranfieldGrade, queries numbered 1..225 in file order
// (cran.qry's .I values skip numbers, cranqrel counts queries in file order),
// and the Keep policy, because documents 471 and 995 are empty in the
// original and are kept (995 is judged for query 125).
func CranfieldOptions() SMARTOptions {
	return SMARTOptions{
		Split:              DefaultSplit,
		QrelsLayout:        QrelsTriples,
		SequentialQueryIDs: true,
		Grade:              CranfieldGrade,
		Policy:             Keep,
	}
}

// ConvertCranfield converts the Cranfield collection in srcDir (cran.all.1400,
// cran.qry, cranqrel) into a BEIR folder at outDir: 1400 documents with ids
// "1".."1400", 225 queries with ids "1".."225", and qrels/test.tsv with the
// 1612 graded judgements (of 1837 lines) (see CranfieldGrade). The two empty documents are
// counted in Stats.Report.EmptyText.
func ConvertCranfield(srcDir, outDir string) (Stats, error) {
	return ConvertSMART(filepath.Join(srcDir, CranfieldDocs), filepath.Join(srcDir, CranfieldQueries),
		filepath.Join(srcDir, CranfieldQrels), outDir, CranfieldOptions())
}
