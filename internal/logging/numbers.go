package logging

import (
	"math"
	"strconv"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// significantDigits is how many digits a logged float keeps: enough to tell
// two losses apart, without float64's 17-digit noise (4018.4669452160792
// is logged 4018.47).
const significantDigits = 6

// numbersCore rewrites the numbers of every entry before encoding, the same
// way for the console and JSON: floats rounded to significantDigits, NaN
// and infinities as null (JSON has neither; a string "NaN" would change the
// field's type), and durations rounded (to the millisecond from one second
// up, to the microsecond below) and written as Go durations ("1.234s",
// "216ms") in both formats.
type numbersCore struct{ zapcore.Core }

func (c numbersCore) With(fields []zapcore.Field) zapcore.Core {
	return numbersCore{c.Core.With(roundFields(fields))}
}

func (c numbersCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c numbersCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	return c.Core.Write(e, roundFields(fields))
}

// roundFields returns fields with their numbers rewritten (a copy when any is).
func roundFields(fields []zapcore.Field) []zapcore.Field {
	var out []zapcore.Field
	for i, f := range fields {
		g, changed := roundField(f)
		if !changed {
			continue
		}
		if out == nil {
			out = append([]zapcore.Field(nil), fields...)
		}
		out[i] = g
	}
	if out == nil {
		return fields
	}
	return out
}

func roundField(f zapcore.Field) (zapcore.Field, bool) {
	switch f.Type {
	case zapcore.Float64Type:
		return Float(f.Key, math.Float64frombits(uint64(f.Integer))), true
	case zapcore.Float32Type:
		return Float(f.Key, float64(math.Float32frombits(uint32(f.Integer)))), true
	case zapcore.DurationType:
		return zap.String(f.Key, RoundDuration(time.Duration(f.Integer)).String()), true
	}
	return f, false
}

// Float is a float field rounded to 6 significant digits, null when NaN or
// infinite.
func Float(key string, v float64) zap.Field {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return zap.Reflect(key, nil)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', significantDigits, 64), 64)
	return zapcore.Field{Key: key, Type: zapcore.Float64Type, Integer: int64(math.Float64bits(r))}
}

// RoundDuration rounds d to the millisecond from one second up, to the
// microsecond below.
func RoundDuration(d time.Duration) time.Duration {
	if d >= time.Second || d <= -time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}
