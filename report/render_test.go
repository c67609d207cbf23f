package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// fieldStarts returns the rune offsets where the cells of a tabwriter line
// begin (cells are separated by at least two spaces).
func fieldStarts(line string) (starts []int, fields []string) {
	sep := regexp.MustCompile(`\S+( \S+)*`)
	for _, loc := range sep.FindAllStringIndex(line, -1) {
		starts = append(starts, utf8.RuneCountInString(line[:loc[0]]))
		fields = append(fields, line[loc[0]:loc[1]])
	}
	return starts, fields
}

func TestWriteTable(t *testing.T) {
	systems, qrels := significanceFixture()
	systems[1].Kind = "colbert+teacher"
	c, err := Compare(systems, qrels, nil, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
	if len(lines) != 6 {
		t.Fatalf("got %d lines, want header, 3 rows, blank, footnote:\n%s", len(lines), buf.String())
	}
	hStarts, header := fieldStarts(lines[0])
	if want := []string{"System", "Kind", "MRR@10", "nDCG@10", "R@100"}; !reflect.DeepEqual(header, want) {
		t.Errorf("header = %q, want %q", header, want)
	}
	wantRows := [][]string{
		{"base", "-", "0.1000", "0.2891", "1.0000"},
		{"good", "colbert+teacher", "1.0000†", "1.0000†", "1.0000"},
		{"same", "-", "0.1000", "0.2891", "1.0000"},
	}
	for i, want := range wantRows {
		starts, fields := fieldStarts(lines[1+i])
		if !reflect.DeepEqual(fields, want) {
			t.Errorf("row %d = %q, want %q", i, fields, want)
		}
		if !reflect.DeepEqual(starts, hStarts) {
			t.Errorf("row %d columns start at %v, header at %v", i, starts, hStarts)
		}
	}
	if lines[4] != "" || !strings.HasPrefix(lines[5], "† p < 0.05 vs base") || !strings.Contains(lines[5], "12 queries") {
		t.Errorf("footnote = %q", lines[4:])
	}
}

func TestWriteMarkdown(t *testing.T) {
	systems, qrels := significanceFixture()
	systems[1].Name = "good|v2"
	c, err := Compare(systems, qrels, nil, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		"## distill compare: 3 systems on 12 queries\n",
		"| System | Kind | MRR@10 | nDCG@10 | R@100 |\n| --- | --- | ---: | ---: | ---: |\n",
		"| base | - | 0.1000 | 0.2891 | 1.0000 |\n",
		`| good\|v2 | - | 1.0000† | 1.0000† | 1.0000 |` + "\n",
		"### Differences from base\n",
		"| System | Δ MRR@10 | p MRR@10 | Δ nDCG@10 | p nDCG@10 | Δ R@100 | p R@100 |\n",
		"| same | +0.0000 | 1.0000 | +0.0000 | 1.0000 | +0.0000 | 1.0000 |\n",
		"### Notes\n",
		`- † marks a mean that differs from the baseline "base" with p < 0.05`,
		"10000 iterations, seed 3",
		"Means over 12 judged queries",
		"Queries: s10, s11, s12,",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if !regexp.MustCompile(`\| good\\\|v2 \| \+0\.9000 \| 0\.000\d† \|`).MatchString(md) {
		t.Errorf("differences table lacks the good row with a marked p-value:\n%s", md)
	}
	// Every row of a table has as many unescaped pipes as its header.
	pipes := regexp.MustCompile(`(^|[^\\])\|`)
	var want int
	for line := range strings.Lines(md) {
		if !strings.HasPrefix(line, "|") {
			want = 0
			continue
		}
		n := len(pipes.FindAllString(line, -1))
		if want == 0 {
			want = n
		} else if n != want {
			t.Errorf("%d cells in %q, want %d", n-1, line, want-1)
		}
	}
}

func TestListQueries(t *testing.T) {
	var ids []string
	for i := range 25 {
		ids = append(ids, "q"+itoa(i))
	}
	got := listQueries(ids)
	if !strings.HasPrefix(got, "q0, q1,") || !strings.Contains(got, "q19, … (5 more") || strings.Contains(got, "q20") {
		t.Errorf("listQueries = %q", got)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	systems := fixtureSystems()
	systems[1].MetricsLog = writeFile(t, "m.jsonl", "{\"step\":1,\"loss\":2}\n{\"step\":2,\"loss\":1,\"val_mrr10\":0.25}\n")
	c, err := Compare(systems, fixtureQrels(), fixtureTeacher(), Options{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	for _, want := range []string{`"p_value"`, `"per_query"`, `"recip_rank_cut_10"`, `"best_margin_mse"`, `"margin_mse"`, `"val_mrr10"`, `"query_ids"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	if strings.Contains(raw, "NaN") {
		t.Error("JSON contains NaN")
	}
	back, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, c) {
		a, _ := json.Marshal(c)
		b, _ := json.Marshal(back)
		t.Errorf("round trip differs:\n%s\n%s", a, b)
	}

	// A generic decoder sees the per-query values and the p-values.
	var doc struct {
		Systems []struct {
			PerQuery     map[string]map[string]float64 `json:"per_query"`
			Significance map[string]struct {
				PValue float64 `json:"p_value"`
			} `json:"significance"`
		} `json:"systems"`
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	checkClose(t, "student q4 RR from JSON", doc.Systems[1].PerQuery["q4"]["recip_rank_cut_10"], 0.5)
	if p := doc.Systems[2].Significance["ndcg_cut_10"].PValue; p <= 0 || p > 1 {
		t.Errorf("reversed p nDCG@10 = %v", p)
	}
	if _, err := ReadJSON(strings.NewReader("{")); err == nil {
		t.Error("ReadJSON accepted truncated input")
	}
}
