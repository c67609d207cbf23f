package bm25

import "testing"

// TestStem checks the stemmer on the examples of Porter's paper (run through
// all steps, so e.g. agreed → agre rather than the step-1 result agree) and
// on words from Porter's published test vocabulary.
func TestStem(t *testing.T) {
	tests := []struct{ word, want string }{
		// Step 1a.
		{"caresses", "caress"}, {"ponies", "poni"}, {"ties", "ti"},
		{"caress", "caress"}, {"cats", "cat"},
		// Step 1b.
		{"feed", "feed"}, {"agreed", "agre"}, {"plastered", "plaster"},
		{"bled", "bled"}, {"motoring", "motor"}, {"sing", "sing"},
		{"conflated", "conflat"}, {"troubled", "troubl"}, {"sized", "size"},
		{"hopping", "hop"}, {"tanned", "tan"}, {"falling", "fall"},
		{"hissing", "hiss"}, {"fizzed", "fizz"}, {"failing", "fail"},
		{"filing", "file"}, {"matting", "mat"}, {"mating", "mate"},
		{"meeting", "meet"}, {"milling", "mill"}, {"messing", "mess"},
		{"meetings", "meet"}, {"disabled", "disabl"},
		// Step 1c.
		{"happy", "happi"}, {"sky", "sky"}, {"crying", "cry"},
		// Step 2.
		{"relational", "relat"}, {"conditional", "condit"}, {"rational", "ration"},
		{"valenci", "valenc"}, {"hesitanci", "hesit"}, {"digitizer", "digit"},
		{"conformabli", "conform"}, {"radicalli", "radic"}, {"differentli", "differ"},
		{"vileli", "vile"}, {"analogousli", "analog"}, {"vietnamization", "vietnam"},
		{"predication", "predic"}, {"operator", "oper"}, {"feudalism", "feudal"},
		{"decisiveness", "decis"}, {"hopefulness", "hope"}, {"callousness", "callous"},
		{"formaliti", "formal"}, {"sensitiviti", "sensit"}, {"sensibiliti", "sensibl"},
		{"archaeologi", "archaeolog"},
		// Step 3.
		{"triplicate", "triplic"}, {"formative", "form"}, {"formalize", "formal"},
		{"electriciti", "electr"}, {"electrical", "electr"}, {"hopeful", "hope"},
		{"goodness", "good"},
		// Step 4.
		{"revival", "reviv"}, {"allowance", "allow"}, {"inference", "infer"},
		{"airliner", "airlin"}, {"gyroscopic", "gyroscop"}, {"adjustable", "adjust"},
		{"defensible", "defens"}, {"irritant", "irrit"}, {"replacement", "replac"},
		{"adjustment", "adjust"}, {"dependent", "depend"}, {"adoption", "adopt"},
		{"homologou", "homolog"}, {"communism", "commun"}, {"activate", "activ"},
		{"angulariti", "angular"}, {"homologous", "homolog"}, {"effective", "effect"},
		{"bowdlerize", "bowdler"}, {"element", "element"}, {"ion", "ion"},
		// Step 5.
		{"probate", "probat"}, {"rate", "rate"}, {"cease", "ceas"},
		{"controll", "control"}, {"roll", "roll"},
		// Whole words through several steps.
		{"generalizations", "gener"}, {"oscillators", "oscil"},
		{"abatements", "abat"}, {"abbeys", "abbei"}, {"abandoned", "abandon"},
		// Original Porter, not Porter2: no -fulli or -lessli rules.
		{"hopefully", "hopefulli"},
		// Short words and words Lucene's StopFilter would normally remove.
		{"a", "a"}, {"is", "is"}, {"was", "wa"}, {"this", "thi"}, {"news", "new"},
		{"", ""},
		// Tokens with digits, apostrophes and non-ASCII letters.
		{"1,000", "1,000"}, {"don't", "don't"}, {"cafés", "café"},
		{"naïvely", "naïv"}, // ï counts as a consonant, as in Lucene
	}
	for _, tt := range tests {
		if got := Stem(tt.word); got != tt.want {
			t.Errorf("Stem(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if len(tests) < 50 {
		t.Fatalf("only %d cases", len(tests))
	}
}
