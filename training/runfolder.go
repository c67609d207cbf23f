package training

import (
	"errors"
	"fmt"
)

// ErrRunExists is matched (errors.Is) by every RunFolderError: Out holds
// checkpoints, or files of another run, and Options.Resume does not apply.
var ErrRunExists = errors.New("training: the run folder is taken")

// RunFolderError says why a run cannot start in its folder. Resume and
// Force say which Options would let it: Options.Resume continues the run
// found there (or, for a run stopped before its first checkpoint, starts it
// over); Options.Force trains into the folder anyway.
type RunFolderError struct {
	Dir    string // the run folder, or the checkpoint found in it
	Holds  string // what it holds, e.g. "checkpoints"
	Resume bool
	Force  bool
}

func (e *RunFolderError) Error() string { return fmt.Sprintf("training: %s holds %s", e.Dir, e.Holds) }

// Is reports whether target is ErrRunExists.
func (e *RunFolderError) Is(target error) bool { return target == ErrRunExists }
