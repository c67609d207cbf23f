package training

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestConfigFileTypes (issue 10, case 9): a YAML value of the wrong type is
// an error naming the file, line and key, never truncated ("steps: 2.5"
// became 2 steps) or coerced.
func TestConfigFileTypes(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ yaml, want string }{
		{"steps: 2.5\n", `line 1: steps: "2.5" is not an integer`},
		{"lr: 1e-4\nbatch_size: 1e3\n", `line 2: batch_size: "1e3" is not an integer`},
		{"seed: -1.0\n", `seed: "-1.0" is not an integer`},
		{"lr: fast\n", `lr: "fast" is not a number`},
		{"all_positives: 1\n", `all_positives: "1" is not true or false`},
		{"arch: [colbert]\n", `arch: "" is not a string`},
	} {
		path := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadConfigFile(path, DefaultConfig())
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want ErrConfig with %q", tc.yaml, err, tc.want)
		}
	}
	path := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(path, []byte("steps: 20\nlr: 5e-5\nweight_decay: 0\nall_positives: true\nseed: 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := ReadConfigFile(path, DefaultConfig())
	if err != nil || c.Steps != 20 || c.LR != 5e-5 || c.WeightDecay != 0 || !c.AllPositives || c.Seed != 7 {
		t.Errorf("a well-typed file: %+v, %v", c, err)
	}
}

// TestPretrainConfigFileTypes: distill pretrain's --config file gets the
// same type checks as student train's ("steps: 2.5" was truncated to 2).
func TestPretrainConfigFileTypes(t *testing.T) {
	dir := t.TempDir()
	var flags PretrainConfig
	fs := pflag.NewFlagSet("pretrain", pflag.ContinueOnError)
	RegisterPretrainFlags(fs, &flags)
	for _, tc := range []struct{ yaml, want string }{
		{"steps: 2.5\n", `line 1: steps: "2.5" is not an integer`},
		{"mask_prob: 0.15\nwhole_word_mask: yes please\n", `line 2: whole_word_mask: "yes please" is not true or false`},
		{"mask_prob: lots\n", `mask_prob: "lots" is not a number`},
	} {
		path := filepath.Join(dir, "p.yaml")
		if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ResolvePretrainConfig(path, fs, &flags)
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want ErrConfig with %q", tc.yaml, err, tc.want)
		}
	}
	path := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(path, []byte("steps: 30\nmask_prob: 0.2\nwhole_word_mask: false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := ResolvePretrainConfig(path, fs, &flags)
	if err != nil || c.Steps != 30 || c.MaskProb != 0.2 || c.WholeWordMask {
		t.Errorf("a well-typed file: %+v, %v", c, err)
	}
}
