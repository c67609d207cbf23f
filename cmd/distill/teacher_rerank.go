package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/teacher"
)

func (a *app) teacherRerankCmd() *cobra.Command {
	var o scoringOptions
	var out, tag string
	c := &cobra.Command{
		Use:   "rerank --model M.onnx --tokenizer tokenizer.json --queries Q --corpus C --candidates RUN --out RUN",
		Short: "Rerank a TREC run with the cross-encoder (stage-2 reranking)",
		Long: `Scores the candidates of a TREC run with an ONNX cross-encoder and writes a
TREC run ordered by the cross-encoder's raw score (ties by document id): the
cross-encoder's first role in a retrieval pipeline. --depth reranks only the
top-K of each query. Same engine and flags as 'distill teacher label'.`,
		Example: `  distill teacher rerank --model ce/model.onnx --tokenizer ce/tokenizer.json \
      --dataset data/trec-dl19-passage-subset --candidates bm25.run --depth 100 --out ce.run
  distill eval --run ce.run --qrels data/trec-dl19-passage-subset/qrels/test.tsv`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.resolve(cmd); err != nil {
				return err
			}
			if o.candidates == "" || out == "" {
				return usagef(cmd, "--candidates and --out are required")
			}
			in, err := teacher.LoadInputs(o.queries, o.corpus, o.candidates, teacher.InputOptions{Depth: o.depth, SkipMissing: o.skipMissing})
			if err != nil {
				return fmt.Errorf("teacher rerank: %w", err)
			}
			eng, sc, err := a.engine(&o)
			if err != nil {
				return fmt.Errorf("teacher rerank: %w", err)
			}
			defer sc.Close()
			eng.Progress = a.progress("reranking")
			eng.Progress.Total = int64(in.Report.Pairs)
			eng.Progress.Start()
			reranked, st, err := teacher.Rerank(cmd.Context(), eng, in, tag)
			eng.Progress.Stop()
			if err != nil {
				return fmt.Errorf("teacher rerank: %w", err)
			}
			if err := datasets.WriteRun(out, reranked, tag); err != nil {
				return fmt.Errorf("teacher rerank: %w", err)
			}
			a.log.Info("reranked", zap.String("out", out), zap.Int("queries", len(reranked)), zap.Int("pairs", st.Pairs),
				zap.Float64("pairs_per_s", st.PairsPerSecond()), zap.Float64("padding_waste", st.PaddingWaste()))
			fmt.Fprintf(a.stdout, "reranked %d pairs of %d queries into %s (%.1f pairs/s)\n", st.Pairs, len(reranked), out, st.PairsPerSecond())
			return nil
		},
	}
	o.register(c)
	c.Flags().StringVar(&o.candidates, "candidates", "", "TREC run whose candidates are reranked")
	c.Flags().StringVar(&out, "out", "", "output TREC run")
	c.Flags().StringVar(&tag, "tag", "distill-ce", "run tag written in the last column")
	aliases(c, map[string]string{"run": "candidates"})
	return c
}
