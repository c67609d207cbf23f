// Package version holds distill's release version, recorded in every artefact
// it writes (labels, checkpoints, reports) and printed by `distill --version`.
package version

import (
	"runtime/debug"
	"strings"
)

// Version is set at link time by `make build`
// (-ldflags "-X github.com/distill-ml/distill/internal/version.Version=...",
// `git describe`); otherwise it is the commit `go build` stamped into the
// binary ("a1b2c3d", "-dirty" when the tree had changes), or "0.1.0-dev"
// (go run, tests).
var Version string

func init() {
	if Version == "" {
		Version = fromBuildInfo()
	}
}

func fromBuildInfo() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "0.1.0-dev"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev != "" {
		return rev[:min(7, len(rev))] + dirty
	}
	if v := bi.Main.Version; v != "" && !strings.HasPrefix(v, "(") {
		return v
	}
	return "0.1.0-dev"
}
