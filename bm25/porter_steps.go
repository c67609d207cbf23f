package bm25

// The six steps of Lucene's PorterStemmer. Lucene numbers them 1 to 6; the
// paper calls them 1a+1b, 1c, 2, 3, 4 and 5.

// step1 removes plurals and -ed or -ing:
//
//	caresses → caress, ponies → poni, cats → cat, agreed → agree,
//	matting → mat, mating → mate, meetings → meet.
func (p *porter[T]) step1() {
	if p.b[p.k] == 's' {
		switch {
		case p.ends("sses"):
			p.k -= 2
		case p.ends("ies"):
			p.setTo("i")
		case p.b[p.k-1] != 's':
			p.k--
		}
	}
	if p.ends("eed") {
		if p.m() > 0 {
			p.k--
		}
		return
	}
	if !((p.ends("ed") || p.ends("ing")) && p.vowelInStem()) {
		return
	}
	p.k = p.j
	switch {
	case p.ends("at"):
		p.setTo("ate")
	case p.ends("bl"):
		p.setTo("ble")
	case p.ends("iz"):
		p.setTo("ize")
	case p.doubleC(p.k):
		if c := p.b[p.k]; c != 'l' && c != 's' && c != 'z' {
			p.k--
		}
	case p.m() == 1 && p.cvc(p.k):
		p.setTo("e")
	}
}

// step2 turns a terminal y into i when the stem has another vowel.
func (p *porter[T]) step2() {
	if p.ends("y") && p.vowelInStem() {
		p.b[p.k] = 'i'
	}
}

// step3 maps double suffixes to single ones (-ization → -ize, ...) when the
// remaining stem has m() > 0.
func (p *porter[T]) step3() {
	if p.k == 0 {
		return
	}
	p.replaceFirstOf(&step3Rules, p.b[p.k-1])
}

// step4 handles -ic-, -full, -ness and the like.
func (p *porter[T]) step4() {
	p.replaceFirstOf(&step4Rules, p.b[p.k])
}

// step5 removes -ant, -ence and the like when the stem has m() > 1. As in
// Lucene, -ion is removed only after s or t, and once a suffix matches no
// shorter one is tried (replacement → replac, but element is kept whole).
func (p *porter[T]) step5() {
	if p.k == 0 {
		return
	}
	c := p.b[p.k-1]
	if c >= 128 {
		return
	}
	matched := false
	for _, s := range step5Suffixes[c] {
		if p.ends(s) {
			matched = s != "ion" || (p.j >= 0 && (p.b[p.j] == 's' || p.b[p.j] == 't'))
			if matched || s != "ion" {
				break
			}
		}
	}
	if matched && p.m() > 1 {
		p.k = p.j
	}
}

// step6 removes a final -e when m() > 1 (or m() = 1 and not *o), and turns a
// final -ll into -l when m() > 1.
func (p *porter[T]) step6() {
	p.j = p.k
	if p.b[p.k] == 'e' {
		if a := p.m(); a > 1 || a == 1 && !p.cvc(p.k-1) {
			p.k--
		}
	}
	if p.b[p.k] == 'l' && p.doubleC(p.k) && p.m() > 1 {
		p.k--
	}
}

// replaceFirst applies the first rule whose suffix matches, if its stem has
// m() > 0; later rules are not tried once one suffix has matched.
func (p *porter[T]) replaceFirst(table []suffixRule) {
	for _, rule := range table {
		if p.ends(rule.suffix) {
			p.r(rule.with)
			return
		}
	}
}

// replaceFirstOf applies replaceFirst to the rules listed under letter c.
func (p *porter[T]) replaceFirstOf(rules *[128][]suffixRule, c T) {
	if c < 128 {
		p.replaceFirst(rules[c])
	}
}

// suffixRule rewrites suffix to with.
type suffixRule struct{ suffix, with string }

// step3Rules lists the step-3 rules by the suffix's second-to-last letter.
var step3Rules = [128][]suffixRule{
	'a': {{"ational", "ate"}, {"tional", "tion"}},
	'c': {{"enci", "ence"}, {"anci", "ance"}},
	'e': {{"izer", "ize"}},
	'l': {{"bli", "ble"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"}},
	'o': {{"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}},
	's': {{"alism", "al"}, {"iveness", "ive"}, {"fulness", "ful"}, {"ousness", "ous"}},
	't': {{"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"}},
	'g': {{"logi", "log"}},
}

// step4Rules lists the step-4 rules by the suffix's last letter.
var step4Rules = [128][]suffixRule{
	'e': {{"icate", "ic"}, {"ative", ""}, {"alize", "al"}},
	'i': {{"iciti", "ic"}},
	'l': {{"ical", "ic"}, {"ful", ""}},
	's': {{"ness", ""}},
}

// step5Suffixes lists the step-5 suffixes by their second-to-last letter.
var step5Suffixes = [128][]string{
	'a': {"al"},
	'c': {"ance", "ence"},
	'e': {"er"},
	'i': {"ic"},
	'l': {"able", "ible"},
	'n': {"ant", "ement", "ment", "ent"},
	'o': {"ion", "ou"},
	's': {"ism"},
	't': {"ate", "iti"},
	'u': {"ous"},
	'v': {"ive"},
	'z': {"ize"},
}
