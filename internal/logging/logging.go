// Package logging builds distill's zap loggers: coloured console output for
// people, JSON lines for machines (--log-format json).
package logging

import (
	"errors"
	"fmt"
	"io"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// ErrLevel and ErrFormat are returned (wrapped) by New for a level or a
// format it does not know.
var (
	ErrLevel  = errors.New("logging: level")
	ErrFormat = errors.New("logging: format")
)

// New returns a logger writing to w in format "console" or "json" at level
// ("debug", "info", "warn", "error"). Numbers are written alike in both
// formats: floats with 6 significant digits, NaN and infinities as null,
// durations as Go durations ("1.234s").
func New(w io.Writer, format, level string) (*zap.Logger, error) {
	var lvl zapcore.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("%w %q: want debug, info, warn or error", ErrLevel, level)
	}
	var enc zapcore.Encoder
	switch format {
	case "console", "":
		cfg := zap.NewDevelopmentEncoderConfig()
		cfg.EncodeTime = zapcore.TimeEncoderOfLayout("15:04:05")
		cfg.EncodeLevel = zapcore.CapitalLevelEncoder
		cfg.EncodeCaller = nil
		enc = zapcore.NewConsoleEncoder(cfg)
	case "json":
		cfg := zap.NewProductionEncoderConfig()
		cfg.EncodeTime = zapcore.ISO8601TimeEncoder
		enc = zapcore.NewJSONEncoder(cfg)
	default:
		return nil, fmt.Errorf("%w %q: want console or json", ErrFormat, format)
	}
	core := zapcore.NewCore(enc, zapcore.Lock(zapcore.AddSync(w)), lvl)
	return zap.New(numbersCore{core}), nil
}
