package logging

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
)

func TestNumbersAlikeInBothFormats(t *testing.T) {
	fields := []zap.Field{zap.Float64("loss", 4018.4669452160792), zap.Float64("tau", math.NaN()),
		zap.Float32("lr", float32(1e-4)), zap.Duration("took", 216123456*time.Nanosecond),
		zap.Duration("total", 83*time.Second+456789*time.Microsecond), zap.Float64("inf", math.Inf(1))}
	var js bytes.Buffer
	l, err := New(&js, "json", "info")
	if err != nil {
		t.Fatal(err)
	}
	l.With(zap.Float64("run", 0.30000000000000004)).Info("done", fields...)
	var got map[string]any
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, js.String())
	}
	want := map[string]any{"loss": 4018.47, "tau": nil, "lr": 0.0001, "took": "216.123ms", "total": "1m23.457s", "inf": nil, "run": 0.3}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("json %s = %#v, want %#v (%s)", k, got[k], v, js.String())
		}
	}
	var con bytes.Buffer
	l, _ = New(&con, "console", "info")
	l.Info("done", fields...)
	for _, s := range []string{`"loss": 4018.47`, `"tau": null`, `"lr": 0.0001`, `"took": "216.123ms"`, `"total": "1m23.457s"`} {
		if !strings.Contains(con.String(), s) {
			t.Errorf("console lacks %s: %s", s, con.String())
		}
	}
}
