package checkpoints

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/distill-ml/distill/internal/fsutil"
)

// Names inside a run folder.
const (
	LastFile = "last" // pointer to the latest complete checkpoint
	BestDir  = "best" // copy of the best checkpoint
	// MetricsFile is the JSON-lines metrics log training writes beside its
	// checkpoints.
	MetricsFile = "metrics.jsonl"
)

var stepDirRE = regexp.MustCompile(`^step-(\d+)$`)

// Save writes ck as runDir/step-NNNNNN (from ck.Trainer.Step) and points
// runDir/last at it, returning the folder's path. It fills
// ck.Config.TokenizerSHA256, Created and DistillVersion when unset, and sets
// ck.Dir.
//
// The files are written and fsynced in a temporary folder beside the target,
// which is renamed into place; last is rewritten atomically afterwards. A
// checkpoint of the same step is replaced (as when a run resumed from an
// older checkpoint passes that step again). Leftovers of interrupted saves
// are removed first.
func Save(runDir string, ck *Checkpoint) (string, error) {
	if err := ck.validate(); err != nil {
		return "", err
	}
	ck.fillDefaults()
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return "", fmt.Errorf("checkpoints: create run folder: %w", err)
	}
	if _, err := CleanTemp(runDir); err != nil {
		return "", err
	}
	name := StepDir(ck.Trainer.Step)
	tmp, err := fsutil.TempDir(runDir, name)
	if err != nil {
		return "", fmt.Errorf("checkpoints: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed into place
	if err := ck.writeFiles(tmp); err != nil {
		return "", fmt.Errorf("checkpoints: save %s: %w", name, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", fmt.Errorf("checkpoints: %w", err)
	}
	target := filepath.Join(runDir, name)
	if err := replaceDir(tmp, target); err != nil {
		return "", err
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(runDir, LastFile), []byte(name+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("checkpoints: update %s: %w", LastFile, err)
	}
	ck.Dir = target
	return target, nil
}

// replaceDir renames the complete folder tmp to target, moving an existing
// target aside first and deleting it afterwards, then fsyncs the parent.
func replaceDir(tmp, target string) error {
	parent := filepath.Dir(target)
	if err := fsutil.SyncDir(tmp); err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	var old string
	if _, err := os.Lstat(target); err == nil {
		aside, err := fsutil.AsideDir(parent, filepath.Base(target))
		if err != nil {
			return fmt.Errorf("checkpoints: %w", err)
		}
		old = filepath.Join(aside, "d")
		if err := os.Rename(target, old); err != nil {
			os.Remove(aside)
			return fmt.Errorf("checkpoints: move old %s aside: %w", filepath.Base(target), err)
		}
		defer os.RemoveAll(aside)
	}
	if err := os.Rename(tmp, target); err != nil {
		if old != "" {
			os.Rename(old, target)
		}
		return fmt.Errorf("checkpoints: rename into place: %w", err)
	}
	if err := fsutil.SyncDir(parent); err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	return nil
}

// CleanTemp removes the temporary folders and files that interrupted saves
// (and fsutil.WriteAtomic of last, config.yaml, metrics.jsonl) left in
// runDir and returns their paths. The caller must own runDir (hold its
// lock): a temporary file of a live writer would go too.
func CleanTemp(runDir string) ([]string, error) {
	removed, err := fsutil.RemoveTemps(runDir)
	if err != nil {
		return removed, fmt.Errorf("checkpoints: %w", err)
	}
	return removed, nil
}

// Latest returns the latest complete checkpoint of runDir, the one --resume
// continues from: the folder named by runDir/last, or, when there is no last
// file, the highest step folder that has a manifest. ok is false when the
// run has no checkpoint (or runDir does not exist). Temporary folders of
// interrupted saves are never returned.
func Latest(runDir string) (dir string, ok bool, err error) {
	data, err := os.ReadFile(filepath.Join(runDir, LastFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		steps, err := stepDirs(runDir)
		if err != nil {
			return "", false, err
		}
		for i := len(steps) - 1; i >= 0; i-- {
			d := filepath.Join(runDir, steps[i].name)
			if _, err := os.Stat(filepath.Join(d, ManifestFile)); err == nil {
				return d, true, nil
			}
		}
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("checkpoints: read %s: %w", LastFile, err)
	}
	name := strings.TrimSpace(string(data))
	if !stepDirRE.MatchString(name) {
		return "", false, fmt.Errorf("checkpoints: %s: %q does not name a step folder", filepath.Join(runDir, LastFile), name)
	}
	d := filepath.Join(runDir, name)
	if _, err := os.Stat(filepath.Join(d, ManifestFile)); err != nil {
		return "", false, fmt.Errorf("checkpoints: %s names %s, which is not a complete checkpoint: %w", LastFile, name, err)
	}
	return d, true, nil
}

// ErrNoCheckpoint is returned (wrapped) by Resolve for a folder that is
// neither a checkpoint nor a run folder with a complete checkpoint.
var ErrNoCheckpoint = errors.New("checkpoints: no checkpoint")

// Resolve returns the checkpoint folder a user names by dir: dir itself
// when it holds a manifest, else the latest checkpoint of the run folder
// dir (Latest).
func Resolve(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err == nil {
		return dir, nil
	}
	latest, ok, err := Latest(dir)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", fmt.Errorf("%w: %s is neither a checkpoint folder (no %s) nor a run folder with a checkpoint", ErrNoCheckpoint, dir, ManifestFile)
	}
	return latest, nil
}

type stepDir struct {
	name string
	step int
}

// stepDirs lists runDir's step folders in increasing step order.
func stepDirs(runDir string) ([]stepDir, error) {
	entries, err := os.ReadDir(runDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoints: %w", err)
	}
	var out []stepDir
	for _, e := range entries {
		m := stepDirRE.FindStringSubmatch(e.Name())
		if !e.IsDir() || m == nil {
			continue
		}
		step, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		out = append(out, stepDir{e.Name(), step})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].step < out[j].step })
	return out, nil
}

// Rotate keeps the keep ≥ 1 most recent step folders of runDir and deletes
// the older ones, never the one last names; best/ is a folder of its own
// and is never touched. It also removes leftovers of interrupted saves, and
// returns the paths it removed.
func Rotate(runDir string, keep int) ([]string, error) {
	if keep < 1 {
		return nil, fmt.Errorf("checkpoints: Rotate: keep = %d, want ≥ 1", keep)
	}
	removed, err := CleanTemp(runDir)
	if err != nil {
		return removed, err
	}
	latest, ok, err := Latest(runDir)
	if err != nil {
		return removed, err
	}
	steps, err := stepDirs(runDir)
	if err != nil {
		return removed, err
	}
	for i, s := range steps {
		d := filepath.Join(runDir, s.name)
		if i >= len(steps)-keep || (ok && d == latest) {
			continue
		}
		if err := os.RemoveAll(d); err != nil {
			return removed, fmt.Errorf("checkpoints: remove %s: %w", s.name, err)
		}
		removed = append(removed, d)
	}
	if len(removed) > 0 {
		if err := fsutil.SyncDir(runDir); err != nil {
			return removed, fmt.Errorf("checkpoints: %w", err)
		}
	}
	return removed, nil
}

// MarkBest makes runDir/best a copy of the checkpoint in dir (hard links
// where the file system allows, else copies), after verifying it against
// its manifest. The new best/ replaces the old one atomically: readers see
// either. Rotating dir away later leaves best/ intact.
func MarkBest(runDir, dir string) error {
	best := filepath.Join(runDir, BestDir)
	if same, _ := sameDir(best, dir); same {
		return nil
	}
	if _, err := Verify(dir); err != nil {
		return fmt.Errorf("checkpoints: MarkBest: %w", err)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		return err
	}
	tmp, err := fsutil.TempDir(runDir, BestDir)
	if err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	defer os.RemoveAll(tmp)
	files := []string{ManifestFile}
	for _, item := range m.Files {
		files = append(files, item.Path)
	}
	for _, f := range files {
		if err := linkOrCopy(filepath.Join(dir, f), filepath.Join(tmp, f)); err != nil {
			return fmt.Errorf("checkpoints: MarkBest: %s: %w", f, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("checkpoints: %w", err)
	}
	return replaceDir(tmp, best)
}

func sameDir(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// linkOrCopy hard-links src to dst, or copies it (fsynced) where links are
// not possible. Checkpoint files are never modified in place, so sharing an
// inode is safe.
func linkOrCopy(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return fsutil.WriteAtomic(dst, 0o644, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
