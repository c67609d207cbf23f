package report

import (
	"errors"
	"os"
	"slices"
	"testing"
)

func TestReadTrainingLog(t *testing.T) {
	path := writeFile(t, "metrics.jsonl", `{"step":100,"loss":0.5,"lr":1e-4,"phase":"train"}
{"step":200,"loss":0.4,"lr":1e-4,"val_loss":0.45,"val_mrr10":0.31,"extra":{"x":1}}

{"step":300,"loss":0.3,"lr":5e-5,"ok":true}
{"step":400,"lo`)
	log, err := ReadTrainingLog(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range log.Series {
		names = append(names, s.Name)
	}
	if want := []string{"loss", "lr", "val_loss", "val_mrr10"}; !slices.Equal(names, want) {
		t.Errorf("series = %v, want %v (numeric fields but step, sorted)", names, want)
	}
	loss := log.Get("loss")
	if !slices.Equal(loss.Steps, []float64{100, 200, 300}) || !slices.Equal(loss.Values, []float64{0.5, 0.4, 0.3}) {
		t.Errorf("loss = %+v", loss)
	}
	val := log.Get("val_mrr10")
	if !slices.Equal(val.Steps, []float64{200}) || !slices.Equal(val.Values, []float64{0.31}) {
		t.Errorf("val_mrr10 = %+v", val)
	}
	if log.Get("phase") != nil || log.Get("step") != nil || log.Path != path {
		t.Errorf("unexpected series or path: %+v", log)
	}
}

func TestReadTrainingLogWithoutStep(t *testing.T) {
	log, err := ReadTrainingLog(writeFile(t, "m.jsonl", "{\"loss\":3}\n{\"loss\":2}\n{\"loss\":1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s := log.Get("loss"); !slices.Equal(s.Steps, []float64{1, 2, 3}) {
		t.Errorf("steps = %v, want record numbers 1, 2, 3", s.Steps)
	}
}

func TestReadTrainingLogErrors(t *testing.T) {
	tests := []struct {
		name, content string
		line          int
	}{
		{"not JSON", "{\"step\":1}\nnot json\n", 2},
		{"array", "[1, 2]\n", 1},
		{"null", "null\n{\"step\":1}", 1},
		{"torn line before the end", "{\"step\":1,\"lo\n{\"step\":2}\n", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadTrainingLog(writeFile(t, "m.jsonl", tc.content))
			var le *LogError
			if !errors.As(err, &le) || !errors.Is(err, ErrBadLogLine) {
				t.Fatalf("error = %v, want *LogError wrapping ErrBadLogLine", err)
			}
			if le.Line != tc.line {
				t.Errorf("line = %d, want %d", le.Line, tc.line)
			}
		})
	}
	if _, err := ReadTrainingLog("/nonexistent/m.jsonl"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
