package report

import (
	"encoding/xml"
	"fmt"
	"html"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/distill-ml/distill/metrics"
)

// htmlReport writes the fixture comparison, with training logs for two
// systems, and returns it with the folder and the page.
func htmlReport(t *testing.T) (*Comparison, string, string) {
	t.Helper()
	systems := fixtureSystems()
	systems[1].MetricsLog = writeFile(t, "student.jsonl",
		"{\"step\":100,\"loss\":0.9,\"lr\":1e-4}\n{\"step\":200,\"loss\":0.6,\"val_loss\":0.7,\"val_mrr10\":0.21}\n"+
			"{\"step\":300,\"loss\":0.5,\"val_loss\":0.65,\"val_mrr10\":0.27}\n")
	systems[2].MetricsLog = writeFile(t, "splade.jsonl", "{\"step\":100,\"loss\":1.5}\n{\"step\":200,\"loss\":1.1}\n")
	c, err := Compare(systems, fixtureQrels(), fixtureTeacher(), Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out", "compare")
	return c, dir, writeHTMLPage(t, c, dir)
}

// writeHTMLPage writes c's HTML report into dir and returns its page.
func writeHTMLPage(t *testing.T, c *Comparison, dir string) string {
	t.Helper()
	if err := c.WriteHTML(dir); err != nil {
		t.Fatalf("WriteHTML: %v", err)
	}
	page, err := os.ReadFile(filepath.Join(dir, HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	return string(page)
}

func TestWriteHTMLImages(t *testing.T) {
	_, dir, page := htmlReport(t)
	var srcs []string
	sizes := map[string]string{} // src → the <img>'s "width×height"
	for _, m := range regexp.MustCompile(`<img src="([^"]+)"[^>]* width="(\d+)" height="(\d+)"`).FindAllStringSubmatch(page, -1) {
		src := html.UnescapeString(m[1])
		srcs = append(srcs, src)
		sizes[src] = m[2] + "×" + m[3]
	}
	want := []string{
		"measure-recip_rank_cut_10.png", "measure-ndcg_cut_10.png", "measure-recall_100.png",
		"latency-ndcg_cut_10.png", "training-loss.png", "training-val_mrr10.png",
	}
	if !slices.Equal(srcs, want) {
		t.Errorf("img src = %v, want %v", srcs, want)
	}
	for _, src := range srcs {
		f, err := os.Open(filepath.Join(dir, src))
		if err != nil {
			t.Errorf("image %s: %v", src, err)
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("image %s is not a PNG: %v", src, err)
			continue
		}
		b := img.Bounds()
		if got := fmt.Sprintf("%d×%d", b.Dx(), b.Dy()); sizes[src] != got {
			t.Errorf("image %s is %s, its <img> says %s", src, got, sizes[src])
		}
		if strings.HasPrefix(src, "latency-") {
			// 576×384 and the legend in a strip to the right.
			if b.Dx() < 576+50 || b.Dx() > 576+300 || b.Dy() != 384 {
				t.Errorf("image %s is %v, want 384 high and 576 wide plus a legend strip", src, b.Size())
			} else if !inked(img, 576, b.Dx()) {
				t.Errorf("image %s: nothing drawn in the legend strip", src)
			}
		} else if b.Dx() != 576 || b.Dy() != 384 {
			t.Errorf("image %s is %v, want 576×384", src, b.Size())
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want)+1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want the plots and report.html only (no temporary files)", names)
	}
}

func TestWriteHTMLContent(t *testing.T) {
	c, _, page := htmlReport(t)
	text := html.UnescapeString(page)

	// The results table holds exactly the cells of the terminal table.
	header, rows := c.cells()
	table := sectionOf(t, page, `<table id="results">`, `</table>`)
	if got := cellsOf(table, "th"); !reflect.DeepEqual(got, header) {
		t.Errorf("HTML header = %q, want %q", got, header)
	}
	if got, want := cellsOf(table, "td"), slices.Concat(rows...); !reflect.DeepEqual(got, want) {
		t.Errorf("HTML cells = %q, want %q", got, want)
	}
	for _, want := range []string{
		"0.8750", "0.9077", "29.33", "-1.0000", "12.0 MiB", "123.5", // table numbers
		"checkpoints/colbert-2000", "labels/minilm-msmarco", "student.jsonl", // provenance
		"Differences from bm25", "Queries: q1, q2, q3, q4", "† marks a mean", "Best-margin MSE compares score margins",
		"colbert", "splade",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	sig := sectionOf(t, page, `<table id="significance">`, `</table>`)
	if got := len(cellsOf(sig, "td")); got != 2*7 {
		t.Errorf("significance table has %d cells, want 2 rows × 7", got)
	}
	for _, banned := range []string{"<script", "<link", "http://", "https://"} {
		if strings.Contains(page, banned) {
			t.Errorf("HTML is not self-contained: contains %q", banned)
		}
	}
	// Well formed: every element closes (lenient XML with HTML rules).
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("HTML does not parse: %v", err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		t.Errorf("unbalanced elements: depth %d at end", depth)
	}
}

func TestWriteHTMLMinimal(t *testing.T) {
	systems, qrels := significanceFixture()
	c, err := Compare(systems[:1], qrels, nil, Options{Measures: []metrics.Measure{"MRR@10"}})
	if err != nil {
		t.Fatal(err)
	}
	page := writeHTMLPage(t, c, t.TempDir())
	imgs := regexp.MustCompile(`<img src="([^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(imgs) != 1 || imgs[0][1] != "measure-recip_rank_cut_10.png" {
		t.Errorf("images = %v, want the MRR@10 bar chart only", imgs)
	}
	if strings.Contains(string(page), `id="significance"`) {
		t.Error("single system has a differences table")
	}
}

// sectionOf returns page from the first start to the following end.
func sectionOf(t *testing.T, page, start, end string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, start)
	if !ok {
		t.Fatalf("page lacks %s", start)
	}
	section, _, ok := strings.Cut(rest, end)
	if !ok {
		t.Fatalf("%s is not closed", start)
	}
	return section
}

// cellsOf returns the unescaped text of every <tag> cell in s.
func cellsOf(s, tag string) []string {
	re := regexp.MustCompile(`<` + tag + `(?: [^>]*)?>(.*?)</` + tag + `>`)
	var out []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// inked reports whether img has a dark pixel in columns [x0, x1).
func inked(img image.Image, x0, x1 int) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := x0; x < x1; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0x8000 {
				return true
			}
		}
	}
	return false
}
