package main

import "github.com/spf13/cobra"

// commands returns the top-level verbs and command groups; one file per
// verb.
func (a *app) commands() []*cobra.Command {
	return []*cobra.Command{
		group("teacher", "Run a cross-encoder teacher: label pairs, rerank runs", `Commands that run an ONNX cross-encoder: 'label' writes soft labels for
training students, 'rerank' reranks a TREC run (stage-2 reranking).`,
			a.teacherLabelCmd(), a.teacherRerankCmd(), a.teacherFinetuneCmd()),
		a.bm25Cmd(),
		group("labels", "Inspect, export and merge teacher labels", "",
			a.labelsInspectCmd(), a.labelsExportCmd(), a.labelsMergeCmd(), a.labelsVerifyCmd()),
		a.tokenizeCmd(),
		group("datasets", "Convert retrieval collections to the BEIR layout", "",
			a.datasetsConvertCmd(), a.datasetsSplitCmd()),
		a.evalCmd(),
		group("student", "Train ColBERT and SPLADE students on teacher labels, and rerank with them", "",
			a.studentTrainCmd(), a.studentRerankCmd()),
		group("checkpoints", "Inspect student checkpoints", "",
			a.checkpointsInspectCmd()),
		a.pretrainCmd(),
		group("export", "Export a checkpoint for serving outside distill", `Commands that turn a distill checkpoint into a model other tools can serve:
'onnx' writes it as an ONNX model with the Hugging Face input names.`,
			a.exportONNXCmd()),
		a.compareCmd(),
		a.retrieveCmd(),
	}
}

// group returns a command group: its subcommands under one name (it prints
// its help when called alone; see finishCommands).
func group(use, short, long string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Long: long}
	c.AddCommand(subs...)
	return c
}
