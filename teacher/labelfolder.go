package teacher

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/distill-ml/distill/internal/fsutil"
	"github.com/distill-ml/distill/labels"
)

// What a labelling job finds in its output folder when it starts again:
// job.json (the job's identity), the chunks it finished, the files of a
// damaged chunk to relabel, and anything that is not a job's.

// jobFile is job.json.
type jobFile struct {
	Fingerprint Fingerprint `json:"fingerprint"`
	CreatedAt   string      `json:"created_at"`
	Chunks      int         `json:"chunks"`
	Pairs       int         `json:"pairs"`
	Command     string      `json:"command,omitempty"`
	// Job is the job with absolute paths, so that 'distill labels verify
	// --repair' can run it again.
	Job *LabelJob `json:"job,omitempty"`
}

// removeDamaged deletes the files that fail verification (so the job
// relabels their chunks) and the manifest (so the job is incomplete).
func removeDamaged(dir string, bad []labels.FileCheck) error {
	for _, b := range bad {
		if filepath.Dir(b.Path) != "." {
			return fmt.Errorf("teacher: %s: %s is not a chunk of this job's folder; repair its shard", dir, b.Path)
		}
		if err := os.Remove(filepath.Join(dir, b.Path)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("teacher: %w", err)
		}
	}
	if err := os.Remove(filepath.Join(dir, labels.ManifestName)); err != nil {
		return fmt.Errorf("teacher: %w", err)
	}
	return fsutil.SyncDir(dir)
}

// foreignEntries lists what dir holds besides the files a labelling job
// writes there before its job.json (its lock, temp files) and shard folders.
func foreignEntries(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		n := e.Name()
		if n == fsutil.LockFile || fsutil.IsTemp(n) || e.IsDir() && strings.HasPrefix(n, "shard-") {
			continue
		}
		out = append(out, n)
	}
	return out
}

// completedPart reports whether chunk c's file exists, reads back as a
// complete Arrow file and holds exactly the chunk's queries and documents
// (or, when pairs with non-finite scores were dropped, a subsequence of
// each query's documents).
func completedPart(dir string, c *Chunk, dropped bool) (labels.FileEntry, bool) {
	path := filepath.Join(dir, partName(c.Index))
	if _, err := os.Stat(path); err != nil {
		return labels.FileEntry{}, false
	}
	rows, _, err := labels.ReadPart(path)
	pairs := 0
	for i, r := range rows {
		if i >= len(c.Groups) || r.QueryID != c.Groups[i].QueryID {
			err = errors.New("different content")
			break
		}
		if want := c.Groups[i].DocIDs; !slices.Equal(r.DocumentIDs, want) && !(dropped && isSubsequence(r.DocumentIDs, want)) {
			err = errors.New("different content")
			break
		}
		pairs += len(r.DocumentIDs)
	}
	if err != nil || len(rows) != len(c.Groups) {
		os.Remove(path) // not this job's chunk: redo it
		return labels.FileEntry{}, false
	}
	sum, err := fsutil.SHA256File(path)
	st, err2 := os.Stat(path)
	if err != nil || err2 != nil {
		return labels.FileEntry{}, false
	}
	return labels.FileEntry{Path: partName(c.Index), Rows: len(c.Groups), Pairs: pairs, Bytes: st.Size(), SHA256: sum}, true
}

// isSubsequence reports whether a is b with some elements left out.
func isSubsequence(a, b []string) bool {
	i := 0
	for _, x := range b {
		if i < len(a) && a[i] == x {
			i++
		}
	}
	return i == len(a)
}

// readJob reads dir/job.json.
func readJob(dir string) (*jobFile, error) {
	data, err := os.ReadFile(filepath.Join(dir, JobName))
	if err != nil {
		return nil, err
	}
	var j jobFile
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("teacher: %s: %w", filepath.Join(dir, JobName), err)
	}
	return &j, nil
}

// writeJob writes j to dir/job.json atomically.
func writeJob(dir string, j *jobFile) error {
	return fsutil.WriteJSON(filepath.Join(dir, JobName), j)
}

// fingerprintDiff names the fields in which two fingerprints differ.
func fingerprintDiff(a, b Fingerprint) string {
	var diffs []string
	av, _ := json.Marshal(a)
	bv, _ := json.Marshal(b)
	var am, bm map[string]any
	json.Unmarshal(av, &am)
	json.Unmarshal(bv, &bm)
	for k, v := range am {
		if fmt.Sprint(v) != fmt.Sprint(bm[k]) {
			diffs = append(diffs, k)
		}
	}
	if len(diffs) == 0 {
		return "nothing"
	}
	sort.Strings(diffs)
	return strings.Join(diffs, ", ")
}
