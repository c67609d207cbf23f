package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
)

// TrainingLog holds the numeric series of a training log.
type TrainingLog struct {
	// Path is the log file.
	Path string `json:"path"`
	// Series are the numeric fields other than "step", sorted by name.
	Series []Series `json:"series"`
}

// Series is one numeric field of a training log against the step.
type Series struct {
	Name   string    `json:"name"`
	Steps  []float64 `json:"steps"`
	Values []float64 `json:"values"`
}

// Get returns the series called name, or nil.
func (l *TrainingLog) Get(name string) *Series {
	for i := range l.Series {
		if l.Series[i].Name == name {
			return &l.Series[i]
		}
	}
	return nil
}

// ReadTrainingLog reads a training log: one JSON object per line, such as
//
//	{"step":100,"loss":0.52,"lr":0.0001}
//	{"step":200,"loss":0.41,"lr":0.0001,"val_loss":0.47,"val_mrr10":0.31}
//
// Every numeric top-level field but "step" becomes a Series; other fields
// (strings, booleans, objects) are ignored. A line's step is its "step"
// field, or its 1-based record number when it has none. Blank lines are
// skipped, and so is a malformed final line without a newline: a record
// torn by a training job that is still writing or was killed.
//
// Errors: the *os.PathError of reading the file, or *LogError wrapping
// ErrBadLogLine.
func ReadTrainingLog(path string) (*TrainingLog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*Series)
	lines := bytes.Split(data, []byte("\n"))
	record := 0
	for i, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		fields, err := parseLogLine(line)
		if err != nil {
			if i == len(lines)-1 {
				break // torn final record
			}
			return nil, &LogError{Path: path, Line: i + 1, Err: err}
		}
		record++
		step, ok := fields["step"]
		if !ok {
			step = float64(record)
		}
		for name, v := range fields {
			if name == "step" {
				continue
			}
			s := byName[name]
			if s == nil {
				s = &Series{Name: name}
				byName[name] = s
			}
			s.Steps = append(s.Steps, step)
			s.Values = append(s.Values, v)
		}
	}
	log := &TrainingLog{Path: path, Series: make([]Series, 0, len(byName))}
	for _, s := range byName {
		log.Series = append(log.Series, *s)
	}
	slices.SortFunc(log.Series, func(a, b Series) int { return cmp.Compare(a.Name, b.Name) })
	return log, nil
}

// parseLogLine returns the numeric top-level fields of one JSON object.
func parseLogLine(line []byte) (map[string]float64, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil || raw == nil {
		if err == nil {
			err = fmt.Errorf("got null")
		}
		return nil, fmt.Errorf("%w: %v", ErrBadLogLine, err)
	}
	out := make(map[string]float64, len(raw))
	for name, msg := range raw {
		var v float64
		if json.Unmarshal(msg, &v) == nil {
			out[name] = v
		}
	}
	return out, nil
}
