package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"github.com/distill-ml/distill/datasets"
	"github.com/distill-ml/distill/teacher"
)

// teacherRerankOptions is what `distill teacher rerank` runs with.
type teacherRerankOptions struct {
	IO      streams
	Scoring scoringOptions
	Out     string
	Tag     string
}

func (a *app) teacherRerankCmd() *cobra.Command {
	var opts teacherRerankOptions
	o := &opts.Scoring
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
			if err := o.resolve(cmd, opts.Out); err != nil {
				return err
			}
			opts.IO = a.streams()
			return runTeacherRerank(cmd.Context(), &opts)
		},
	}
	o.register(c)
	c.Flags().StringVar(&o.candidates, "candidates", "", "TREC run whose candidates are reranked")
	c.Flags().StringVar(&opts.Out, "out", "", "output TREC run")
	c.Flags().StringVar(&opts.Tag, "tag", "distill-ce", "run tag written in the last column")
	aliases(c, map[string]string{"run": "candidates"})
	return c
}

// runTeacherRerank scores the candidates with the cross-encoder and writes
// them in its order.
func runTeacherRerank(ctx context.Context, opts *teacherRerankOptions) error {
	o := &opts.Scoring
	in, err := teacher.LoadInputs(o.queries, o.corpus, o.candidates, teacher.InputOptions{Depth: o.depth, SkipMissing: o.skipMissing})
	if err != nil {
		return flagHint(fmt.Errorf("teacher rerank: %w", err))
	}
	eng, sc, err := opts.IO.engine(o)
	if err != nil {
		return flagHint(fmt.Errorf("teacher rerank: %w", err))
	}
	defer sc.Close()
	eng.Progress = opts.IO.progress("reranking")
	eng.Progress.Total = int64(in.Report.Pairs)
	eng.Progress.Start()
	reranked, st, err := teacher.Rerank(ctx, eng, in, opts.Tag)
	eng.Progress.Stop()
	if err != nil {
		return fmt.Errorf("teacher rerank: %w", err)
	}
	if err := datasets.WriteRun(opts.Out, reranked, opts.Tag); err != nil {
		return fmt.Errorf("teacher rerank: %w", err)
	}
	opts.IO.Log.Info("reranked", zap.String("out", opts.Out), zap.Int("queries", len(reranked)), zap.Int("pairs", st.Pairs),
		zap.Float64("pairs_per_s", st.PairsPerSecond()), zap.Float64("padding_waste", st.PaddingWaste()))
	fmt.Fprintf(opts.IO.Out, "reranked %d pairs of %d queries into %s (%.1f pairs/s)\n", st.Pairs, len(reranked), opts.Out, st.PairsPerSecond())
	return nil
}
