package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func TestLine(t *testing.T) {
	got := Line("validation", 30, 120, "queries", 41.25, "queries", 2*time.Second, "")
	want := "validation [======>                 ] 30/120 queries  41.2 queries/s  ETA 2s"
	if got != want {
		t.Errorf("Line\n got %q\nwant %q", got, want)
	}
	got = Line("indexing", 52000, 0, "documents", 125000, "documents", 0, "")
	if want := "indexing 52000 documents  125000 documents/s"; got != want {
		t.Errorf("Line of an unknown total\n got %q\nwant %q", got, want)
	}
	got = Line("training", 300, 300, "steps", 0.712, "ex", 0, "loss 0.6931")
	if want := "training [========================] 300/300 steps  0.712 ex/s  loss 0.6931"; got != want {
		t.Errorf("finished Line\n got %q\nwant %q", got, want)
	}
}

// TestLogLinesAboveTheBar: a log line written while a bar is shown clears
// the bar's line, is written whole, and the bar is drawn again after it.
func TestLogLinesAboveTheBar(t *testing.T) {
	var buf bytes.Buffer
	c := NewConsole(&buf, true)
	b := c.Start("encoding", 0, 10, "documents")
	b.start = time.Now().Add(-2 * time.Second) // past the quiet second
	b.Add(4)
	if !strings.Contains(buf.String(), "encoding [") {
		t.Fatalf("no bar drawn: %q", buf.String())
	}
	buf.Reset()
	c.Write([]byte("12:00:00 INFO checkpoint\n"))
	if got := buf.String(); !strings.HasPrefix(got, "\r\033[K12:00:00 INFO checkpoint\n") || !strings.Contains(got, "\nencoding [=========>              ] 4/10 documents") {
		t.Errorf("log line not above the bar: %q", got)
	}
	b.Add(6)
	b.Done()
	if !strings.HasSuffix(buf.String(), "10/10 documents  "+formatRate(b.Rate())+" documents/s\n") {
		t.Errorf("final bar %q", buf.String())
	}
	buf.Reset()
	c.Write([]byte("after\n"))
	if buf.String() != "after\n" {
		t.Errorf("after Done the console writes plainly: %q", buf.String())
	}
}

// TestPauseExcludesTime: the rate counts running time only.
func TestPauseExcludesTime(t *testing.T) {
	c := NewConsole(&bytes.Buffer{}, true)
	b := c.Start("training", 10, 110, "steps")
	b.SetRate("ex", 32)
	b.ran, b.start = 0, time.Now().Add(-10*time.Second)
	b.Set(60, "")
	b.Pause()
	b.ran = 10 * time.Second // 10 s of training, however long the pause lasts
	time.Sleep(20 * time.Millisecond)
	if r := b.Rate(); r != 50*32/10.0 {
		t.Errorf("rate while paused %v, want 160 ex/s", r)
	}
	if e := b.eta(); e != 10*time.Second {
		t.Errorf("ETA %v, want 10s (50 steps at 5 steps/s)", e)
	}
}

// TestPeriodicLogLines: off a terminal a bar logs at the interval and
// writes nothing itself.
func TestPeriodicLogLines(t *testing.T) {
	var buf bytes.Buffer
	core, logs := observer.New(zap.InfoLevel)
	c := NewConsole(&buf, false)
	c.SetLogger(zap.New(core))
	c.SetInterval(0)
	b := c.Start("compare BM25 → teacher@100", 0, 3, "queries")
	b.start = time.Now().Add(-2 * time.Second)
	b.Add(1)
	b.Add(1)
	b.Done()
	if buf.Len() != 0 {
		t.Errorf("wrote %q off a terminal", buf.String())
	}
	if logs.Len() != 2 {
		t.Fatalf("%d progress lines, want 2", logs.Len())
	}
	f := logs.All()[1].ContextMap()
	if f["stage"] != "compare BM25 → teacher@100" || f["done"] != int64(2) || f["of"] != int64(3) || f["unit"] != "queries" {
		t.Errorf("fields %v", f)
	}
	// A stage of unknown total (total 0) logs its count, never an "of" it cannot know.
	u := c.Start("indexing", 0, 0, "documents")
	u.start = time.Now().Add(-2 * time.Second)
	u.Add(500)
	u.Done()
	if logs.Len() != 3 {
		t.Fatalf("%d progress lines after the unknown-total stage, want 3", logs.Len())
	}
	if f := logs.All()[2].ContextMap(); f["done"] != int64(500) || f["eta"] != time.Duration(0) || f["of"] != nil {
		t.Errorf("unknown-total fields %v", f)
	}
	var nilBar *Bar
	nilBar.Add(1) // a nil bar (no console) does nothing
	nilBar.Done()
}
