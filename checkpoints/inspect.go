package checkpoints

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/distill-ml/distill/internal/manifest"
)

// Summary describes a checkpoint for `distill checkpoints inspect`.
type Summary struct {
	Dir          string
	Config       *Config       // nil when config.json is unreadable
	Trainer      *TrainerState // nil when trainer_state.json is unreadable
	Tensors      int           // tensors in model.safetensors
	Params       int64         // values in model.safetensors
	Dtypes       []string      // dtypes of model.safetensors, sorted
	HasOptimizer bool
	Files        []FileStatus // one per manifest entry
	Verified     bool         // every file matches the manifest
	Problems     []string     // what could not be read, besides mismatching files
}

// Inspect summarises the checkpoint in dir. Files that fail verification are
// reported in the Summary, not as an error; the error is non-nil only when
// the manifest cannot be read.
func Inspect(dir string) (Summary, error) {
	s := Summary{Dir: dir}
	files, err := Verify(dir)
	if files == nil && err != nil {
		return s, err
	}
	s.Files, s.Verified = files, err == nil
	for _, f := range files {
		if f.Path == OptimizerFile {
			s.HasOptimizer = true
		}
	}
	var cfg Config
	if err := readJSON(filepath.Join(dir, ConfigFile), &cfg); err != nil {
		s.Problems = append(s.Problems, fmt.Sprintf("%s: %v", ConfigFile, err))
	} else {
		s.Config = &cfg
	}
	var ts TrainerState
	if err := readJSON(filepath.Join(dir, TrainerStateFile), &ts); err != nil {
		s.Problems = append(s.Problems, fmt.Sprintf("%s: %v", TrainerStateFile, err))
	} else {
		s.Trainer = &ts
		if err := ts.Validate(); err != nil {
			s.Problems = append(s.Problems, fmt.Sprintf("%s: %v", TrainerStateFile, err))
		}
	}
	h, err := readHeader(filepath.Join(dir, ModelFile))
	if err != nil {
		s.Problems = append(s.Problems, fmt.Sprintf("%s: %v", ModelFile, err))
	} else {
		dtypes := map[string]bool{}
		for _, t := range h.Tensors {
			s.Tensors++
			s.Params += int64((t.DataOffsets[1] - t.DataOffsets[0]) / dtypeSize[t.Dtype])
			dtypes[t.Dtype] = true
		}
		for d := range dtypes {
			s.Dtypes = append(s.Dtypes, d)
		}
		sort.Strings(s.Dtypes)
	}
	return s, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// readHeader parses a safetensors file's header without reading its data.
func readHeader(path string) (*Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	var n [8]byte
	if _, err := io.ReadFull(f, n[:]); err != nil {
		return nil, fmt.Errorf("%w: reading the header length: %v", ErrSafetensors, err)
	}
	size := binary.LittleEndian.Uint64(n[:])
	if size > MaxHeaderSize || int64(size) > st.Size()-8 {
		return nil, fmt.Errorf("%w: header length %d does not fit the %d-byte file", ErrSafetensors, size, st.Size())
	}
	buf := make([]byte, 8+size)
	copy(buf, n[:])
	if _, err := io.ReadFull(f, buf[8:]); err != nil {
		return nil, err
	}
	return ParseSafetensorsHeader(buf, st.Size())
}

// WriteSummary prints the summary as aligned text.
func (s Summary) WriteSummary(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, format string, args ...any) { fmt.Fprintf(tw, "%s\t%s\n", k, fmt.Sprintf(format, args...)) }
	row("checkpoint", "%s", s.Dir)
	if c := s.Config; c != nil {
		row("architecture", "%s", c.Architecture)
		if len(c.Model) > 0 {
			row("model config", "%s", c.Model)
		}
		row("created", "%s by distill %s, seed %d", c.Created.Format(time.RFC3339), c.DistillVersion, c.Seed)
		row("tokenizer", "sha256 %s", orNone(c.TokenizerSHA256))
		row("labels", "%s", orNone(string(c.Labels)))
	}
	if t := s.Trainer; t != nil {
		row("step", "%d (epoch %d, cursor %d)", t.Step, t.Epoch, t.Cursor)
		if m := t.Metric; m != nil {
			row("metric", "%s = %.4f", m.Name, m.Value)
		}
		if m := t.BestMetric; m != nil {
			row("best metric", "%s = %.4f at step %d", m.Name, m.Value, m.Step)
		}
	}
	row("parameters", "%s in %d tensors (%s)", groupDigits(s.Params), s.Tensors, strings.Join(s.Dtypes, ", "))
	row("optimizer", "%s", map[bool]string{true: "AdamW state included (resumable)", false: "none (inference only)"}[s.HasOptimizer])
	var total int64
	for _, f := range s.Files {
		total += f.Size
	}
	row("size", "%s in %d files", humanBytes(total), len(s.Files))
	for _, f := range s.Files {
		status := "ok"
		if !f.OK {
			status = "FAILED: " + f.Problem.Error()
		}
		row("  "+f.Path, "%s  sha256 %s…  %s", humanBytes(f.Size), manifest.Short(f.SHA256), status)
	}
	if s.Verified {
		row("verified", "yes")
	} else {
		bad := 0
		for _, f := range s.Files {
			if !f.OK {
				bad++
			}
		}
		row("verified", "NO: %d of %d files do not match the manifest", bad, len(s.Files))
	}
	for _, p := range s.Problems {
		row("problem", "%s", p)
	}
	return tw.Flush()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func groupDigits(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), 0
	for v >= unit && i < 4 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGT"[i-1])
}
