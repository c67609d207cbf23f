package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"golang.org/x/term"

	"github.com/distill-ml/distill/internal/logging"
	"github.com/distill-ml/distill/internal/progress"
	"github.com/distill-ml/distill/internal/version"
)

// app holds what every command shares: output streams and global flags.
type app struct {
	stdout, stderr io.Writer
	logFormat      string
	logLevel       string
	ortLib         string
	log            *zap.Logger
	// console is stderr shared by the log and the progress bars, so that a
	// log line never lands in a bar's line.
	console *progress.Console
}

// streams is what a verb's run function needs from the app besides its
// options (gh's IOStreams): where it writes results, logs and progress
// bars, and where ONNX Runtime is.
type streams struct {
	Out     io.Writer
	Log     *zap.Logger
	Console *progress.Console
	ORTLib  string
}

// streams returns the app's streams; the logger is set once the root
// command's pre-run has read --log-format and --log-level.
func (a *app) streams() streams {
	return streams{Out: a.stdout, Log: a.log, Console: a.console, ORTLib: a.ortLib}
}

func newApp(stdout, stderr io.Writer) *app {
	return &app{stdout: stdout, stderr: stderr, log: zap.NewNop(), console: progress.NewConsole(stderr, isTerminal(stderr))}
}

// usageError marks a bad command line (exit code 2).
type usageError struct {
	cmd string
	err error
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(cmd *cobra.Command, format string, args ...any) error {
	return usageError{cmd: cmd.CommandPath(), err: fmt.Errorf(format, args...)}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "distill",
		Short: "Distil a cross-encoder into fast ColBERT and SPLADE retrievers",
		Long: `distill turns a slow, precise cross-encoder into fast retrievers by knowledge
distillation, in one static binary:

  1. distill bm25 / distill teacher label: stage-1 candidates, then raw-logit
     soft labels from any ONNX cross-encoder, written to sharded, resumable
     Arrow files with provenance;
  2. distill student train: ColBERT and SPLADE students trained on the labels
     with Margin-MSE;
  3. distill eval / distill compare: trec_eval-identical metrics, agreement
     with the teacher, speed and size, side by side.

Global flags --log-format (console|json) and --log-level set the structured
logs (written to stderr); --ort-lib points at libonnxruntime.so when it is not
in distill's cache folder (or set DISTILL_ORT_LIB).`,
		Version:       version.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			log, err := logging.New(a.console, a.logFormat, a.logLevel)
			if err != nil {
				flag := "--log-format"
				if errors.Is(err, logging.ErrLevel) {
					flag = "--log-level"
				}
				return usageError{cmd: cmd.CommandPath(), err: fmt.Errorf("%s: %w", flag, err)}
			}
			a.log = log
			a.console.SetLogger(log)
			return applyDataset(cmd)
		},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{cmd: cmd.CommandPath(), err: err}
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.logFormat, "log-format", "console", "log format: console (for people) or json (one object per line)")
	pf.StringVar(&a.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	pf.StringVar(&a.ortLib, "ort-lib", "", "path to libonnxruntime.so (default: $DISTILL_ORT_LIB, then distill's cache folder)")
	for _, c := range a.commands() {
		root.AddCommand(c)
	}
	root.AddCommand(a.versionCmd())
	finishCommands(root)
	return root
}

// isTerminal reports whether w is a terminal (for progress bars).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// exactArgs is cobra.ExactArgs returning a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef(cmd, "%s takes %d argument(s), got %d: %s", cmd.Name(), n, len(args), strings.Join(args, " "))
		}
		return nil
	}
}

// required checks that string flags were given.
func required(cmd *cobra.Command, flags ...string) error {
	var missing []string
	for _, f := range flags {
		if v, _ := cmd.Flags().GetString(f); v == "" {
			missing = append(missing, "--"+f)
		}
	}
	if len(missing) > 0 {
		return usagef(cmd, "missing required flag(s): %s", strings.Join(missing, ", "))
	}
	return nil
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print distill's version (as --version)",
		Long:    "Prints the version distill records in its labels, checkpoints and reports.",
		Example: "  distill version",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "distill version %s\n", version.Version)
			return nil
		},
	}
}
