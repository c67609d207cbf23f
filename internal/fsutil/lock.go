package fsutil

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// LockFile is the name of the lock file LockDir keeps in a folder.
const LockFile = ".distill.lock"

// Holder describes the process holding a folder's lock, as recorded in the
// lock file.
type Holder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
	Command string    `json:"command"`
}

// LockedError is returned by LockDir when another process holds the lock.
type LockedError struct {
	Dir    string
	Holder Holder // zero when the holder could not be read
}

func (e *LockedError) Error() string {
	h := e.Holder
	if h.PID == 0 {
		return fmt.Sprintf("%s is in use by another distill process; wait for it to finish, or use another folder", e.Dir)
	}
	return fmt.Sprintf("%s is in use by another distill process (pid %d on %s, started %s: %s); wait for it to finish, or use another folder",
		e.Dir, h.PID, h.Host, h.Started.Format(time.RFC3339), h.Command)
}

// ErrLocked matches (errors.Is) every *LockedError.
var ErrLocked = errors.New("fsutil: folder locked")

func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Lock is an exclusive advisory lock on a folder, held until Unlock or the
// process ends.
type Lock struct {
	f   *os.File
	dir string
}

// LockDir takes an exclusive advisory lock (flock) on dir, creating dir when
// needed. When another process holds it, LockDir fails at once with a
// *LockedError naming the holder (pid, host, start time, command line). The
// kernel releases a flock when its process ends however it ends, so the
// lock file a killed process leaves behind never blocks: the next LockDir
// takes it and rewrites the holder.
//
// Locks are per open file: a second LockDir on the same folder from the same
// process fails too, as from another process.
func LockDir(dir string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("fsutil: create %s: %w", dir, err)
	}
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("fsutil: open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			le := &LockedError{Dir: dir}
			if data, err := io.ReadAll(io.LimitReader(f, 1<<16)); err == nil {
				json.Unmarshal(data, &le.Holder) // best effort: a holder mid-write reads as unknown
			}
			return nil, le
		}
		return nil, fmt.Errorf("fsutil: lock %s: %w", path, err)
	}
	host, _ := os.Hostname()
	h := Holder{PID: os.Getpid(), Host: host, Started: time.Now().UTC().Truncate(time.Second), Command: strings.Join(os.Args, " ")}
	data, _ := json.Marshal(h)
	if err := f.Truncate(0); err == nil {
		f.WriteAt(append(data, '\n'), 0) // informative only: the flock is the lock
	}
	return &Lock{f: f, dir: dir}, nil
}

// Unlock releases the lock. It is safe to call on a nil Lock and more than
// once.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	return err
}
