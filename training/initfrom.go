package training

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/distill-ml/distill/bertonnx"
	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/student"
)

// InitReport says what InitFrom loaded.
type InitReport struct {
	Source string
	student.LoadReport
	// Skipped are source tensors named like a parameter but of another
	// shape (e.g. a teacher of another width), left out.
	Skipped []string
}

// ReadWeights reads named float32 tensors from a BERT-shaped model: an ONNX
// file (its initializers, raw_data or float_data), a .safetensors file, or
// a checkpoint folder (or a run folder's latest checkpoint).
func ReadWeights(path string) (map[string]checkpoints.Tensor, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("training: init-from: %w", err)
	}
	switch {
	case st.IsDir():
		dir, err := checkpoints.Resolve(path)
		if err != nil {
			return nil, fmt.Errorf("training: init-from: %w", err)
		}
		ck, err := checkpoints.Load(dir)
		if err != nil {
			return nil, fmt.Errorf("training: init-from: %w", err)
		}
		return ck.Weights, nil
	case strings.HasSuffix(path, ".safetensors"):
		w, _, err := checkpoints.ReadSafetensorsFile(path)
		if err != nil {
			return nil, fmt.Errorf("training: init-from: %w", err)
		}
		return w, nil
	case strings.HasSuffix(path, ".onnx"):
		w, err := bertonnx.ReadONNXWeights(path)
		if err != nil {
			return nil, fmt.Errorf("training: init-from: %w", err)
		}
		return w, nil
	}
	return nil, fmt.Errorf("training: init-from %s: want an .onnx or .safetensors file or a checkpoint folder", path)
}

// InitFrom loads the tensors of path into m by name (non-strict): what m
// lacks is reported unused, parameters the source lacks keep their
// initialisation, and source tensors of another shape than the parameter
// they name are skipped. A source saved without the "bert." prefix (a bare
// BertModel) matches too.
func InitFrom(m student.Model, path string) (InitReport, error) {
	src, err := ReadWeights(path)
	if err != nil {
		return InitReport{}, err
	}
	shapes := student.Shapes(m.Params())
	rep := InitReport{Source: path}
	matched := map[string]checkpoints.Tensor{}
	names := make([]string, 0, len(src))
	for name := range src {
		names = append(names, name)
	}
	sort.Strings(names) // deterministic: the first name in order wins a parameter
	for _, name := range names {
		t, target := src[name], name
		for _, cand := range []string{name, "bert." + name, strings.TrimPrefix(name, "bert.")} {
			if _, ok := shapes[cand]; ok {
				target = cand
				break
			}
		}
		if want, ok := shapes[target]; ok && !slices.Equal(want, t.Shape) {
			rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s %v (parameter %v)", name, t.Shape, want))
			continue
		}
		if _, dup := matched[target]; !dup {
			matched[target] = t
		}
	}
	sort.Strings(rep.Skipped)
	lr, err := m.LoadWeights(matched, false)
	if err != nil {
		return rep, fmt.Errorf("training: init-from %s: %w", path, err)
	}
	rep.LoadReport = lr
	return rep, nil
}
