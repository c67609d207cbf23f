package labels

import (
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkReadPart reads a label file of 4,096 queries with 50 candidates
// each (one record batch, zstd) and reports pairs per second.
func BenchmarkReadPart(b *testing.B) {
	rows := make([]Row, 4096)
	for i := range rows {
		r := Row{QueryID: "q" + strconv.Itoa(i)}
		for j := range 50 {
			r.DocumentIDs = append(r.DocumentIDs, "d"+strconv.Itoa(i*50+j))
			r.Scores = append(r.Scores, float32(j)/7)
		}
		rows[i] = r
	}
	path := filepath.Join(b.TempDir(), "part-00000.arrow")
	if _, err := WritePart(path, rows, testProv); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		got, _, err := ReadPart(path)
		if err != nil || len(got) != len(rows) {
			b.Fatalf("read %d rows: %v", len(got), err)
		}
	}
	b.ReportMetric(float64(b.N*len(rows)*50)/b.Elapsed().Seconds(), "pairs/s")
}
