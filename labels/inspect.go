package labels

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Stats summarises a labels set.
type Stats struct {
	Queries, Pairs           int
	MinPairs, MaxPairs       int
	ScoreMin, ScoreMax, Mean float64
	Std                      float64
	NonFinite                int
	// Histogram of scores over [ScoreMin, ScoreMax] in equal-width bins.
	Histogram []int
}

// ComputeStats reads every row of the set once.
func (s *Set) ComputeStats(bins int) (Stats, error) {
	st := Stats{ScoreMin: math.Inf(1), ScoreMax: math.Inf(-1), MinPairs: math.MaxInt}
	var scores []float32
	var sum, sumSq float64
	err := s.ForEach(func(r Row) error {
		st.Queries++
		st.Pairs += len(r.Scores)
		st.MinPairs = min(st.MinPairs, len(r.Scores))
		st.MaxPairs = max(st.MaxPairs, len(r.Scores))
		for _, v := range r.Scores {
			f := float64(v)
			if math.IsNaN(f) || math.IsInf(f, 0) {
				st.NonFinite++
				continue
			}
			scores = append(scores, v)
			sum += f
			sumSq += f * f
			st.ScoreMin = math.Min(st.ScoreMin, f)
			st.ScoreMax = math.Max(st.ScoreMax, f)
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	if st.Queries == 0 {
		st.MinPairs = 0
	}
	n := float64(len(scores))
	if n > 0 {
		st.Mean = sum / n
		st.Std = math.Sqrt(math.Max(0, sumSq/n-st.Mean*st.Mean))
		st.Histogram = make([]int, bins)
		width := (st.ScoreMax - st.ScoreMin) / float64(bins)
		for _, v := range scores {
			b := bins - 1
			if width > 0 {
				b = min(int((float64(v)-st.ScoreMin)/width), bins-1)
			}
			st.Histogram[b]++
		}
	}
	return st, nil
}

// WriteInspect prints the schema, provenance, files, counts and a score
// histogram of the set.
func (s *Set) WriteInspect(w io.Writer, bins int) error {
	st, err := s.ComputeStats(bins)
	if err != nil {
		return err
	}
	m := s.Manifest
	fmt.Fprintf(w, "labels:      %s (layout version %s)\n", s.Dir, m.Version)
	fmt.Fprintf(w, "schema:      %s: string, %s: list<string>, %s: list<float32> (zstd)\n", ColQueryID, ColDocumentIDs, ColScores)
	if m.Shard != nil {
		fmt.Fprintf(w, "shard:       %s\n", m.Shard)
	}
	if len(m.Shards) > 0 {
		fmt.Fprintf(w, "merged:      %d shards\n", len(m.Shards))
	}
	fmt.Fprintln(w, "provenance:")
	keys := make([]string, 0, len(m.Provenance))
	for k := range m.Provenance {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-18s %s\n", k, m.Provenance[k])
	}
	fmt.Fprintf(w, "files:       %d\n", len(m.Files))
	for _, f := range m.Files {
		fmt.Fprintf(w, "  %s  %d queries  %d pairs  %d bytes  sha256 %s\n", f.Path, f.Rows, f.Pairs, f.Bytes, f.SHA256[:12])
	}
	fmt.Fprintf(w, "queries:     %d\n", st.Queries)
	fmt.Fprintf(w, "pairs:       %d (per query %d..%d)\n", st.Pairs, st.MinPairs, st.MaxPairs)
	if st.NonFinite > 0 {
		fmt.Fprintf(w, "non-finite:  %d scores\n", st.NonFinite)
	}
	if len(st.Histogram) == 0 {
		return nil
	}
	fmt.Fprintf(w, "scores:      min %.4f  max %.4f  mean %.4f  std %.4f\n", st.ScoreMin, st.ScoreMax, st.Mean, st.Std)
	peak := 0
	for _, c := range st.Histogram {
		peak = max(peak, c)
	}
	width := (st.ScoreMax - st.ScoreMin) / float64(len(st.Histogram))
	prec := binDigits(width)
	for i, c := range st.Histogram {
		lo, hi, end := st.ScoreMin+float64(i)*width, st.ScoreMin+float64(i+1)*width, ")"
		if i == len(st.Histogram)-1 {
			hi, end = st.ScoreMax, "]" // the last bin holds the maximum
		}
		bar := 0
		if peak > 0 {
			bar = int(math.Round(40 * float64(c) / float64(peak)))
		}
		fmt.Fprintf(w, "  [%*.*f, %*.*f%s %8d %s\n", prec+6, prec, lo, prec+6, prec, hi, end, c, strings.Repeat("#", bar))
	}
	return nil
}

// binDigits returns how many decimals tell bins of the given width apart
// (3 at least, 10 at most): scores packed in [-0.01701, -0.01690] need 6.
func binDigits(width float64) int {
	if width <= 0 {
		return 3
	}
	return min(10, max(3, int(math.Ceil(-math.Log10(width)))+1))
}
