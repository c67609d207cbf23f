package datasets

import "strings"

// Texts is a text store: the texts of some queries and documents, by id, as
// a model reads them (a document's FullText). ReadTexts fills it; the
// teacher, the trainer, the reranker and compare all read their texts
// through it.
type Texts struct {
	Queries map[string]string // query id → text
	Docs    map[string]string // document id → Document.FullText
	// QueryIDs and DocIDs are the ids kept, in file order; an id the file
	// repeats is listed once, at its first place, with its last text.
	QueryIDs, DocIDs []string
	// RepeatedQueries and RepeatedDocs are the kept ids a file lists more
	// than once, each once, in the order of their second appearance: for
	// callers to which a repeated id is an error (compare, whose indexes
	// take each document once).
	RepeatedQueries, RepeatedDocs []string
	// CorpusDocs counts the documents of the corpus file, kept or not.
	CorpusDocs int
	// BlankQueries and BlankDocs count the wanted records whose text is
	// only white space, left out under TextWant.SkipBlank.
	BlankQueries, BlankDocs int
}

// TextWant says which texts ReadTexts keeps.
type TextWant struct {
	// Queries and Docs are the ids to keep; nil keeps every one.
	Queries, Docs IDSet
	// SkipBlank leaves out texts that are only white space (counted), so
	// that they read as missing.
	SkipBlank bool
}

// ReadTexts reads the wanted queries of queriesPath and documents of
// corpusPath (an empty path reads nothing of that side). Both files are
// streamed, so memory follows the wanted ids, not the corpus.
func ReadTexts(queriesPath, corpusPath string, want TextWant) (*Texts, error) {
	qs := textSide{want: want.Queries, texts: map[string]string{}}
	ds := textSide{want: want.Docs, texts: map[string]string{}}
	if queriesPath != "" {
		err := ForEachQuery(queriesPath, func(q Query) error {
			if qs.wants(q.ID) {
				qs.keep(q.ID, q.Text, want.SkipBlank)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	corpusDocs := 0
	if corpusPath != "" {
		err := ForEachDocument(corpusPath, func(d Document) error {
			corpusDocs++
			if ds.wants(d.ID) { // before FullText, which joins title and text
				ds.keep(d.ID, d.FullText(), want.SkipBlank)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return &Texts{Queries: qs.texts, Docs: ds.texts, QueryIDs: qs.ids, DocIDs: ds.ids,
		RepeatedQueries: qs.repeated, RepeatedDocs: ds.repeated,
		CorpusDocs: corpusDocs, BlankQueries: qs.blank, BlankDocs: ds.blank}, nil
}

// textSide collects the texts of one file.
type textSide struct {
	want  IDSet
	texts map[string]string
	ids   []string
	blank int
	// repeated lists the ids kept more than once; isRepeated holds them.
	repeated   []string
	isRepeated map[string]bool
}

// wants reports whether id is one to keep.
func (s *textSide) wants(id string) bool { return s.want == nil || s.want.Has(id) }

// keep records the text of a wanted id.
func (s *textSide) keep(id, text string, skipBlank bool) {
	if skipBlank && strings.TrimSpace(text) == "" {
		s.blank++
		return
	}
	if _, seen := s.texts[id]; !seen {
		s.ids = append(s.ids, id)
	} else if !s.isRepeated[id] {
		if s.isRepeated == nil {
			s.isRepeated = map[string]bool{}
		}
		s.isRepeated[id] = true
		s.repeated = append(s.repeated, id)
	}
	s.texts[id] = text
}
