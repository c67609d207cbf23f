package checkpoints

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const realSafetensors = "testdata/real/tiny.safetensors"

// readFlipped flips one bit of data and decodes it: the reader must return
// an ErrSafetensors error or tensors that fit the file (at most 2 bytes of
// float32 output per input byte, from F16/BF16), never panic or allocate
// by a damaged length. A flip inside the values (or a name) decodes to
// other numbers: checkpoints catch those by the manifest's sha256
// (TestLoadDetectsEveryByteFlipped).
func readFlipped(t *testing.T, data []byte, at int, bit uint) error {
	d := append([]byte(nil), data...)
	d[at] ^= 1 << (bit % 8)
	tensors, _, err := ReadSafetensors(d)
	if err != nil {
		if !errors.Is(err, ErrSafetensors) {
			t.Fatalf("byte %d bit %d: error does not wrap ErrSafetensors: %v", at, bit%8, err)
		}
		return err
	}
	values := 0
	for _, ts := range tensors {
		values += len(ts.Data)
	}
	if 4*values > 2*len(d) {
		t.Fatalf("byte %d bit %d: %d values decoded from %d bytes", at, bit%8, values, len(d))
	}
	return nil
}

// TestReadSafetensorsEveryByteFlipped (issue 10, case 4): one bit flipped in
// each byte of a real safetensors file, in turn.
func TestReadSafetensorsEveryByteFlipped(t *testing.T) {
	data, err := os.ReadFile(realSafetensors)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadSafetensors(data); err != nil {
		t.Fatal(err)
	}
	detected := 0
	for at := range data {
		if readFlipped(t, data, at, uint(at)) != nil {
			detected++
		}
	}
	t.Logf("%d of %d flips are format errors; the others change values or names, which the manifest's sha256 catches", detected, len(data))
}

// FuzzSafetensorsBitFlip flips bits of the real file.
func FuzzSafetensorsBitFlip(f *testing.F) {
	data, err := os.ReadFile(realSafetensors)
	if err != nil {
		f.Fatal(err)
	}
	for _, at := range []int{0, 3, 7, 8, 40, 500, 2000, len(data) - 1} {
		f.Add(uint32(at), uint8(at))
	}
	f.Fuzz(func(t *testing.T, at uint32, bit uint8) {
		readFlipped(t, data, int(at)%len(data), uint(bit))
	})
}

// TestLoadDetectsEveryByteFlipped: a checkpoint whose model.safetensors has
// any single bit flipped does not load.
func TestLoadDetectsEveryByteFlipped(t *testing.T) {
	dir := t.TempDir()
	path, err := Save(dir, testCheckpoint(3))
	if err != nil {
		t.Fatal(err)
	}
	file := path + "/" + ModelFile
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for at := range data {
		d := append([]byte(nil), data...)
		d[at] ^= 1 << (at % 8)
		if err := os.WriteFile(file, d, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("byte %d flipped: Load gave %v, want ErrCorrupt", at, err)
		}
	}
}

// TestTrainerStateNonFiniteRoundTrip (issue 10, case 3): a validation metric
// of ±Inf or NaN is written (as a string) and read back, instead of failing
// the checkpoint write and losing the steps since the last one.
func TestTrainerStateNonFiniteRoundTrip(t *testing.T) {
	for _, v := range []float64{math.Inf(1), math.Inf(-1), math.NaN()} {
		dir := t.TempDir()
		ck := testCheckpoint(5)
		ck.Trainer.Metric = &Metric{Name: "val_loss", Value: v, Step: 5}
		ck.Trainer.BestMetric = &Metric{Name: "val_loss", Value: 0.5, Step: 4}
		path, err := Save(dir, ck)
		if err != nil {
			t.Fatalf("Save with metric %v: %v", v, err)
		}
		got, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if g := got.Trainer.Metric.Value; !(g == v || math.IsNaN(g) && math.IsNaN(v)) || got.Trainer.BestMetric.Value != 0.5 {
			t.Errorf("metric %v read back as %+v, best %+v", v, got.Trainer.Metric, got.Trainer.BestMetric)
		}
	}
	var m Metric
	if err := json.Unmarshal([]byte(`{"name":"x","value":null,"step":1}`), &m); err != nil || !math.IsNaN(m.Value) {
		t.Errorf("null value: %v, %v", m.Value, err)
	}
	if err := json.Unmarshal([]byte(`{"name":"x","value":"0.5","step":1}`), &m); err == nil {
		t.Error("a finite number written as a string was accepted")
	}
}

// rewriteTrainerState replaces a checkpoint's trainer_state.json and
// updates its manifest entry to match, as a hand edit would.
func rewriteTrainerState(t *testing.T, dir string, edit func(map[string]any)) {
	t.Helper()
	p := filepath.Join(dir, TrainerStateFile)
	var st map[string]any
	data, _ := os.ReadFile(p)
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	edit(st)
	data, _ = json.Marshal(st)
	writeFile(t, p, string(data))
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	for i := range m.Files {
		if m.Files[i].Path == TrainerStateFile {
			m.Files[i].Size, m.Files[i].SHA256 = int64(len(data)), hex.EncodeToString(sum[:])
		}
	}
	if err := writeManifest(dir, m.Files); err != nil {
		t.Fatal(err)
	}
}

// TestLoadRejectsOutOfRangeTrainerState (issue 10, case 5): a
// trainer_state.json with a negative step (and a manifest that matches it)
// is an error naming the file and the field, not a panic when resuming.
func TestLoadRejectsOutOfRangeTrainerState(t *testing.T) {
	for _, tc := range []struct {
		field string
		edit  func(map[string]any)
		want  string
	}{
		{"step", func(s map[string]any) { s["step"] = -40 }, "step -40 is negative"},
		{"cursor", func(s map[string]any) { s["cursor"] = -1 }, "cursor -1 is negative"},
		{"epoch", func(s map[string]any) { s["epoch"] = -2 }, "epoch -2 is negative"},
		{"best_metric", func(s map[string]any) { s["best_metric"] = map[string]any{"name": "val_loss", "value": 1, "step": 99} }, "best_metric.step 99"},
	} {
		dir := t.TempDir()
		path, err := Save(dir, testCheckpoint(7))
		if err != nil {
			t.Fatal(err)
		}
		rewriteTrainerState(t, path, tc.edit)
		_, err = Load(path)
		var fe *FileError
		if !errors.As(err, &fe) || fe.File != TrainerStateFile || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Load gave %v, want an error naming %s and %q", tc.field, err, TrainerStateFile, tc.want)
		}
	}
}
