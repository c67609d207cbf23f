package main

import "github.com/spf13/cobra"

// commands returns the top-level verbs; one file per verb.
func (a *app) commands() []*cobra.Command {
	return []*cobra.Command{
		a.teacherCmd(),
		a.bm25Cmd(),
		a.labelsCmd(),
		a.tokenizeCmd(),
		a.datasetsCmd(),
		a.evalCmd(),
		a.studentCmd(), a.checkpointsCmd(),
		a.pretrainCmd(),
		a.exportCmd(),
		a.compareCmd(),
		a.retrieveCmd(),
	}
}
