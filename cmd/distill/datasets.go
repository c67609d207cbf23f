package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/distill-ml/distill/datasets"
)

// datasetsConvertOptions is what `distill datasets convert` runs with.
type datasetsConvertOptions struct {
	IO                   streams
	From                 string // cranfield, smart or tsv
	Source               string // --from cranfield: the collection folder
	Out                  string
	Docs, Queries, Qrels string              // smart, tsv
	Split                string              // qrels/<split>.tsv
	QrelsLayout          datasets.SMARTQrels // smart
	Policy               datasets.Policy
	PolicyGiven          bool // --policy set: overrides Cranfield's own
}

func (a *app) datasetsConvertCmd() *cobra.Command {
	var opts datasetsConvertOptions
	var layout, policy string
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
			if opts.Out == "" {
				return usagef(cmd, "--out is required")
			}
			pol, err := datasets.ParsePolicy(policy)
			if err != nil {
				return usagef(cmd, "--policy: %v", err)
			}
			opts.Policy, opts.PolicyGiven = pol, cmd.Flags().Changed("policy")
			switch opts.From {
			case "cranfield":
				if len(args) != 1 {
					return usagef(cmd, "--from cranfield takes the collection folder as its argument")
				}
				opts.Source = args[0]
			case "smart":
				if opts.Docs == "" || opts.Queries == "" {
					return usagef(cmd, "--from smart needs --docs and --queries")
				}
				switch layout {
				case "trec":
					opts.QrelsLayout = datasets.QrelsTREC
				case "triples":
					opts.QrelsLayout = datasets.QrelsTriples
				default:
					return usagef(cmd, "--qrels-layout %q: want trec or triples", layout)
				}
			case "tsv":
				if opts.Docs == "" || opts.Queries == "" {
					return usagef(cmd, "--from tsv needs --docs and --queries")
				}
			default:
				return usagef(cmd, "--from %q: want cranfield, smart or tsv", opts.From)
			}
			opts.IO = a.streams()
			return runDatasetsConvert(&opts)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.From, "from", "", "source format: cranfield, smart or tsv")
	f.StringVar(&opts.Out, "out", "", "output BEIR folder")
	f.StringVar(&opts.Docs, "docs", "", "documents file (smart, tsv)")
	f.StringVar(&opts.Queries, "queries", "", "queries file (smart, tsv)")
	f.StringVar(&opts.Qrels, "qrels", "", "relevance judgements (optional)")
	f.StringVar(&layout, "qrels-layout", "trec", "smart: layout of --qrels, trec (qid iter docid rel) or triples (qid docid grade)")
	f.StringVar(&policy, "policy", "strict", "empty texts, duplicate ids, unknown ids: strict, skip or keep")
	f.StringVar(&opts.Split, "split", "test", "qrels split name: qrels/<split>.tsv")
	return c
}

// runDatasetsConvert converts the collection and prints what it wrote.
func runDatasetsConvert(opts *datasetsConvertOptions) error {
	var st datasets.Stats
	var err error
	switch opts.From {
	case "cranfield":
		copts := datasets.CranfieldOptions()
		if opts.PolicyGiven {
			copts.Policy = opts.Policy
		}
		src := opts.Source
		st, err = datasets.ConvertSMART(filepath.Join(src, datasets.CranfieldDocs), filepath.Join(src, datasets.CranfieldQueries),
			filepath.Join(src, datasets.CranfieldQrels), opts.Out, copts)
	case "smart":
		sopts := datasets.SMARTOptions{Split: opts.Split, QrelsLayout: opts.QrelsLayout, Policy: opts.Policy}
		st, err = datasets.ConvertSMART(opts.Docs, opts.Queries, opts.Qrels, opts.Out, sopts)
	case "tsv":
		st, err = convertTSV(opts.Docs, opts.Queries, opts.Qrels, opts.Out, opts.Split, opts.Policy)
	}
	if err != nil {
		return fmt.Errorf("datasets convert: %w", err)
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s: %d documents, %d queries, %d judgements of %d queries (%d dropped); %s\n",
		opts.Out, st.Documents, st.Queries, st.Qrels, st.JudgedQueries, st.DroppedQrels, st.Report.String())
	return nil
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

// datasetsSplitOptions is what `distill datasets split` runs with.
type datasetsSplitOptions struct {
	IO        streams
	Queries   string
	Out       string
	Parts     []string  // part names
	Fractions []float64 // of the queries, one per part, summing to 1
	Seed      int64
}

func (a *app) datasetsSplitCmd() *cobra.Command {
	var opts datasetsSplitOptions
	var parts string
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
			if opts.Queries == "" || opts.Out == "" {
				return usagef(cmd, "--queries and --out are required")
			}
			for _, p := range strings.Split(parts, ",") {
				name, frac, ok := strings.Cut(strings.TrimSpace(p), ":")
				f, err := strconv.ParseFloat(frac, 64)
				if !ok || err != nil || name == "" {
					return usagef(cmd, "--parts %q: want name:fraction,... e.g. train:0.8,test:0.2", parts)
				}
				opts.Parts = append(opts.Parts, name)
				opts.Fractions = append(opts.Fractions, f)
			}
			if _, err := datasets.Split(nil, opts.Parts, opts.Fractions, opts.Seed); err != nil {
				return usagef(cmd, "%v", err)
			}
			opts.IO = a.streams()
			return runDatasetsSplit(&opts)
		},
	}
	c.Flags().StringVar(&opts.Queries, "queries", "", "queries file (BEIR JSONL or TSV)")
	c.Flags().StringVar(&opts.Out, "out", "", "output folder")
	c.Flags().StringVar(&parts, "parts", "train:0.6,val:0.2,test:0.2", "part names and fractions")
	c.Flags().Int64Var(&opts.Seed, "seed", 1, "split seed")
	return c
}

// runDatasetsSplit writes one queries file per part.
func runDatasetsSplit(opts *datasetsSplitOptions) error {
	qs, err := datasets.ReadQueries(opts.Queries)
	if err != nil {
		return fmt.Errorf("datasets split: %w", err)
	}
	ids := make([]string, len(qs))
	byID := make(map[string]datasets.Query, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
		byID[q.ID] = q
	}
	split, err := datasets.Split(ids, opts.Parts, opts.Fractions, opts.Seed)
	if err != nil {
		return fmt.Errorf("datasets split: %w", err)
	}
	for _, name := range opts.Parts {
		part := make([]datasets.Query, 0, len(split[name]))
		for _, id := range split[name] {
			part = append(part, byID[id])
		}
		path := filepath.Join(opts.Out, "queries-"+name+".jsonl")
		if err := datasets.WriteQueriesJSONL(path, part); err != nil {
			return fmt.Errorf("datasets split: %w", err)
		}
		fmt.Fprintf(opts.IO.Out, "%s: %d queries\n", path, len(part))
	}
	return nil
}
