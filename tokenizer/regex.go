package tokenizer

import (
	"fmt"
	"regexp"
	"strings"
)

// Hugging Face compiles Split and Replace patterns with Oniguruma (Ruby
// syntax, UTF-8), whose classes are Unicode-wide and whose ^ and $ match at
// line breaks; Go's RE2 has ASCII \s \d \w and text anchors. compileOnig
// rewrites the differences before compiling:
//
//	\s  -> White_Space: [\t\n\v\f\r \x{85}\p{Z}]
//	\d  -> \p{Nd}
//	\w  -> letters, marks, letter numbers, decimal digits, connector punctuation
//	^ $ -> line anchors, (?m)
//
// and their negations (\S \D \W; \S and \W are refused inside a bracket
// class, where RE2 cannot express them). Look-around and backreferences stay
// refused by RE2.
const (
	onigSpace = `\t\n\v\f\r \x{85}\p{Z}`
	onigDigit = `\p{Nd}`
	onigWord  = `\p{L}\p{M}\p{Nl}\p{Nd}\p{Pc}`
)

func compileOnig(pattern string) (*regexp.Regexp, error) {
	var sb strings.Builder
	sb.WriteString("(?m)")
	inClass := false
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			i++
			e := pattern[i]
			expanded, ok := onigEscape(e, inClass)
			if !ok {
				return nil, fmt.Errorf(`\%c inside a bracket class has no RE2 equivalent`, e)
			}
			if expanded == "" {
				sb.WriteByte('\\')
				sb.WriteByte(e)
			} else {
				sb.WriteString(expanded)
			}
		case !inClass && c == '[':
			inClass = true
			sb.WriteByte(c)
			// A ']' right after '[' or '[^' is a literal.
			if i+1 < len(pattern) && pattern[i+1] == '^' {
				i++
				sb.WriteByte('^')
			}
			if i+1 < len(pattern) && pattern[i+1] == ']' {
				i++
				sb.WriteString(`\]`)
			}
		case inClass && c == '[' && strings.HasPrefix(pattern[i:], "[:"):
			end := strings.Index(pattern[i:], ":]")
			if end < 0 {
				sb.WriteByte(c)
				continue
			}
			sb.WriteString(pattern[i : i+end+2])
			i += end + 1
		case inClass && c == ']':
			inClass = false
			sb.WriteByte(c)
		default:
			sb.WriteByte(c)
		}
	}
	return regexp.Compile(sb.String())
}

// onigEscape returns the RE2 text for Oniguruma's \e ("" when it needs no
// rewriting) and false when it cannot be written inside a bracket class.
func onigEscape(e byte, inClass bool) (string, bool) {
	var set string
	negated := false
	switch e {
	case 's', 'S':
		set, negated = onigSpace, e == 'S'
	case 'w', 'W':
		set, negated = onigWord, e == 'W'
	case 'd':
		return onigDigit, true
	case 'D':
		return `\P{Nd}`, true
	default:
		return "", true
	}
	switch {
	case inClass && negated:
		return "", false
	case inClass:
		return set, true
	case negated:
		return "[^" + set + "]", true
	}
	return "[" + set + "]", true
}
