package report

import (
	"image/color"
	"strings"
)

// kindColors are the bar colours of the model families (Okabe–Ito's
// colour-blind-safe palette): the first stage grey, the teacher vermilion,
// ColBERT blue, SPLADE green, other cross-encoders purple.
var kindColors = map[string]color.RGBA{
	"first stage":   {0x7f, 0x7f, 0x7f, 0xff},
	"teacher":       {0xd5, 0x5e, 0x00, 0xff},
	"ColBERT":       {0x00, 0x72, 0xb2, 0xff},
	"SPLADE":        {0x00, 0x9e, 0x73, 0xff},
	"cross-encoder": {0xcc, 0x79, 0xa7, 0xff},
	"other":         {0xe6, 0x9f, 0x00, 0xff},
}

// kindFamily names the model family of a System.Kind ("colbert+teacher" is
// a ColBERT pipeline).
func kindFamily(kind string) string {
	switch strings.TrimSuffix(kind, "+teacher") {
	case "bm25", "run":
		return "first stage"
	case "teacher":
		return "teacher"
	case "colbert":
		return "ColBERT"
	case "splade":
		return "SPLADE"
	case "crossencoder":
		return "cross-encoder"
	}
	return "other"
}

// kindColor is a row's bar colour: its family's, darker for a student
// followed by the teacher, lighter for a student reranking the first
// stage's candidates (a name "FIRST → NAME@D" of a student kind).
func kindColor(r *Row) color.RGBA {
	c := kindColors[kindFamily(r.Kind)]
	switch {
	case strings.HasSuffix(r.Kind, "+teacher"):
		return shade(c, 0.6)
	case r.Kind != "teacher" && kindFamily(r.Kind) != "first stage" && strings.Contains(r.Name, " → "):
		return tint(c, 0.45)
	}
	return c
}

func shade(c color.RGBA, f float64) color.RGBA {
	return color.RGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), c.A}
}

func tint(c color.RGBA, f float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v) + (255-float64(v))*f) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), c.A}
}
