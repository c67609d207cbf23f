package tokenizer

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// precompiled is SentencePiece's normalization table as Hugging Face's
// Precompiled normalizer reads it (the spm_precompiled crate): a darts-clone
// double-array trie over UTF-8 keys whose values index NUL-terminated
// replacement strings.
//
// Text is cut into extended grapheme clusters. A cluster shorter than 6
// bytes is replaced as a whole when the trie has a key that is a prefix of it
// (the shortest such key wins, even if shorter than the cluster: SentencePiece
// does this, and Hugging Face copies it); otherwise each character is
// replaced by its own entry or kept.
//
//	"ｆｕｌｌ" -> "full"; "e\u0301" -> "é"; "\u200b" -> ""
type precompiled struct {
	units      []uint32
	normalized []byte
	ascii      [128]string // replacement of each ASCII character (itself when none)
}

// parsePrecompiled reads a charsmap: a little-endian uint32 trie size in
// bytes, the trie units, then the replacement strings.
func parsePrecompiled(charsmap []byte) (*precompiled, error) {
	if len(charsmap) < 4 {
		return nil, invalidf("normalizer Precompiled: precompiled_charsmap has %d bytes, want at least 4", len(charsmap))
	}
	size := int(binary.LittleEndian.Uint32(charsmap))
	if size%4 != 0 || size < 4 || size > len(charsmap)-4 {
		return nil, invalidf("normalizer Precompiled: trie size %d does not fit the %d-byte charsmap", size, len(charsmap))
	}
	p := &precompiled{units: make([]uint32, size/4), normalized: charsmap[4+size:]}
	for i := range p.units {
		p.units[i] = binary.LittleEndian.Uint32(charsmap[4+4*i:])
	}
	if !utf8.Valid(p.normalized) {
		return nil, invalidf("normalizer Precompiled: replacement strings are not UTF-8")
	}
	for c := range p.ascii {
		s := string(rune(c))
		if r, ok := p.transform(s); ok {
			s = r
		}
		p.ascii[c] = s
	}
	return p, nil
}

// transform returns the replacement of the shortest trie key that prefixes
// chunk (a key stops at a NUL byte), and false when there is none.
func (p *precompiled) transform(chunk string) (string, bool) {
	u := p.units
	unit := u[0]
	pos := offset(unit)
	for i := 0; i < len(chunk); i++ {
		c := chunk[i]
		if c == 0 {
			break
		}
		pos ^= uint32(c)
		if int(pos) >= len(u) {
			return "", false
		}
		unit = u[pos]
		if unit&(1<<31|0xFF) != uint32(c) {
			return "", false
		}
		pos ^= offset(unit)
		if (unit>>8)&1 == 1 {
			if int(pos) >= len(u) {
				return "", false
			}
			start := int(u[pos] & (1<<31 - 1))
			if start > len(p.normalized) {
				return "", false
			}
			end := start
			for end < len(p.normalized) && p.normalized[end] != 0 {
				end++
			}
			return string(p.normalized[start:end]), true
		}
	}
	return "", false
}

// offset is a darts-clone unit's child offset.
func offset(unit uint32) uint32 { return (unit >> 10) << ((unit & (1 << 9)) >> 6) }

func (p *precompiled) normalize(dst, src []byte) []byte {
	s := string(src)
	state := -1
	for i := 0; i < len(s); {
		c := s[i]
		// A lone ASCII character is a cluster of its own unless a combining
		// character follows or it is the CR of CR LF.
		if c < utf8.RuneSelf && (i+1 == len(s) || (s[i+1] < utf8.RuneSelf && !(c == '\r' && s[i+1] == '\n'))) {
			dst = append(dst, p.ascii[c]...)
			i++
			state = -1
			continue
		}
		var g string
		g, _, _, state = uniseg.FirstGraphemeClusterInString(s[i:], state)
		i += len(g)
		if len(g) < 6 {
			if r, ok := p.transform(g); ok {
				dst = append(dst, r...)
				continue
			}
		}
		for k, w := 0, 0; k < len(g); k += w {
			_, w = utf8.DecodeRuneInString(g[k:])
			if r, ok := p.transform(g[k : k+w]); ok {
				dst = append(dst, r...)
			} else {
				dst = append(dst, g[k:k+w]...)
			}
		}
	}
	return dst
}
