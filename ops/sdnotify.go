package ops

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"time"
)

// Notifier sends service state to systemd (sd_notify(3)): READY=1 once
// serving, RELOADING=1 around a reload, STOPPING=1 at drain, WATCHDOG=1
// keep-alives. It is a no-op when the process was not started by systemd
// with a notify socket. Safe for concurrent use.
type Notifier struct {
	addr     *net.UnixAddr // nil: not under systemd's notify
	watchdog time.Duration // keep-alive period asked by WatchdogSec (0: none)
}

// ErrNotifySocket reports a NOTIFY_SOCKET that is not a usable path.
var ErrNotifySocket = errors.New("ops: NOTIFY_SOCKET is not an absolute path or abstract socket")

// NewNotifier reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID through
// lookup (os.LookupEnv) for the process pid.
func NewNotifier(lookup func(string) (string, bool), pid int) (*Notifier, error) {
	n := &Notifier{}
	path, ok := lookup("NOTIFY_SOCKET")
	if !ok || path == "" {
		return n, nil
	}
	if !strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "@") {
		return nil, ErrNotifySocket
	}
	n.addr = &net.UnixAddr{Name: path, Net: "unixgram"} // "@x": abstract
	n.watchdog = watchdogPeriod(lookup, pid)
	return n, nil
}

// watchdogPeriod is WATCHDOG_USEC when it is meant for pid (WATCHDOG_PID
// unset or equal), else 0.
func watchdogPeriod(lookup func(string) (string, bool), pid int) time.Duration {
	usec, _ := lookup("WATCHDOG_USEC")
	us, err := strconv.ParseInt(usec, 10, 64)
	if err != nil || us <= 0 {
		return 0
	}
	if p, ok := lookup("WATCHDOG_PID"); ok && p != strconv.Itoa(pid) {
		return 0
	}
	return time.Duration(us) * time.Microsecond
}

// Enabled reports whether systemd listens for notifications.
func (n *Notifier) Enabled() bool { return n.addr != nil }

// Watchdog returns the keep-alive deadline systemd set (0: none); send
// WATCHDOG=1 at least twice per period.
func (n *Notifier) Watchdog() time.Duration { return n.watchdog }

// Notify sends one state message, such as "READY=1\nSTATUS=serving".
func (n *Notifier) Notify(state string) error {
	if n.addr == nil {
		return nil
	}
	c, err := net.DialUnix("unixgram", nil, n.addr)
	if err != nil {
		return errors.Join(errors.New("ops: sd_notify"), err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(state)); err != nil {
		return errors.Join(errors.New("ops: sd_notify"), err)
	}
	return nil
}

// Reloading is the RELOADING=1 message, stamped with CLOCK_MONOTONIC as
// systemd's Type=notify-reload requires.
func Reloading() string {
	return "RELOADING=1\nMONOTONIC_USEC=" + strconv.FormatInt(monotonicUsec(), 10)
}
