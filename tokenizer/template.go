package tokenizer

// template is a post-processor: the layout of special tokens and sequences
// in a single or pair encoding, as TemplateProcessing writes it:
//
//	single: [CLS]:0 $A:0 [SEP]:0
//	pair:   [CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1
type template []piece

// piece is one element of a template: a special token (ids) or a sequence.
type piece struct {
	seq    int     // 0 for $A, 1 for $B, -1 for a special token
	ids    []int32 // the special token's ids
	typeID int32
}

// bertTemplates returns the BERT layouts for the given [CLS] and [SEP] ids.
func bertTemplates(cls, sep int32) (single, pair template) {
	single = template{{seq: -1, ids: []int32{cls}}, {seq: 0}, {seq: -1, ids: []int32{sep}}}
	pair = template{
		{seq: -1, ids: []int32{cls}}, {seq: 0}, {seq: -1, ids: []int32{sep}},
		{seq: 1, typeID: 1}, {seq: -1, ids: []int32{sep}, typeID: 1},
	}
	return single, pair
}

// robertaTemplates returns RoBERTa's layouts, <s> A </s> and
// <s> A </s> </s> B </s>, every type id 0 (RobertaProcessing).
func robertaTemplates(cls, sep int32) (single, pair template) {
	single = template{{seq: -1, ids: []int32{cls}}, {seq: 0}, {seq: -1, ids: []int32{sep}}}
	pair = template{
		{seq: -1, ids: []int32{cls}}, {seq: 0}, {seq: -1, ids: []int32{sep, sep}},
		{seq: 1}, {seq: -1, ids: []int32{sep}},
	}
	return single, pair
}

// specials returns the number of special-token positions the template adds.
func (t template) specials() int {
	n := 0
	for _, p := range t {
		if p.seq < 0 {
			n += len(p.ids)
		}
	}
	return n
}

// fill writes the template into dst with sequences a and b (already truncated).
func (t template) fill(dst *Encoding, a, b []int32) {
	dst.reset(len(a) + len(b) + t.specials())
	for _, p := range t {
		var ids []int32
		switch p.seq {
		case -1:
			ids = p.ids
		case 0:
			ids = a
		case 1:
			ids = b
		}
		for _, id := range ids {
			dst.push(id, p.typeID)
		}
	}
}
