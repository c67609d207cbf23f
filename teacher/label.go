package teacher

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/internal/version"
	"github.com/distill-ml/distill/labels"
)

// JobName is the file recording a labelling job's identity in its folder.
const JobName = "job.json"

// LabelJob is one `distill teacher label` invocation.
type LabelJob struct {
	Model, Tokenizer            string
	Queries, Corpus, Candidates string
	Out                         string
	Inputs                      InputOptions
	MaxLength, BatchSize        int
	// ChunkPairs is the number of pairs written per Arrow file (whole
	// queries); what a kill can lose at most.
	ChunkPairs int
	// Activation describes how logits became scores (recorded).
	Activation string
	// NonFinite says what to do with a NaN or infinite score: NonFiniteError
	// (the default, "") stops the job naming the query, document and
	// model; NonFiniteSkip drops the pair and counts it.
	NonFinite string
	// Force writes into an --out folder that holds files but no job.json
	// (not a labels folder of distill's); without it such a folder is refused.
	Force bool `json:"-"`
	// Repair relabels the chunks of a complete job that fail verification
	// (damaged, missing or unlisted files); without it such a job is an
	// error naming them.
	Repair bool `json:"-"`
}

// What LabelJob.NonFinite accepts.
const (
	NonFiniteError = "error"
	NonFiniteSkip  = "skip"
)

// Fingerprint identifies a job: two runs with equal fingerprints produce the
// same labels, so the second may resume the first.
type Fingerprint struct {
	ModelSHA256      string `json:"model_sha256"`
	TokenizerSHA256  string `json:"tokenizer_sha256"`
	QueriesSHA256    string `json:"queries_sha256"`
	CorpusSHA256     string `json:"corpus_sha256"`
	CandidatesSHA256 string `json:"candidates_sha256"`
	MaxLength        int    `json:"max_length"`
	Depth            int    `json:"depth"`
	Shard            string `json:"shard"`
	ChunkPairs       int    `json:"chunk_pairs"`
	SkipMissing      bool   `json:"skip_missing"`
	NonFinite        string `json:"non_finite,omitempty"` // "skip", or "" (error)
}

// DamagedError is returned for a complete job whose files fail
// verification, when LabelJob.Repair is off.
type DamagedError struct {
	Dir     string
	Damaged []labels.FileCheck
}

func (e *DamagedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "teacher: %s is complete but %d file(s) fail verification:", e.Dir, len(e.Damaged))
	for _, d := range e.Damaged {
		fmt.Fprintf(&b, "\n  %s: %s", d.Path, d.Problem)
	}
	return b.String()
}

// OtherJobError is returned when the output folder holds finished labels
// of another job: another model, other data or other settings (Differs
// names the first that differs).
type OtherJobError struct {
	Dir, Differs string
}

func (e *OtherJobError) Error() string {
	return fmt.Sprintf("teacher: %s holds labels of a different job (%s differs)", e.Dir, e.Differs)
}

// ForeignFolderError is returned when the output folder holds files that
// are not labels and no job.json, and LabelJob.Force is off.
type ForeignFolderError struct {
	Dir     string
	Entries []string // the foreign files and folders
}

func (e *ForeignFolderError) Error() string {
	return fmt.Sprintf("teacher: %s holds %s but no %s: not a labels folder of distill's", e.Dir, strings.Join(e.Entries, ", "), JobName)
}

// ErrNoJobInputs is returned by ReadJob for a folder whose job.json was
// written by an older distill, without the job's inputs.
var ErrNoJobInputs = errors.New("teacher: job.json does not record the job's inputs (written by an older distill)")

// ReadJob returns the job recorded in dir/job.json (with absolute paths),
// or an error when there is none (folders written before it was recorded).
func ReadJob(dir string) (*LabelJob, error) {
	jf, err := readJob(dir)
	if err != nil {
		return nil, err
	}
	if jf.Job == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoJobInputs, filepath.Join(dir, JobName))
	}
	return jf.Job, nil
}

// LabelResult summarises a labelling run.
type LabelResult struct {
	Dir             string
	AlreadyComplete bool
	Chunks, Skipped int
	Queries, Pairs  int // in the whole job
	Stats           Stats
	Manifest        *labels.Manifest
	Input           InputReport
	// Repaired lists the files that failed verification and were relabelled.
	Repaired []string
	// NonFiniteDropped counts the pairs dropped for a NaN or infinite score
	// (NonFiniteSkip), in the whole job.
	NonFiniteDropped int
}

// NonFiniteScoreError stops a job whose model gave a NaN or infinite score.
type NonFiniteScoreError struct {
	Model, QueryID, DocID string
	Score                 float32
}

func (e *NonFiniteScoreError) Error() string {
	return fmt.Sprintf("teacher: model %s scored query %s, document %s as %v: a non-finite score would poison every loss trained on it; check the model (or its export), or drop such pairs (NonFiniteSkip, counted)",
		e.Model, e.QueryID, e.DocID, e.Score)
}

// finiteRow returns the labels row of group g with the scores, dropping
// the pairs whose score is not finite (NonFiniteSkip) or failing on the
// first (NonFiniteError).
func (j *LabelJob) finiteRow(g Group, scores []float32) (labels.Row, error) {
	row := labels.Row{QueryID: g.QueryID, DocumentIDs: g.DocIDs, Scores: scores}
	for i, s := range scores {
		if !math.IsNaN(float64(s)) && !math.IsInf(float64(s), 0) {
			continue
		}
		if j.NonFinite != NonFiniteSkip {
			return row, &NonFiniteScoreError{Model: j.Model, QueryID: g.QueryID, DocID: g.DocIDs[i], Score: s}
		}
		row.DocumentIDs, row.Scores = row.DocumentIDs[:0:0], row.Scores[:0:0]
		for k, s := range scores {
			if !math.IsNaN(float64(s)) && !math.IsInf(float64(s), 0) {
				row.DocumentIDs = append(row.DocumentIDs, g.DocIDs[k])
				row.Scores = append(row.Scores, s)
			}
		}
		break
	}
	return row, nil
}

// OutDir is the folder a job writes: Out, or Out/shard-i-of-N for a shard.
func (j *LabelJob) OutDir() string {
	if j.Inputs.Shard.Count > 1 {
		return filepath.Join(j.Out, labels.ShardDirName(j.Inputs.Shard))
	}
	return j.Out
}

// Fingerprint hashes the job's inputs.
func (j *LabelJob) Fingerprint() (Fingerprint, error) {
	fp := Fingerprint{MaxLength: j.MaxLength, Depth: j.Inputs.Depth, ChunkPairs: j.ChunkPairs, SkipMissing: j.Inputs.SkipMissing}
	if j.NonFinite == NonFiniteSkip {
		fp.NonFinite = NonFiniteSkip
	}
	if j.Inputs.Shard.Count > 1 {
		fp.Shard = j.Inputs.Shard.String()
	}
	for _, f := range []struct {
		path string
		dst  *string
	}{{j.Model, &fp.ModelSHA256}, {j.Tokenizer, &fp.TokenizerSHA256}, {j.Queries, &fp.QueriesSHA256}, {j.Corpus, &fp.CorpusSHA256}, {j.Candidates, &fp.CandidatesSHA256}} {
		sum, err := fsutil.SHA256File(f.path)
		if err != nil {
			return fp, fmt.Errorf("teacher: %w", err)
		}
		*f.dst = sum
	}
	return fp, nil
}

// partName is the file of chunk i.
func partName(i int) string { return fmt.Sprintf("part-%05d.arrow", i) }

// Label runs (or resumes) a labelling job. The engine's Scorer and Tokenizer
// must be those of j.Model and j.Tokenizer.
func Label(ctx context.Context, j *LabelJob, eng *Engine, log *zap.Logger) (*LabelResult, error) {
	dir := j.OutDir()
	res := &LabelResult{Dir: dir}
	fp, err := j.Fingerprint()
	if err != nil {
		return nil, err
	}
	lock, err := fsutil.LockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("teacher: %w", err)
	}
	defer lock.Unlock()
	job, err := readJob(dir)
	switch {
	case err == nil && job.Fingerprint != fp:
		if parts, _ := filepath.Glob(filepath.Join(dir, "part-*.arrow")); len(parts) > 0 {
			return nil, &OtherJobError{Dir: dir, Differs: fingerprintDiff(job.Fingerprint, fp)}
		}
		// A job that failed before finishing a chunk (a bad setting, say):
		// nothing of it is kept, so the corrected job replaces it.
		log.Info("replacing the job.json of a job that finished no chunk", zap.String("out", dir),
			zap.String("differs", fingerprintDiff(job.Fingerprint, fp)))
		job = nil
	case err == nil:
		if _, err := labels.ReadManifest(dir); err == nil {
			m, checks, err := labels.Check(dir)
			if err != nil {
				return nil, err
			}
			bad := labels.Damaged(checks)
			if len(bad) == 0 {
				res.AlreadyComplete, res.Manifest = true, m
				res.Queries, res.Pairs, res.Chunks = m.Queries, m.Pairs, len(m.Files)
				return res, nil
			}
			if !j.Repair {
				return nil, &DamagedError{Dir: dir, Damaged: bad}
			}
			if err := removeDamaged(dir, bad); err != nil {
				return nil, err
			}
			for _, b := range bad {
				res.Repaired = append(res.Repaired, b.Path)
			}
			log.Info("relabelling the chunks that fail verification", zap.String("out", dir), zap.Strings("files", res.Repaired))
		}
	case errors.Is(err, os.ErrNotExist):
		job = nil
		if !j.Force {
			if foreign := foreignEntries(dir); len(foreign) > 0 {
				return nil, &ForeignFolderError{Dir: dir, Entries: foreign}
			}
		}
	default:
		return nil, err
	}
	if _, err := fsutil.RemoveTemps(dir); err != nil {
		return nil, fmt.Errorf("teacher: %w", err)
	}

	in, err := LoadInputs(j.Queries, j.Corpus, j.Candidates, j.Inputs)
	if err != nil {
		return nil, err
	}
	res.Input = in.Report
	chunks := PlanChunks(in.Groups, max(j.ChunkPairs, 1))
	res.Chunks, res.Queries, res.Pairs = len(chunks), in.Report.Queries, in.Report.Pairs
	if job == nil {
		job = &jobFile{Fingerprint: fp, CreatedAt: time.Now().UTC().Format(time.RFC3339), Chunks: len(chunks), Pairs: in.Report.Pairs,
			Command: strings.Join(os.Args, " "), Job: j.absolute()}
		if err := writeJob(dir, job); err != nil {
			return nil, err
		}
	}
	prov := j.provenance(fp, job.CreatedAt)

	entries := make([]labels.FileEntry, len(chunks))
	var pending []*Chunk
	for _, c := range chunks {
		e, ok := completedPart(dir, c, fp.NonFinite == NonFiniteSkip)
		if ok {
			entries[c.Index] = e
			res.Skipped++
			continue
		}
		pending = append(pending, c)
	}
	donePairs := 0
	for _, c := range pending {
		donePairs += c.Pairs()
	}
	log.Info("labelling", zap.String("out", dir), zap.Int("queries", res.Queries), zap.Int("pairs", res.Pairs),
		zap.Int("chunks", len(chunks)), zap.Int("chunks_done_before", res.Skipped), zap.Int("pairs_to_score", donePairs),
		zap.String("shard", fp.Shard))
	if eng.Progress != nil {
		eng.Progress.Total = int64(donePairs)
		eng.Progress.Start()
	}
	st, err := eng.Run(ctx, pending, in.Texts, func(c *Chunk) error {
		rows := make([]labels.Row, len(c.Groups))
		for i, g := range c.Groups {
			row, err := j.finiteRow(g, c.Scores[i])
			if err != nil {
				return err
			}
			rows[i] = row
		}
		e, err := labels.WritePart(filepath.Join(dir, partName(c.Index)), rows, prov)
		if err != nil {
			return err
		}
		e.Path = partName(c.Index)
		entries[c.Index] = e
		c.Scores = nil // release
		return nil
	})
	if eng.Progress != nil {
		eng.Progress.Stop()
	}
	res.Stats = st
	if err != nil {
		return res, err
	}
	for _, c := range chunks {
		res.NonFiniteDropped += c.Pairs() - entries[c.Index].Pairs
	}
	if res.NonFiniteDropped > 0 {
		log.Warn("pairs dropped for a non-finite score", zap.Int("pairs", res.NonFiniteDropped), zap.String("model", j.Model))
	}
	m := &labels.Manifest{Provenance: prov, Files: entries}
	if j.Inputs.Shard.Count > 1 {
		s := j.Inputs.Shard
		m.Shard = &s
	}
	if err := labels.WriteManifest(dir, m); err != nil {
		return res, err
	}
	res.Manifest = m
	return res, nil
}

// absolute returns a copy of j with absolute paths.
func (j *LabelJob) absolute() *LabelJob {
	c := *j
	for _, p := range []*string{&c.Model, &c.Tokenizer, &c.Queries, &c.Corpus, &c.Candidates, &c.Out} {
		if abs, err := filepath.Abs(*p); err == nil {
			*p = abs
		}
	}
	return &c
}

func (j *LabelJob) provenance(fp Fingerprint, created string) labels.Provenance {
	return labels.Provenance{
		labels.KeyModelSHA256:     fp.ModelSHA256,
		labels.KeyModelPath:       filepath.Base(j.Model),
		labels.KeyTokenizerSHA256: fp.TokenizerSHA256,
		labels.KeyMaxLength:       strconv.Itoa(j.MaxLength),
		labels.KeyTruncation:      "longest_first",
		labels.KeyActivation:      j.Activation,
		labels.KeyDistillVersion:  version.Version,
		labels.KeyCreatedAt:       created,
		labels.KeyCandidates:      fp.CandidatesSHA256,
		labels.KeyQueriesSHA256:   fp.QueriesSHA256,
		labels.KeyCorpusSHA256:    fp.CorpusSHA256,
		labels.KeyDepth:           strconv.Itoa(fp.Depth),
	}
}
