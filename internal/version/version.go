// Package version holds distill's release version, recorded in every artefact
// it writes (labels, checkpoints, reports).
package version

// Version is overridden at link time by `make build`
// (-ldflags "-X github.com/distill-ml/distill/internal/version.Version=...").
var Version = "0.1.0-dev"
