package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/checkpoints"
)

func (a *app) checkpointsInspectCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "inspect DIR",
		Short: "Print a checkpoint's configuration, training state, size and integrity",
		Long: `Summarises a checkpoint folder (or the latest checkpoint of a run folder):
architecture and model configuration, creation time, distill version and
seed, tokenizer sha256, the teacher labels' provenance, step, epoch and data
cursor, validation metric and best metric, parameter count and dtypes,
whether the AdamW state is included (resumable), and every file with its size
and sha256, verified against the manifest. A file that does not match is
reported, and the command then fails (exit 1), as it does when a file
cannot be read or holds out-of-range values.`,
		Example: `  distill checkpoints inspect runs/colbert/step-002000
  distill checkpoints inspect runs/colbert          # its latest checkpoint
  distill checkpoints inspect runs/colbert/best`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheckpointsInspect(a.streams(), args[0])
		},
	}
	return c
}

// runCheckpointsInspect prints the summary of the checkpoint at path (or
// of a run folder's latest) and fails when it reports a problem.
func runCheckpointsInspect(st streams, path string) error {
	dir, err := checkpoints.Resolve(path)
	if err != nil {
		return fmt.Errorf("checkpoints inspect: %w", err)
	}
	s, err := checkpoints.Inspect(dir)
	if err != nil {
		return fmt.Errorf("checkpoints inspect: %w", err)
	}
	if err := s.WriteSummary(st.Out); err != nil {
		return err
	}
	if !s.Verified {
		return fmt.Errorf("checkpoints inspect: %s does not match its manifest", dir)
	}
	if len(s.Problems) > 0 {
		return fmt.Errorf("checkpoints inspect: %s: %s", dir, strings.Join(s.Problems, "; "))
	}
	return nil
}
