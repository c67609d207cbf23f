package report

import (
	"context"
	"encoding/json"
	"html"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/distill-ml/distill/metrics"
)

// chromium returns the headless browser of the layout test, or skips the
// test saying how to get one (`make test` installs Debian's chromium when
// run as root).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium on PATH: the report's layout is not checked (make test installs Debian's chromium as root; or apt-get install chromium)")
	return ""
}

// demoLikeComparison is a comparison shaped like the demo's: 14 systems
// with long pipeline names, every optional column, long label paths and
// training logs, so that the layout test sees the widest table distill
// writes.
func demoLikeComparison(t *testing.T) *Comparison {
	t.Helper()
	base := fixtureSystems()
	log := writeFile(t, "metrics.jsonl", "{\"step\":0,\"val_loss\":0.9,\"val_mrr10\":0.2,\"val_kendall_tau\":0.1}\n"+
		"{\"step\":100,\"loss\":0.9,\"lr\":1e-4}\n{\"step\":200,\"loss\":0.6,\"val_loss\":0.7,\"val_mrr10\":0.21,\"val_kendall_tau\":0.3}\n")
	systems := []System{base[0]}
	teacher := base[1]
	teacher.Name, teacher.Kind, teacher.Depth = "BM25 → teacher@100", "teacher", 100
	systems = append(systems, teacher)
	for _, name := range []string{"colbert-kd", "colbert-judgements", "splade-kd", "splade-judgements"} {
		kind := strings.Split(name, "-")[0]
		s := base[1]
		if kind == "splade" {
			s = base[2]
			s.Latencies, s.IndexBytes = ms(3, 3, 4, 5), 75<<20
		}
		s.Name, s.Kind, s.MetricsLog = name, kind, log
		s.LabelsUsed = "/home/someone/experiments/cranfield/demo-out/labels-train-with-a-long-name"
		s.CheckpointDir = "/home/someone/experiments/cranfield/demo-out/runs/" + name + "/best"
		s.ModelSHA256 = strings.Repeat("0123456789abcdef", 4)
		ms := s
		ms.Name, ms.Kind, ms.Depth = name+" → teacher@20", kind+"+teacher", 20
		rr := s
		rr.Name, rr.Depth = "BM25 → "+name+"@100", 100
		systems = append(systems, s, ms, rr)
	}
	c, err := Compare(systems, fixtureQrels(), fixtureTeacher(), Options{Seed: 1,
		Measures: []metrics.Measure{metrics.MRR10, metrics.NDCG10, metrics.RecallAt(20), metrics.RecallAt(100)}})
	if err != nil {
		t.Fatal(err)
	}
	c.Run = &RunProvenance{DistillVersion: "abc1234", Created: "2026-11-27T15:00:00Z", Inputs: []Input{
		{Role: "queries", Path: "/home/someone/experiments/cranfield/demo-out/splits/queries-test.jsonl", SHA256: strings.Repeat("ab", 32)},
		{Role: "qrels", Path: "data/cranfield-beir/qrels/test.tsv", SHA256: strings.Repeat("cd", 32)},
	}}
	return c
}

// layoutProbe measures the page in the browser and appends the result as
// JSON in <pre id="layout">: the document's scroll and client widths, the
// right edge of every table and of the last cell of its first row, and the
// number of distinct rows the figures occupy.
const layoutProbe = `<script>
const de = document.documentElement;
const out = {scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, tables: [], figures: 0, figureRows: 0};
for (const t of document.querySelectorAll('table')) {
  const cells = t.rows[0].cells;
  out.tables.push({id: t.id, right: t.getBoundingClientRect().right, lastCell: cells[cells.length - 1].getBoundingClientRect().right, columns: cells.length});
}
const tops = [...document.querySelectorAll('figure')].map(f => Math.round(f.getBoundingClientRect().top));
out.figures = tops.length;
out.figureRows = new Set(tops).size;
document.body.insertAdjacentHTML('beforeend', '<pre id="layout">' + JSON.stringify(out) + '</pre>');
</script>
</body>`

type layout struct {
	ScrollWidth, ClientWidth float64
	Tables                   []struct {
		ID              string
		Right, LastCell float64
		Columns         int
	}
	Figures, FigureRows int
}

// TestReportLayoutInChromium renders report.html in headless Chromium at
// 1280 and 1920 px: no horizontal scroll, every column of every table
// inside the window, plots in a grid (two per row at 1280, three at 1920),
// and a screenshot of the window's width.
func TestReportLayoutInChromium(t *testing.T) {
	bin := chromium(t)
	c := demoLikeComparison(t)
	dir := t.TempDir()
	page := writeHTMLPage(t, c, dir)
	probe := filepath.Join(dir, "probe.html")
	if err := os.WriteFile(probe, []byte(strings.Replace(page, "</body>", layoutProbe, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ width, perRow int }{{1280, 2}, {1920, 3}} {
		size := "--window-size=" + itoa(tc.width) + ",1000"
		out := runChromium(t, bin, size, "--dump-dom", "file://"+probe)
		m := regexp.MustCompile(`<pre id="layout">(\{.*?\})</pre>`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("%d px: no layout measurement in the DOM:\n%.2000s", tc.width, out)
		}
		var l layout
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &l); err != nil {
			t.Fatalf("%d px: %v: %s", tc.width, err, m[1])
		}
		t.Logf("%d px: %+v", tc.width, l)
		if l.ClientWidth < float64(tc.width)-40 || l.ScrollWidth > l.ClientWidth {
			t.Errorf("%d px: the page scrolls horizontally (scroll width %v, window %v)", tc.width, l.ScrollWidth, l.ClientWidth)
		}
		if len(l.Tables) < 3 {
			t.Errorf("%d px: %d tables", tc.width, len(l.Tables))
		}
		for _, tb := range l.Tables {
			if tb.Right > l.ClientWidth || tb.LastCell > l.ClientWidth {
				t.Errorf("%d px: table %s (%d columns) ends at %v, last column at %v, past the window's %v", tc.width, tb.ID, tb.Columns, tb.Right, tb.LastCell, l.ClientWidth)
			}
		}
		if want := (l.Figures + tc.perRow - 1) / tc.perRow; l.Figures < 6 || l.FigureRows != want {
			t.Errorf("%d px: %d plots on %d rows, want %d per row (%d rows)", tc.width, l.Figures, l.FigureRows, tc.perRow, want)
		}
		shot := filepath.Join(dir, "shot-"+itoa(tc.width)+".png")
		if d := os.Getenv("DISTILL_REPORT_SHOTS"); d != "" {
			shot = filepath.Join(d, "report-"+itoa(tc.width)+".png")
		}
		runChromium(t, bin, size, "--screenshot="+shot, "file://"+filepath.Join(dir, HTMLFile))
		f, err := os.Open(shot)
		if err != nil {
			t.Fatalf("%d px: no screenshot: %v", tc.width, err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() != tc.width {
			t.Errorf("%d px: screenshot %v (%v)", tc.width, img.Bounds(), err)
		}
	}
}

func runChromium(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	home := t.TempDir() // a profile of its own, nothing from the user's
	cmd := exec.CommandContext(ctx, bin, append([]string{"--headless", "--no-sandbox", "--disable-gpu",
		"--hide-scrollbars", "--user-data-dir=" + home, "--no-first-run", "--virtual-time-budget=3000"}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v", args, err)
	}
	return string(out)
}
