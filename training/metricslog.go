package training

import (
	"github.com/distill-ml/distill/checkpoints"
	"github.com/distill-ml/distill/internal/fsutil"

	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
)

// MetricsFile is the JSON-lines metrics log of a run folder.
const MetricsFile = checkpoints.MetricsFile

// MetricsRow is one line of metrics.jsonl. Absent (or non-finite) values
// are left out.
type MetricsRow struct {
	Step          int      `json:"step"`
	Loss          *float64 `json:"loss,omitempty"`            // total training loss
	LossMarginMSE *float64 `json:"loss_margin_mse,omitempty"` // the ranking term (Margin-MSE)
	LossKL        *float64 `json:"loss_kldiv,omitempty"`      // the ranking term (kldiv)
	LossPairwise  *float64 `json:"loss_pairwise_ce,omitempty"`
	LossPointwise *float64 `json:"loss_pointwise_bce,omitempty"`
	LossFLOPS     *float64 `json:"loss_flops,omitempty"` // λ_q·FLOPS_q + λ_d·FLOPS_d
	LR            *float64 `json:"lr,omitempty"`
	GradNorm      *float64 `json:"grad_norm,omitempty"` // before clipping
	ExamplesPerS  *float64 `json:"examples_per_s,omitempty"`
	Sparsity      *float64 `json:"sparsity,omitempty"` // SPLADE: share of zero document weights
	AvgNNZQ       *float64 `json:"avg_nnz_q,omitempty"`
	AvgNNZD       *float64 `json:"avg_nnz_d,omitempty"`
	ValLoss       *float64 `json:"val_loss,omitempty"`
	ValMRR10      *float64 `json:"val_mrr10,omitempty"`
	ValKendallTau *float64 `json:"val_kendall_tau,omitempty"`
}

// num returns &v, or nil when v is not finite.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// setVal fills the validation fields.
func (r *MetricsRow) setVal(v ValResult) {
	r.ValLoss, r.ValMRR10, r.ValKendallTau = num(v.Loss), num(v.MRR10), num(v.KendallTau)
}

// metricsLog appends rows to metrics.jsonl.
type metricsLog struct{ f *os.File }

// openMetricsLog opens path for appending, first dropping the rows of
// steps after keepUpTo (those of an interrupted run that a resumed run
// will redo); keepUpTo < 0 starts a new log.
func openMetricsLog(path string, keepUpTo int) (*metricsLog, error) {
	var kept bytes.Buffer
	if keepUpTo >= 0 {
		data, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("training: %w", err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r struct{ Step int }
			if json.Unmarshal(sc.Bytes(), &r) == nil && r.Step <= keepUpTo {
				kept.Write(sc.Bytes())
				kept.WriteByte('\n')
			}
		}
	}
	if err := fsutil.WriteFileAtomic(path, kept.Bytes(), 0o644); err != nil {
		return nil, fmt.Errorf("training: %w", err)
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("training: %w", err)
	}
	return &metricsLog{f: f}, nil
}

func (l *metricsLog) write(r MetricsRow) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = l.f.Write(append(b, '\n'))
	return err
}

func (l *metricsLog) Close() error { return l.f.Close() }

// ReadMetrics reads a run's metrics.jsonl.
func ReadMetrics(path string) ([]MetricsRow, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []MetricsRow
	for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r MetricsRow
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, fmt.Errorf("training: %s line %d: %w", path, i+1, err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}
