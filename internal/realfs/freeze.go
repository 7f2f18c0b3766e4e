package realfs

import (
	"syscall"
	"testing"
)

// Freeze stops the FreeSWITCH process (SIGSTOP): its sockets stay open but
// nothing answers, as with a FreeSWITCH that hangs. Thaw resumes it. Use it
// on an instance of StartPrivate: other tests share the process's Start
// instance.
func (fs *FreeSWITCH) Freeze(t testing.TB) {
	t.Helper()
	if err := fs.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatalf("realfs: freeze: %v", err)
	}
}

// Thaw resumes a frozen instance (SIGCONT).
func (fs *FreeSWITCH) Thaw(t testing.TB) {
	t.Helper()
	if err := fs.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatalf("realfs: thaw: %v", err)
	}
}
