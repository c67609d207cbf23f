package datasets

import (
	"errors"
	"testing"
)

func TestParseErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *ParseError
		want string
	}{
		{"field", parseErr("corpus.jsonl", 17, "_id", ErrMissing), `datasets: corpus.jsonl line 17: field "_id": missing`},
		{"no field", parseErr("run.trec", 3, "", errors.New("want 6 fields")), `datasets: run.trec line 3: want 6 fields`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
	if !errors.Is(parseErr("f", 1, "", ErrDuplicateID), ErrDuplicateID) {
		t.Error("errors.Is does not see through ParseError")
	}
}

func TestFormatOf(t *testing.T) {
	tests := []struct {
		path    string
		want    Format
		wantErr bool
	}{
		{"queries.jsonl", JSONL, false},
		{"dir/corpus.JSONL", JSONL, false},
		{"corpus.jsonl.gz", JSONL, false},
		{"queries.tsv", TSV, false},
		{"collection.txt", TSV, false},
		{"queries.csv", 0, true},
		{"queries", 0, true},
		{"queries.json", 0, true},
	}
	for _, tt := range tests {
		got, err := FormatOf(tt.path)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("FormatOf(%q) = %v, %v; want %v, error %v", tt.path, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("FormatOf(%q) error %v does not wrap ErrUnknownFormat", tt.path, err)
		}
	}
}

func TestParsePolicy(t *testing.T) {
	for _, p := range []Policy{Strict, Skip, Keep} {
		got, err := ParsePolicy(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v", p.String(), got, err)
		}
	}
	if _, err := ParsePolicy("warn"); err == nil {
		t.Error("ParsePolicy(warn) succeeded")
	}
}
