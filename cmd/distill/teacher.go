package main

import "github.com/spf13/cobra"

func (a *app) teacherCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "teacher",
		Short: "Run a cross-encoder teacher: label pairs, rerank runs",
		Long: `Commands that run an ONNX cross-encoder: 'label' writes soft labels for
training students, 'rerank' reranks a TREC run (stage-2 reranking).`,
	}
	c.AddCommand(a.teacherLabelCmd(), a.teacherRerankCmd(), a.teacherFinetuneCmd())
	return c
}
