package fsutil

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

const lockChildEnv = "FSUTIL_TEST_LOCK_CHILD"

// TestMain turns the test binary into a lock holder when asked: it locks the
// folder, says so on stdout and waits to be killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv(lockChildEnv); dir != "" {
		if _, err := LockDir(dir); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("locked")
		select {}
	}
	os.Exit(m.Run())
}

// TestLockDirOtherProcess: a second process fails at once naming the holder;
// once the holder is killed with SIGKILL its lock file never blocks.
func TestLockDirOtherProcess(t *testing.T) {
	dir := t.TempDir()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), lockChildEnv+"="+dir)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Process.Kill()
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("child: %q", line)
	}
	_, err = LockDir(dir)
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("LockDir on a held folder: %v, want a *LockedError", err)
	}
	host, _ := os.Hostname()
	if le.Holder.PID != child.Process.Pid || le.Holder.Host != host || le.Holder.Started.IsZero() || !strings.Contains(le.Holder.Command, os.Args[0]) {
		t.Errorf("holder %+v, want pid %d on %s running %s", le.Holder, child.Process.Pid, host, os.Args[0])
	}
	for _, want := range []string{dir, fmt.Sprintf("pid %d", child.Process.Pid), host} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()
	l, err := LockDir(dir) // the dead holder's lock file is still there
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	if _, err := LockDir(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("a second lock in the same process: %v, want ErrLocked", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := LockDir(dir)
	if err != nil {
		t.Fatalf("after Unlock: %v", err)
	}
	l2.Unlock()
}
