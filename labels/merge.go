package labels

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/distill-ml/distill/internal/fsutil"
)

// provenance keys that must agree between shards of one job; created_at and
// paths may differ between machines.
var mergeKeys = []string{KeyModelSHA256, KeyTokenizerSHA256, KeyMaxLength, KeyTruncation, KeyActivation, KeyCandidates}

// ShardDirName is the folder a shard of a sharded job writes under --out.
func ShardDirName(s Shard) string {
	return fmt.Sprintf("shard-%05d-of-%05d", s.Index, s.Count)
}

// Merge checks the shard folders of a sharded job under dir (shard-*-of-*),
// and writes dir/manifest.json covering all of them. Every shard 0..N-1 must be
// present and complete, with the same shard count and the same provenance;
// a query may appear in only one shard.
func Merge(dir string) (*Manifest, error) {
	lock, err := fsutil.LockDir(dir)
	if err != nil {
		return nil, fmt.Errorf("labels merge: %w", err)
	}
	defer lock.Unlock()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("labels merge: %w", err)
	}
	var shardDirs []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), "shard-") {
			shardDirs = append(shardDirs, e.Name())
		}
	}
	if len(shardDirs) == 0 {
		return nil, fmt.Errorf("labels merge: %s holds no shard-*-of-* folders", dir)
	}
	sort.Strings(shardDirs)
	merged := &Manifest{}
	count := -1
	have := map[int]string{}
	for _, sd := range shardDirs {
		// A shard still being labelled holds its folder's lock.
		sl, err := fsutil.LockDir(filepath.Join(dir, sd))
		if err != nil {
			return nil, fmt.Errorf("labels merge: shard %w", err)
		}
		defer sl.Unlock()
		m, err := ReadManifest(filepath.Join(dir, sd))
		if errors.Is(err, ErrNoManifest) {
			return nil, fmt.Errorf("labels merge: shard %s is not complete (no %s): finish it by running its job again", sd, ManifestName)
		}
		if err != nil {
			return nil, fmt.Errorf("labels merge: %w", err)
		}
		if m.Shard == nil {
			return nil, fmt.Errorf("labels merge: %s/%s records no shard", sd, ManifestName)
		}
		if count == -1 {
			count = m.Shard.Count
			merged.Provenance = m.Provenance
		}
		if m.Shard.Count != count {
			return nil, fmt.Errorf("labels merge: %s is shard %s but another shard says %d shards", sd, m.Shard, count)
		}
		if prev, dup := have[m.Shard.Index]; dup {
			return nil, fmt.Errorf("labels merge: shard %d is in both %s and %s", m.Shard.Index, prev, sd)
		}
		have[m.Shard.Index] = sd
		for _, k := range mergeKeys {
			if m.Provenance[k] != merged.Provenance[k] {
				return nil, fmt.Errorf("labels merge: %s has %s=%q, other shards %q: shards of different jobs", sd, k, m.Provenance[k], merged.Provenance[k])
			}
		}
		if err := m.Verify(filepath.Join(dir, sd)); err != nil {
			return nil, fmt.Errorf("labels merge: %w", err)
		}
		for _, f := range m.Files {
			f.Path = filepath.ToSlash(filepath.Join(sd, f.Path))
			merged.Files = append(merged.Files, f)
		}
		merged.Shards = append(merged.Shards, sd)
	}
	var missing []string
	for i := 0; i < count; i++ {
		if _, ok := have[i]; !ok {
			missing = append(missing, ShardDirName(Shard{Index: i, Count: count}))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("labels merge: %d of %d shards missing in %s: %s", len(missing), count, dir, strings.Join(missing, ", "))
	}
	sortFiles(merged.Files)
	// Detect a query labelled by two shards before declaring the set complete.
	set := &Set{Dir: dir, Manifest: merged}
	if err := set.ForEach(func(Row) error { return nil }); err != nil {
		return nil, fmt.Errorf("labels merge: %w", err)
	}
	if err := WriteManifest(dir, merged); err != nil {
		return nil, err
	}
	return merged, nil
}
