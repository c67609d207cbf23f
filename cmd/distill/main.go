// Command distill turns a cross-encoder into fast retrievers by knowledge
// distillation: it labels query–document pairs with an ONNX cross-encoder
// teacher, trains ColBERT and SPLADE students on the labels, and compares
// checkpoints. Run `distill --help` for the commands.
//
// One file per verb, in the gh CLI's shape: an options struct filled from
// the flags, whose RunE checks the command line (usage errors, exit 2) and
// calls runX(ctx, opts), which holds the logic and writes to the injected
// streams (failures, exit 1). Flag sets that several verbs share are
// registered once (scoringOptions, addStudentRunFlags, runFolderFlags);
// library errors name values, and this layer names the flags that resolve
// them (flagHint, runFolderUsage).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code: 0 success,
// 1 failure, 2 usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	root := app.rootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ue usageError
	if strings.HasPrefix(err.Error(), "unknown command ") || strings.HasPrefix(err.Error(), "unknown flag") {
		ue = usageError{cmd: "distill", err: err} // cobra's own usage errors at the root
	}
	if ue.err != nil || errors.As(err, &ue) {
		fmt.Fprintf(stderr, "distill: %v\nRun '%s --help' for usage.\n", err, ue.cmd)
		return 2
	}
	fmt.Fprintf(stderr, "distill: %v\n", err)
	return 1
}
