// Package ortlib finds and initialises the ONNX Runtime shared library.
//
// distill links ONNX Runtime at run time (github.com/yalue/onnxruntime_go
// dlopens it), so the binary stays one file and the library can be swapped for
// a CUDA build. The library is looked up, first match wins, in:
//
//  1. the path given explicitly (the --ort-lib flag),
//  2. the DISTILL_ORT_LIB environment variable,
//  3. the cache folder `make` fills: $XDG_CACHE_HOME/distill/onnxruntime/<version>/
//     (default ~/.cache/distill/onnxruntime/1.30.0/libonnxruntime.so.1),
//  4. beside the executable: <dir of distill>/libonnxruntime.so.1 and
//     <dir of distill>/../lib/libonnxruntime.so.1.
package ortlib

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// Version is the ONNX Runtime release `make` installs.
const Version = "1.30.0"

// LibName is the file name of the shared library on Linux.
const LibName = "libonnxruntime.so.1"

// EnvVar names the environment variable that points at the library.
const EnvVar = "DISTILL_ORT_LIB"

// ErrNotFound is returned when no ONNX Runtime library can be found.
var ErrNotFound = errors.New("ortlib: ONNX Runtime library not found")

// CacheDir is the folder `make` installs the library into.
func CacheDir() string {
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = os.TempDir()
		}
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "distill", "onnxruntime", Version)
}

// Candidates returns the paths searched, in order, for an explicit path
// (which may be empty).
func Candidates(explicit string) []string {
	var c []string
	if explicit != "" {
		c = append(c, explicit)
	}
	if env := os.Getenv(EnvVar); env != "" {
		c = append(c, env)
	}
	c = append(c, filepath.Join(CacheDir(), LibName))
	if exe, err := os.Executable(); err == nil {
		dir := filepath.Dir(exe)
		c = append(c, filepath.Join(dir, LibName), filepath.Join(dir, "..", "lib", LibName))
	}
	return c
}

// Find returns the first existing library path. An explicit path or the
// environment variable that names a missing file is an error of its own, so a
// typo is not silently replaced by another library.
func Find(explicit string) (string, error) {
	if explicit != "" {
		if _, err := os.Stat(explicit); err != nil {
			return "", fmt.Errorf("%w: the library path %s: %v", ErrNotFound, explicit, err)
		}
		return explicit, nil
	}
	if env := os.Getenv(EnvVar); env != "" {
		if _, err := os.Stat(env); err != nil {
			return "", fmt.Errorf("%w: %s=%s: %v", ErrNotFound, EnvVar, env, err)
		}
		return env, nil
	}
	for _, p := range Candidates("") {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: looked in %v; run `make ort` to install ONNX Runtime %s there, "+
		"or point the library path or the %s environment variable at a libonnxruntime.so",
		ErrNotFound, Candidates(""), Version, EnvVar)
}

var (
	initOnce sync.Once
	initPath string
	initErr  error
)

// Init loads the library once per process and initialises the ONNX Runtime
// environment. Later calls return the first call's result; asking for a
// different explicit path after initialisation is an error.
func Init(explicit string) (string, error) {
	if explicit != "" {
		if _, err := Find(explicit); err != nil {
			return "", err
		}
	}
	initOnce.Do(func() {
		path, err := Find(explicit)
		if err != nil {
			initErr = err
			return
		}
		ort.SetSharedLibraryPath(path)
		if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
			initErr = fmt.Errorf("ortlib: initialise ONNX Runtime from %s: %w", path, err)
			return
		}
		initPath = path
	})
	if initErr == nil && explicit != "" && explicit != initPath {
		return initPath, fmt.Errorf("ortlib: ONNX Runtime already initialised from %s, cannot switch to %s", initPath, explicit)
	}
	return initPath, initErr
}

// RuntimeVersion returns the loaded library's version string (after Init).
func RuntimeVersion() string { return ort.GetVersion() }
