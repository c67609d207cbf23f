package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/distill-ml/distill/training"
)

// runFolderFlags are the flags that the verbs training into a run folder
// (pretrain, student train, teacher finetune) have besides their
// configuration's.
type runFolderFlags struct {
	ConfigPath string
	Resume     bool
	Force      bool // student train and teacher finetune only
	StopAt     int
}

// register adds --config, --resume, --stop-at and, when withForce, --force.
func (r *runFolderFlags) register(f *pflag.FlagSet, withForce bool) {
	f.StringVar(&r.ConfigPath, "config", "", "YAML config file (keys are the flag names with _ for -); flags override it")
	f.BoolVar(&r.Resume, "resume", false, "continue from the run folder's latest checkpoint")
	if withForce {
		f.BoolVar(&r.Force, "force", false, "train into an --out folder that holds other files (or another run's config.yaml/metrics.jsonl without a checkpoint)")
	}
	f.IntVar(&r.StopAt, "stop-at", 0, "stop after this step with a checkpoint (the schedule still spans --steps)")
}

// check returns a usage error for a configuration that did not resolve
// (resolveErr) or validate, or a negative --stop-at.
func (r *runFolderFlags) check(cmd *cobra.Command, resolveErr error, validate func() error) error {
	if resolveErr != nil {
		return usagef(cmd, "%v", resolveErr)
	}
	if err := validate(); err != nil {
		return usagef(cmd, "%v", err)
	}
	if r.StopAt < 0 {
		return usagef(cmd, "--stop-at must be ≥ 0")
	}
	return nil
}

// options returns the training options of the flags.
func (r *runFolderFlags) options(st streams) training.Options {
	return training.Options{Log: st.Log, Console: st.Console, Resume: r.Resume, Force: r.Force, StopAt: r.StopAt}
}

// runFolderUsage returns err, or a usage error naming the flags that would
// let the run start when err is a training.RunFolderError. A run stopped by
// a non-finite loss or gradient (training.NonFiniteError) gets the flag
// that resolves it most often, --lr.
func runFolderUsage(cmd *cobra.Command, err error) error {
	var nf *training.NonFiniteError
	if errors.As(err, &nf) {
		return fmt.Errorf("%w; --lr sets the learning rate", err)
	}
	var rf *training.RunFolderError
	if !errors.As(err, &rf) {
		return err
	}
	hint := "use another --out, or --force"
	switch {
	case rf.Resume && rf.Force:
		hint = "--resume starts that run over, or use another --out, or --force"
	case rf.Resume:
		hint = "use --resume, or another --out"
	}
	return usagef(cmd, "%v (%s)", err, hint)
}
