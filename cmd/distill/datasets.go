package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/datasets"
)

func (a *app) datasetsCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "datasets",
		Short: "Convert retrieval collections to the BEIR layout",
	}
	c.AddCommand(a.datasetsConvertCmd(), a.datasetsSplitCmd())
	return c
}

func (a *app) datasetsConvertCmd() *cobra.Command {
	var from, out, docs, queries, qrels, layout, policy, split string
	c := &cobra.Command{
		Use:   "convert --from cranfield|smart|tsv ... --out DIR",
		Short: "Convert SMART collections (Cranfield, CISI, MED) or TSV files to a BEIR folder",
		Long: `Writes a BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv) from:

  --from cranfield SRC_DIR    the Cranfield collection (cran.all.1400, cran.qry,
                              cranqrel): queries renumbered 1..225 in file order
                              as cranqrel counts them, grades 1..4 mapped to
                              relevance 4..1, the ungraded source-paper lines
                              (-1) dropped
  --from smart                any SMART collection (.I/.T/.A/.B/.W records):
                              --docs, --queries, optional --qrels in TREC layout
                              (qid iter docid rel) or --qrels-layout triples
                              (qid docid grade)
  --from tsv                  MS MARCO style id<TAB>text files: --docs, --queries,
                              optional --qrels (TREC or BEIR TSV)

--policy says what happens to empty texts, duplicate ids and judgements of
unknown queries or documents: strict (error naming file and line), skip
(drop and count) or keep (keep and count).`,
		Example: `  distill datasets convert --from cranfield data/cranfield --out data/cranfield-beir
  distill datasets convert --from smart --docs CISI.ALL --queries CISI.QRY \
      --qrels CISI.REL --out data/cisi`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef(cmd, "--out is required")
			}
			pol, err := datasets.ParsePolicy(policy)
			if err != nil {
				return usagef(cmd, "--policy: %v", err)
			}
			var st datasets.Stats
			switch from {
			case "cranfield":
				if len(args) != 1 {
					return usagef(cmd, "--from cranfield takes the collection folder as its argument")
				}
				opts := datasets.CranfieldOptions()
				if cmd.Flags().Changed("policy") {
					opts.Policy = pol
				}
				st, err = datasets.ConvertSMART(filepath.Join(args[0], datasets.CranfieldDocs), filepath.Join(args[0], datasets.CranfieldQueries),
					filepath.Join(args[0], datasets.CranfieldQrels), out, opts)
			case "smart":
				if docs == "" || queries == "" {
					return usagef(cmd, "--from smart needs --docs and --queries")
				}
				opts := datasets.SMARTOptions{Split: split, Policy: pol}
				switch layout {
				case "trec":
					opts.QrelsLayout = datasets.QrelsTREC
				case "triples":
					opts.QrelsLayout = datasets.QrelsTriples
				default:
					return usagef(cmd, "--qrels-layout %q: want trec or triples", layout)
				}
				st, err = datasets.ConvertSMART(docs, queries, qrels, out, opts)
			case "tsv":
				if docs == "" || queries == "" {
					return usagef(cmd, "--from tsv needs --docs and --queries")
				}
				st, err = convertTSV(docs, queries, qrels, out, split, pol)
			default:
				return usagef(cmd, "--from %q: want cranfield, smart or tsv", from)
			}
			if err != nil {
				return fmt.Errorf("datasets convert: %w", err)
			}
			fmt.Fprintf(a.stdout, "wrote %s: %d documents, %d queries, %d judgements of %d queries (%d dropped); %s\n",
				out, st.Documents, st.Queries, st.Qrels, st.JudgedQueries, st.DroppedQrels, st.Report.String())
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&from, "from", "", "source format: cranfield, smart or tsv")
	f.StringVar(&out, "out", "", "output BEIR folder")
	f.StringVar(&docs, "docs", "", "documents file (smart, tsv)")
	f.StringVar(&queries, "queries", "", "queries file (smart, tsv)")
	f.StringVar(&qrels, "qrels", "", "relevance judgements (optional)")
	f.StringVar(&layout, "qrels-layout", "trec", "smart: layout of --qrels, trec (qid iter docid rel) or triples (qid docid grade)")
	f.StringVar(&policy, "policy", "strict", "empty texts, duplicate ids, unknown ids: strict, skip or keep")
	f.StringVar(&split, "split", "test", "qrels split name: qrels/<split>.tsv")
	return c
}

// convertTSV reads TSV queries and corpus (and optional qrels) and writes BEIR.
func convertTSV(docs, queries, qrels, out, split string, pol datasets.Policy) (datasets.Stats, error) {
	var st datasets.Stats
	v := &datasets.Validator{Policy: pol}
	b := &datasets.BEIR{}
	var err error
	if b.Corpus, err = v.ReadCorpus(docs); err != nil {
		return st, err
	}
	if b.Queries, err = v.ReadQueries(queries); err != nil {
		return st, err
	}
	if qrels != "" {
		v.Queries, v.Docs = datasets.QueryIDs(b.Queries), datasets.DocIDs(b.Corpus)
		if b.Qrels, err = v.ReadQrels(qrels); err != nil {
			return st, err
		}
	}
	if err := datasets.WriteBEIR(out, split, b); err != nil {
		return st, err
	}
	st.Documents, st.Queries, st.Report = len(b.Corpus), len(b.Queries), v.Report
	if b.Qrels != nil {
		st.Qrels, st.JudgedQueries = b.Qrels.Len(), len(b.Qrels)
	}
	return st, nil
}

func (a *app) datasetsSplitCmd() *cobra.Command {
	var queries, out, parts string
	var seed int64
	c := &cobra.Command{
		Use:   "split --queries Q --out DIR [--parts train:0.6,val:0.2,test:0.2] [--seed 1]",
		Short: "Split queries into train / validation / test sets deterministically",
		Long: `Writes DIR/queries-<part>.jsonl for each part. Queries are ordered by a
seeded hash of their id and cut into parts of the given fractions, so the
split depends only on the query ids and --seed, never on file order, and the
same command always gives the same split.`,
		Example: `  distill datasets split --queries data/cranfield-beir/queries.jsonl --out splits/ --seed 1`,
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if queries == "" || out == "" {
				return usagef(cmd, "--queries and --out are required")
			}
			var names []string
			var fracs []float64
			for _, p := range strings.Split(parts, ",") {
				name, frac, ok := strings.Cut(strings.TrimSpace(p), ":")
				f, err := strconv.ParseFloat(frac, 64)
				if !ok || err != nil || name == "" {
					return usagef(cmd, "--parts %q: want name:fraction,... e.g. train:0.8,test:0.2", parts)
				}
				names = append(names, name)
				fracs = append(fracs, f)
			}
			qs, err := datasets.ReadQueries(queries)
			if err != nil {
				return fmt.Errorf("datasets split: %w", err)
			}
			ids := make([]string, len(qs))
			byID := make(map[string]datasets.Query, len(qs))
			for i, q := range qs {
				ids[i] = q.ID
				byID[q.ID] = q
			}
			split, err := datasets.Split(ids, names, fracs, seed)
			if err != nil {
				return usagef(cmd, "%v", err)
			}
			for _, name := range names {
				part := make([]datasets.Query, 0, len(split[name]))
				for _, id := range split[name] {
					part = append(part, byID[id])
				}
				path := filepath.Join(out, "queries-"+name+".jsonl")
				if err := datasets.WriteQueriesJSONL(path, part); err != nil {
					return fmt.Errorf("datasets split: %w", err)
				}
				fmt.Fprintf(a.stdout, "%s: %d queries\n", path, len(part))
			}
			return nil
		},
	}
	c.Flags().StringVar(&queries, "queries", "", "queries file (BEIR JSONL or TSV)")
	c.Flags().StringVar(&out, "out", "", "output folder")
	c.Flags().StringVar(&parts, "parts", "train:0.6,val:0.2,test:0.2", "part names and fractions")
	c.Flags().Int64Var(&seed, "seed", 1, "split seed")
	return c
}
