package datasets

// ForEachQuery calls fn for each query of a queries file, in file order,
// without holding the file in memory. The format comes from the extension
// (see FormatOf). An error from fn stops the reading and is returned as is.
func ForEachQuery(path string, fn func(Query) error) error {
	return (*Validator)(nil).ForEachQuery(path, fn)
}

// ReadQueries reads a whole queries file.
func ReadQueries(path string) ([]Query, error) {
	return (*Validator)(nil).ReadQueries(path)
}

// ForEachQuery is the package-level ForEachQuery with the Validator's checks.
func (v *Validator) ForEachQuery(path string, fn func(Query) error) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	return withLines(path, func(lr *lineReader) error {
		return v.forEachQuery(lr, f, fn)
	})
}

// ReadQueries is the package-level ReadQueries with the Validator's checks.
func (v *Validator) ReadQueries(path string) ([]Query, error) {
	var qs []Query
	err := v.ForEachQuery(path, func(q Query) error {
		qs = append(qs, q)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return qs, nil
}

func (v *Validator) forEachQuery(lr *lineReader, f Format, fn func(Query) error) error {
	seen := seenLines{}
	return v.forEachTextRecord(lr, f, false, func(rec textRecord) error {
		keep, err := v.checkTextRecord(lr.file, idField(f), rec, rec.text, seen)
		if err != nil || !keep {
			return err
		}
		return fn(Query{ID: rec.id, Text: rec.text})
	})
}
