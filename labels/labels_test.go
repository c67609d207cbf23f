package labels

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"
)

var testProv = Provenance{KeyModelSHA256: "abc", KeyTokenizerSHA256: "def", KeyMaxLength: "256",
	KeyTruncation: "longest_first", KeyActivation: "none (raw logit)", KeyCandidates: "123"}

func testRows() []Row {
	return []Row{
		{QueryID: "q1", DocumentIDs: []string{"d1", "d2", "d3"}, Scores: []float32{3.5, -1.25, 0.5}},
		{QueryID: "q2", DocumentIDs: []string{"d9"}, Scores: []float32{7}},
		{QueryID: "q3", DocumentIDs: []string{}, Scores: []float32{}},
	}
}

func writeSet(t *testing.T, dir string, rows []Row, shard *Shard) *Manifest {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	e, err := WritePart(filepath.Join(dir, "part-00000.arrow"), rows, testProv)
	if err != nil {
		t.Fatal(err)
	}
	e.Path = "part-00000.arrow"
	m := &Manifest{Provenance: testProv, Files: []FileEntry{e}, Shard: shard}
	if err := WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExactArrowSchema(t *testing.T) {
	dir := t.TempDir()
	writeSet(t, dir, testRows(), nil)
	f, err := os.Open(filepath.Join(dir, "part-00000.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := r.Schema()
	want := []struct {
		name string
		typ  arrow.DataType
	}{
		{"query_id", arrow.BinaryTypes.String},
		{"document_ids", arrow.ListOf(arrow.BinaryTypes.String)},
		{"scores", arrow.ListOf(arrow.PrimitiveTypes.Float32)},
	}
	if len(s.Fields()) != len(want) {
		t.Fatalf("schema %s", s)
	}
	for i, w := range want {
		if s.Field(i).Name != w.name || !arrow.TypeEqual(s.Field(i).Type, w.typ) {
			t.Errorf("field %d = %s %s, want %s %s", i, s.Field(i).Name, s.Field(i).Type, w.name, w.typ)
		}
	}
	md := s.Metadata()
	for k, v := range testProv {
		if got, _ := md.GetValue(k); got != v {
			t.Errorf("metadata %s = %q, want %q", k, got, v)
		}
	}
	if v, _ := md.GetValue(KeyVersion); v != SchemaVersion {
		t.Errorf("layout version %q", v)
	}
	// zstd compression is on: the file's record batches carry a codec.
	raw, _ := os.ReadFile(filepath.Join(dir, "part-00000.arrow"))
	if !bytes.HasPrefix(raw, []byte("ARROW1")) {
		t.Errorf("not an Arrow IPC file")
	}
}

func TestRoundTripAndVerify(t *testing.T) {
	dir := t.TempDir()
	m := writeSet(t, dir, testRows(), nil)
	if m.Queries != 3 || m.Pairs != 4 {
		t.Fatalf("manifest counts %d queries %d pairs, want 3 and 4", m.Queries, m.Pairs)
	}
	rows, prov, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if prov[KeyModelSHA256] != "abc" {
		t.Errorf("provenance %v", prov)
	}
	want := testRows()
	if len(rows) != len(want) {
		t.Fatalf("%d rows", len(rows))
	}
	for i := range want {
		if rows[i].QueryID != want[i].QueryID || strings.Join(rows[i].DocumentIDs, ",") != strings.Join(want[i].DocumentIDs, ",") {
			t.Errorf("row %d = %+v", i, rows[i])
		}
		for j := range want[i].Scores {
			if rows[i].Scores[j] != want[i].Scores[j] {
				t.Errorf("row %d score %d = %v want %v", i, j, rows[i].Scores[j], want[i].Scores[j])
			}
		}
	}
	// Corrupt one byte: verification names the file.
	p := filepath.Join(dir, "part-00000.arrow")
	raw, _ := os.ReadFile(p)
	raw[len(raw)/2] ^= 0xff
	os.WriteFile(p, raw, 0o644)
	if _, err := Open(dir, true); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("corrupted file: err = %v", err)
	}
	// Truncate: size mismatch, and the raw reader refuses it too.
	os.WriteFile(p, raw[:len(raw)-20], 0o644)
	if _, err := Open(dir, true); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated file: err = %v", err)
	}
	if _, _, err := ReadPart(p); err == nil {
		t.Errorf("ReadPart accepted a truncated file")
	}
}

func TestManyBatches(t *testing.T) {
	dir := t.TempDir()
	var rows []Row
	for i := 0; i < 2*maxBatchRows+7; i++ {
		rows = append(rows, Row{QueryID: "q" + strconv.Itoa(i), DocumentIDs: []string{"d"}, Scores: []float32{float32(i)}})
	}
	writeSet(t, dir, rows, nil)
	got, _, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows) || got[len(got)-1].Scores[0] != float32(len(rows)-1) {
		t.Fatalf("read %d rows", len(got))
	}
}

func TestExport(t *testing.T) {
	dir := t.TempDir()
	writeSet(t, dir, testRows(), nil)
	s, err := Open(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := s.Export(&b, FormatTSV, TripleOptions{}, 0); err != nil {
		t.Fatal(err)
	}
	wantTSV := "q1\td1\t3.5\nq1\td2\t-1.25\nq1\td3\t0.5\nq2\td9\t7\n"
	if b.String() != wantTSV {
		t.Errorf("tsv:\n%s\nwant:\n%s", b.String(), wantTSV)
	}
	b.Reset()
	if err := s.Export(&b, FormatTriples, TripleOptions{}, 0); err != nil {
		t.Fatal(err)
	}
	// q1: positive d1 (3.5); negatives in teacher order d3 (0.5), d2 (-1.25).
	wantTriples := "q1\td1\td3\t3\nq1\td1\td2\t4.75\n"
	if b.String() != wantTriples {
		t.Errorf("triples:\n%s\nwant:\n%s", b.String(), wantTriples)
	}
	b.Reset()
	if err := s.Export(&b, FormatJSONL, TripleOptions{}, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), `{"query_id":"q1","document_ids":["d1","d2","d3"],"scores":[3.5,-1.25,0.5]}`) {
		t.Errorf("jsonl: %s", b.String())
	}
	if err := s.Export(&b, "csv", TripleOptions{}, 0); err == nil {
		t.Errorf("unknown format accepted")
	}
}

func TestTriplesWithQrels(t *testing.T) {
	r := Row{QueryID: "q", DocumentIDs: []string{"a", "b", "c", "d"}, Scores: []float32{1, 5, 2, 0}}
	// Judged: c relevant, b judged non-relevant. Positive = c even though b scores higher.
	tr := Triples(r, TripleOptions{Relevant: map[string]map[string]int{"q": {"c": 2, "b": 0}}})
	if len(tr) != 3 || tr[0].PositiveID != "c" || tr[0].NegativeID != "b" || tr[0].Margin != -3 {
		t.Fatalf("triples %+v", tr)
	}
	if got := Triples(r, TripleOptions{Relevant: map[string]map[string]int{"other": {"a": 1}}}); got != nil {
		t.Errorf("query without judged positives gave %v", got)
	}
	a := Triples(r, TripleOptions{Negatives: 2, Rand: rand.New(rand.NewSource(7))})
	b := Triples(r, TripleOptions{Negatives: 2, Rand: rand.New(rand.NewSource(7))})
	if len(a) != 2 || a[0] != b[0] || a[1] != b[1] || a[0].PositiveID != "b" {
		t.Errorf("seeded sampling not deterministic: %v %v", a, b)
	}
}

func TestMerge(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		s := Shard{Index: i, Count: 3}
		rows := []Row{{QueryID: "q" + strconv.Itoa(i), DocumentIDs: []string{"d"}, Scores: []float32{float32(i)}}}
		if i == 1 {
			continue // missing for now
		}
		writeSet(t, filepath.Join(dir, ShardDirName(s)), rows, &s)
	}
	if _, err := Merge(dir); err == nil || !strings.Contains(err.Error(), "shard-00001-of-00003") {
		t.Fatalf("missing shard: err = %v", err)
	}
	// An unfinished shard (no manifest) is named.
	os.MkdirAll(filepath.Join(dir, ShardDirName(Shard{1, 3})), 0o755)
	if _, err := Merge(dir); err == nil || !strings.Contains(err.Error(), "not complete") {
		t.Fatalf("unfinished shard: err = %v", err)
	}
	s := Shard{Index: 1, Count: 3}
	writeSet(t, filepath.Join(dir, ShardDirName(s)), []Row{{QueryID: "q1", DocumentIDs: []string{"d"}, Scores: []float32{1}}}, &s)
	m, err := Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Queries != 3 || len(m.Files) != 3 || len(m.Shards) != 3 {
		t.Fatalf("merged %+v", m)
	}
	rows, _, err := ReadDir(dir)
	if err != nil || len(rows) != 3 || rows[2].QueryID != "q2" {
		t.Fatalf("read merged: %v %v", rows, err)
	}
	// A shard of another job is refused.
	other := Provenance{}
	for k, v := range testProv {
		other[k] = v
	}
	other[KeyModelSHA256] = "zzz"
	sd := filepath.Join(dir, ShardDirName(s))
	e, _ := WritePart(filepath.Join(sd, "part-00000.arrow"), []Row{{QueryID: "q1", DocumentIDs: []string{"d"}, Scores: []float32{1}}}, other)
	e.Path = "part-00000.arrow"
	WriteManifest(sd, &Manifest{Provenance: other, Files: []FileEntry{e}, Shard: &s})
	if _, err := Merge(dir); err == nil || !strings.Contains(err.Error(), "different jobs") {
		t.Fatalf("foreign shard: err = %v", err)
	}
}

func TestDuplicateQueryAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	rows := []Row{{QueryID: "q", DocumentIDs: []string{"d"}, Scores: []float32{1}}}
	e1, _ := WritePart(filepath.Join(dir, "a.arrow"), rows, testProv)
	e1.Path = "a.arrow"
	e2, _ := WritePart(filepath.Join(dir, "b.arrow"), rows, testProv)
	e2.Path = "b.arrow"
	WriteManifest(dir, &Manifest{Provenance: testProv, Files: []FileEntry{e1, e2}})
	if _, _, err := ReadDir(dir); err == nil || !strings.Contains(err.Error(), "appears in both") {
		t.Fatalf("duplicate query: err = %v", err)
	}
}

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	writeSet(t, dir, testRows(), nil)
	s, _ := Open(dir, true)
	st, err := s.ComputeStats(4)
	if err != nil {
		t.Fatal(err)
	}
	if st.Queries != 3 || st.Pairs != 4 || st.ScoreMin != -1.25 || st.ScoreMax != 7 || st.MinPairs != 0 || st.MaxPairs != 3 {
		t.Errorf("stats %+v", st)
	}
	// mean of 3.5, -1.25, 0.5, 7 = 2.4375; bins of width 2.0625 from -1.25.
	if st.Mean != 2.4375 || st.Histogram[0] != 2 || st.Histogram[2] != 1 || st.Histogram[3] != 1 {
		t.Errorf("mean %v histogram %v", st.Mean, st.Histogram)
	}
	var b bytes.Buffer
	if err := s.WriteInspect(&b, 4); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"model_sha256", "abc", "queries:     3", "pairs:       4", "document_ids: list<string>"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("inspect output lacks %q:\n%s", want, b.String())
		}
	}
}

func TestTriplesAllPositives(t *testing.T) {
	r := Row{QueryID: "q", DocumentIDs: []string{"a", "b", "c", "d"}, Scores: []float32{1, 5, 2, 0}}
	rel := map[string]map[string]int{"q": {"a": 1, "c": 2}}
	tr := Triples(r, TripleOptions{Relevant: rel, AllPositives: true})
	// a and c are both positives, each against the non-relevant b and d,
	// never against each other.
	want := []string{"a>b", "a>d", "c>b", "c>d"}
	var got []string
	for _, x := range tr {
		got = append(got, x.PositiveID+">"+x.NegativeID)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("triples %v, want %v", got, want)
	}
	if tr[1].Margin != 1 || tr[2].Margin != -3 {
		t.Errorf("margins %v %v", tr[1].Margin, tr[2].Margin)
	}
}

// TestInspectNarrowBins: scores packed in a narrow range (an untrained
// teacher's) get bin edges with enough decimals to tell the bins apart, and
// the last bin is closed on the maximum.
func TestInspectNarrowBins(t *testing.T) {
	dir := t.TempDir()
	writeSet(t, dir, []Row{{QueryID: "q", DocumentIDs: []string{"a", "b", "c", "d"},
		Scores: []float32{-0.017010, -0.016980, -0.016950, -0.016900}}}, nil)
	s, _ := Open(dir, true)
	var b bytes.Buffer
	if err := s.WriteInspect(&b, 4); err != nil {
		t.Fatal(err)
	}
	var edges []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.ReplaceAll(l, " ", ""); strings.HasPrefix(l, "[") {
			edges = append(edges, l[:strings.IndexAny(l, ")]")+1])
		}
	}
	want := []string{"[-0.017010,-0.016982)", "[-0.016982,-0.016955)", "[-0.016955,-0.016927)", "[-0.016927,-0.016900]"}
	if strings.Join(edges, " ") != strings.Join(want, " ") {
		t.Errorf("bins %v, want %v\n%s", edges, want, b.String())
	}
}

// TestWritePartRefusesUndefinedKey: every metadata key a label file carries
// is defined in schema.go; WritePart refuses another, naming it.
func TestWritePartRefusesUndefinedKey(t *testing.T) {
	prov := Provenance{KeyModelSHA256: "abc", "queries_sha": "123"}
	path := filepath.Join(t.TempDir(), "part-00000.arrow")
	if _, err := WritePart(path, testRows(), prov); err == nil || !strings.Contains(err.Error(), `"queries_sha"`) {
		t.Errorf("WritePart with an undefined key: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("WritePart wrote a file with an undefined key")
	}
	prov = Provenance{KeyQueriesSHA256: "1", KeyCorpusSHA256: "2", KeyDepth: "100", KeySource: "test"}
	if _, err := WritePart(path, testRows(), prov); err != nil {
		t.Errorf("WritePart with defined keys: %v", err)
	}
}
