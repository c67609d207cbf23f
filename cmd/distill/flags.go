package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The shared flags have one meaning in every command (README: "Shared
// flags"):
//
//	--dataset DIR     a BEIR folder: --queries DIR/queries.jsonl, --corpus
//	                  DIR/corpus.jsonl, --qrels DIR/qrels/test.tsv for those
//	                  the command takes and that are not given
//	--queries, --corpus, --qrels   the texts and the judgements
//	--candidates RUN  a first-stage TREC run whose candidates are scored
//	--tokenizer       a tokenizer.json (or vocab.txt)
//	--threads N       CPU threads the command computes with
//	--out PATH        what the command writes
//	--depth K         candidates per query: the first K of --candidates, or K
//	                  per query written by a first stage
//
// Old spellings keep working, hidden from --help (see aliases).

// addTextFlags adds --queries and --corpus, bound to queries and corpus, to
// a command that reads texts of both.
func addTextFlags(f *pflag.FlagSet, queries, corpus *string) {
	f.StringVar(queries, "queries", "", "queries: BEIR queries.jsonl or TSV (id<TAB>text)")
	f.StringVar(corpus, "corpus", "", "corpus: BEIR corpus.jsonl or TSV (id<TAB>[title<TAB>]text)")
}

// datasetFiles maps the flags --dataset fills to their file in a BEIR folder.
var datasetFiles = []struct{ flag, file string }{
	{"queries", "queries.jsonl"},
	{"corpus", "corpus.jsonl"},
	{"qrels", filepath.Join("qrels", "test.tsv")},
}

// addDatasetFlag adds --dataset to a command that takes --queries or
// --corpus; applyDataset fills them before it runs.
func addDatasetFlag(c *cobra.Command) {
	var takes []string
	for _, d := range datasetFiles {
		if c.Flags().Lookup(d.flag) != nil {
			takes = append(takes, d.file)
		}
	}
	c.Flags().String("dataset", "", fmt.Sprintf("a BEIR folder: default --queries, --corpus, --qrels from its %v", takes))
}

// applyDataset sets the --queries, --corpus and --qrels the command has and
// the user did not give from --dataset.
func applyDataset(c *cobra.Command) error {
	f := c.Flags().Lookup("dataset")
	if f == nil || f.Value.String() == "" {
		return nil
	}
	for _, d := range datasetFiles {
		if g := c.Flags().Lookup(d.flag); g != nil && !g.Changed {
			if err := c.Flags().Set(d.flag, filepath.Join(f.Value.String(), d.file)); err != nil {
				return usagef(c, "--dataset: %v", err)
			}
		}
	}
	return nil
}

// aliases keeps old flag spellings working: pflag normalises each old name
// to its new one, so --help lists only the new name and both set the same
// value.
func aliases(c *cobra.Command, oldToNew map[string]string) {
	c.Flags().SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if n, ok := oldToNew[name]; ok {
			return pflag.NormalizedName(n)
		}
		return pflag.NormalizedName(name)
	})
}

// groupRunE makes a command group ("distill teacher") print its help when
// called alone and reject an unknown subcommand as a usage error (exit 2),
// as gh does.
func groupRunE(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return c.Help()
	}
	return usagef(c, "unknown command %q for %q", args[0], c.CommandPath())
}

// finishCommands walks the command tree: groups get groupRunE.
func finishCommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		if sub.HasSubCommands() && sub.Run == nil && sub.RunE == nil {
			sub.RunE = groupRunE
			sub.Args = cobra.ArbitraryArgs
		}
		finishCommands(sub)
	}
}
