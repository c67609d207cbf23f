package datasets

// ForEachDocument calls fn for each document of a corpus file, in file order,
// without holding the file in memory. The format comes from the extension
// (see FormatOf). An error from fn stops the reading and is returned as is.
func ForEachDocument(path string, fn func(Document) error) error {
	return (*Validator)(nil).ForEachDocument(path, fn)
}

// ReadCorpus reads a whole corpus file.
func ReadCorpus(path string) ([]Document, error) {
	return (*Validator)(nil).ReadCorpus(path)
}

// ForEachDocument is the package-level ForEachDocument with the Validator's
// checks. A document is blank when both its title and text are.
func (v *Validator) ForEachDocument(path string, fn func(Document) error) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	return withLines(path, func(lr *lineReader) error {
		return v.forEachDocument(lr, f, fn)
	})
}

// ReadCorpus is the package-level ReadCorpus with the Validator's checks.
func (v *Validator) ReadCorpus(path string) ([]Document, error) {
	var docs []Document
	err := v.ForEachDocument(path, func(d Document) error {
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return docs, nil
}

func (v *Validator) forEachDocument(lr *lineReader, f Format, fn func(Document) error) error {
	seen := seenLines{}
	return v.forEachTextRecord(lr, f, true, func(rec textRecord) error {
		d := Document{ID: rec.id, Title: rec.title, Text: rec.text}
		keep, err := v.checkTextRecord(lr.file, idField(f), rec, d.FullText(), seen)
		if err != nil || !keep {
			return err
		}
		return fn(d)
	})
}
