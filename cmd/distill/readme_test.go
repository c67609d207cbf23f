package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestEveryDocumentedCommand takes every `distill ...` command line of the
// README's shell blocks and of every command's --help examples, and checks
// that it names a command, and flags and arguments that command accepts
// (placeholders such as N or Q filled, [optional] groups dropped,
// a|b alternatives taking a). Commands whose inputs are shipped in data/
// (bm25 and eval on the MS MARCO subset, datasets convert of Cranfield,
// tokenize, version) also run, with outputs in a temporary folder.
func TestEveryDocumentedCommand(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := shellCommands(t, string(readme), true)
	examples := 0
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Example != "" {
				ex := shellCommands(t, sub.Example, false)
				examples += len(ex)
				lines = append(lines, ex...)
			}
			walk(sub)
		}
	}
	walk(newApp(os.Stdout, os.Stderr).rootCmd())
	if examples < 20 || len(lines) < 40 {
		t.Fatalf("found %d command lines (%d in --help examples): the extraction is broken", len(lines), examples)
	}
	tmp := t.TempDir()
	ran := 0
	for _, line := range lines {
		args := placeholders(t, line)
		if args == nil {
			continue
		}
		if runnable(args) {
			args = rehome(args, tmp)
			code, _, errs := distill(t, args...)
			if code != 0 {
				t.Errorf("%s\n  ran as %v: exit %d: %s", line, args, code, errs)
			}
			ran++
		}
	}
	t.Logf("%d documented command lines checked, %d run on shipped data", len(lines), ran)
	if ran < 4 {
		t.Errorf("ran %d documented commands on shipped data, want at least 4", ran)
	}
}

// shellCommands returns the distill command lines of text: in the README
// (markdown) only inside ```sh blocks; continuation lines joined, trailing
// comments dropped.
func shellCommands(t *testing.T, text string, markdown bool) []string {
	t.Helper()
	var out []string
	inBlock := !markdown
	var cur string
	for _, l := range strings.Split(text, "\n") {
		if markdown && strings.HasPrefix(l, "```") {
			inBlock = !inBlock && strings.HasPrefix(l, "```sh")
			continue
		}
		if !inBlock {
			continue
		}
		l = strings.TrimSpace(l)
		if cur == "" {
			i := strings.Index(l, "distill ")
			if i < 0 || (i > 0 && !strings.HasSuffix(l[:i], "&& ")) {
				continue
			}
			l = l[i:]
		}
		if i := strings.Index(l, " #"); i >= 0 {
			l = strings.TrimSpace(l[:i])
		}
		if strings.HasSuffix(l, `\`) {
			cur += strings.TrimSuffix(l, `\`) + " "
			continue
		}
		for _, part := range strings.Split(cur+l, " && ") {
			for _, op := range []string{" > ", " | ", " >> "} {
				part, _, _ = strings.Cut(part, op)
			}
			if part = strings.TrimSpace(part); strings.HasPrefix(part, "distill ") {
				out = append(out, part)
			}
		}
		cur = ""
	}
	return out
}

// shellWords splits a command line as a shell would: on spaces, outside
// single or double quotes (which are removed).
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '"' || r == '\'':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

var bracketed = regexp.MustCompile(`\[[^\]]*\]`)

// placeholders turns a documented line into arguments: optional groups and
// "..." dropped, a|b alternatives taking a, non-numeric values of numeric
// flags replaced by 1. It checks the command and flags exist and parse, and
// returns nil for a line that is a pattern rather than a command ("...").
func placeholders(t *testing.T, line string) []string {
	t.Helper()
	fields := shellWords(bracketed.ReplaceAllString(line, ""))[1:]
	root := newApp(os.Stdout, os.Stderr).rootCmd()
	c, rest, err := root.Find(fields)
	if err != nil || c == root && len(fields) > 0 && !strings.HasPrefix(fields[0], "-") {
		t.Errorf("%s: no such command (%v)", line, err)
		return nil
	}
	var args []string
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "..." {
			return nil // an elided example ("distill teacher label ... --shard 3/8")
		}
		if strings.Contains(a, "|") && !strings.Contains(a, "=") {
			a = strings.Split(a, "|")[0]
		}
		if name, ok := strings.CutPrefix(a, "--"); ok && !strings.Contains(name, "=") {
			f := c.Flags().Lookup(name)
			if f == nil {
				f = c.InheritedFlags().Lookup(name)
			}
			if f == nil {
				t.Errorf("%s: %s has no flag --%s", line, c.CommandPath(), name)
				return nil
			}
			args = append(args, a)
			if f.NoOptDefVal == "" && i+1 < len(rest) {
				i++
				v := strings.Split(rest[i], "|")[0]
				if numericFlag(f) {
					if _, err := strconv.ParseFloat(v, 64); err != nil {
						v = "1"
					}
				}
				args = append(args, v)
			}
			continue
		}
		args = append(args, a)
	}
	if err := c.ParseFlags(args); err != nil {
		t.Errorf("%s: %v", line, err)
		return nil
	}
	if c.Args != nil {
		if err := c.Args(c, c.Flags().Args()); err != nil {
			t.Errorf("%s: arguments: %v", line, err)
		}
	}
	return append(strings.Fields(strings.TrimPrefix(c.CommandPath(), "distill")), args...)
}

func numericFlag(f *pflag.Flag) bool {
	switch f.Value.Type() {
	case "int", "int64", "uint", "uint64", "float64", "float32":
		return true
	}
	return false
}

// runnable reports whether a documented command's inputs are shipped:
// cheap commands whose path arguments are under data/.
func runnable(args []string) bool {
	switch args[0] {
	case "version", "tokenize":
		return !strings.Contains(strings.Join(args, " "), "tokenizer.json") || strings.Contains(strings.Join(args, " "), "data/tokenizers/")
	case "bm25", "eval":
	case "datasets":
		if len(args) < 2 || args[1] != "convert" {
			return false
		}
	default:
		return false
	}
	for i, a := range args {
		if i > 0 && strings.HasPrefix(args[i-1], "--") && args[i-1] != "--out" && strings.ContainsAny(a, "/.") {
			if _, err := os.Stat(filepath.Join("../..", a)); err != nil {
				return false // an input that is not shipped (ce.run, q.jsonl)
			}
		}
	}
	return true
}

// rehome points inputs under data/ at the repository's and outputs into tmp.
func rehome(args []string, tmp string) []string {
	out := append([]string(nil), args...)
	for i, a := range out {
		switch {
		case i > 0 && out[i-1] == "--out":
			out[i] = filepath.Join(tmp, strings.ReplaceAll(a, "/", "_"))
		case strings.HasPrefix(a, "data/"):
			out[i] = filepath.Join("../..", a)
		}
	}
	return out
}
