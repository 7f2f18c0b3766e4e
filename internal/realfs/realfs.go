// Package realfs starts a real FreeSWITCH for tests: the judge of every
// claim eslscript makes about calls, events, replies and mod_lua.
//
// The binary comes from ../shared/freeswitch/install.sh (FreeSWITCH 1.10.12
// in /opt/freeswitch; ESLSCRIPT_FREESWITCH names another one). Each test
// process starts at most one instance, on first use, with its own ports,
// state directory, password and the configuration in testdata (loopback
// channels only). Tests that need it call Start; under CI (CI=true) a
// missing FreeSWITCH fails the test, elsewhere it skips with a message
// saying how to install one. A package that uses it stops the instance in
// TestMain with Main.
package realfs

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Version is the FreeSWITCH release the suite is written against.
const Version = "1.10.12"

// FreeSWITCH is a running instance.
type FreeSWITCH struct {
	// Addr is the inbound ESL address (127.0.0.1:port).
	Addr string
	// Password is the ESL password (random per instance).
	Password string
	// Dir is the instance's state directory (conf, log, db, ...).
	Dir string
	// LuaDir is mod_lua's script directory: loopback/lua_NAME runs
	// LuaDir/NAME.lua.
	LuaDir string

	cmd    *exec.Cmd
	exited chan struct{}
	client *Client
}

var shared struct {
	once sync.Once
	fs   *FreeSWITCH
	err  error
}

// Binary returns the FreeSWITCH executable, or "" when none is installed.
func Binary() string {
	if p := os.Getenv("ESLSCRIPT_FREESWITCH"); p != "" {
		return p
	}
	const def = "/opt/freeswitch/bin/freeswitch"
	if _, err := os.Stat(def); err == nil {
		return def
	}
	return ""
}

// Start returns the process's instance, starting it on first use. Without a
// FreeSWITCH it fails the test under CI and skips it elsewhere.
func Start(t testing.TB) *FreeSWITCH {
	t.Helper()
	bin := Binary()
	if bin == "" {
		msg := "realfs: no FreeSWITCH installed: run ../shared/freeswitch/install.sh as root " +
			"(or set ESLSCRIPT_FREESWITCH to a freeswitch binary)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	shared.once.Do(func() { shared.fs, shared.err = launch(bin) })
	if shared.err != nil {
		t.Fatalf("realfs: %v", shared.err)
	}
	return shared.fs
}

// StartPrivate starts an instance of the test's own, stopped when the test
// ends: for tests that stop, restart or freeze FreeSWITCH. It costs a few
// seconds; prefer Start.
func StartPrivate(t testing.TB) *FreeSWITCH {
	t.Helper()
	bin := Binary()
	if bin == "" {
		Start(t) // fails or skips with the message
	}
	fs, err := launch(bin)
	if err != nil {
		t.Fatalf("realfs: %v", err)
	}
	t.Cleanup(func() {
		_ = fs.Stop()
		if !t.Failed() {
			os.RemoveAll(fs.Dir)
		} else {
			t.Logf("realfs: kept the FreeSWITCH state and log in %s", fs.Dir)
		}
	})
	return fs
}

// Restart stops the instance and starts it again on the same port, state
// directory and password (a FreeSWITCH restarted under a client). It
// returns the moment between the two runs: the old process had exited and
// the new one was not started. A client may be back before Restart
// returns (it can connect before Restart's own readiness check does).
func (fs *FreeSWITCH) Restart(t testing.TB) (down time.Time) {
	t.Helper()
	if err := fs.Stop(); err != nil {
		t.Fatal(err)
	}
	down = time.Now()
	fs.exited = make(chan struct{})
	if err := fs.exec(Binary()); err != nil {
		t.Fatal(err)
	}
	if err := fs.waitReady(30 * time.Second); err != nil {
		t.Fatalf("realfs: restart: %v", err)
	}
	return down
}

// Main runs the tests of a package that uses Start and stops the instance
// afterwards: func TestMain(m *testing.M) { os.Exit(realfs.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.fs != nil {
		if err := shared.fs.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "realfs:", err)
		}
		if code == 0 {
			os.RemoveAll(shared.fs.Dir)
		} else {
			fmt.Fprintln(os.Stderr, "realfs: kept the FreeSWITCH state and log in", shared.fs.Dir)
		}
	}
	return code
}

// launch writes the configuration into a new state directory, starts the
// binary and waits until its ESL socket accepts the password.
func launch(bin string) (*FreeSWITCH, error) {
	dir, err := os.MkdirTemp("", "eslscript-fs-")
	if err != nil {
		return nil, err
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	fs := &FreeSWITCH{
		Addr:     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Password: "fs-" + strconv.FormatInt(time.Now().UnixNano()%1e9, 36) + "-pw",
		Dir:      dir,
		LuaDir:   filepath.Join(dir, "lua"),
		exited:   make(chan struct{}),
	}
	if err := fs.writeConfig(port); err != nil {
		return nil, err
	}
	if err := fs.exec(bin); err != nil {
		return nil, err
	}
	if err := fs.waitReady(30 * time.Second); err != nil {
		fs.Stop()
		return nil, fmt.Errorf("%w (log: %s)", err, fs.LogPath())
	}
	fs.client = &Client{Addr: fs.Addr, Password: fs.Password}
	return fs, nil
}

// exec starts the process in the background; it dies with the test process.
func (fs *FreeSWITCH) exec(bin string) error {
	d := func(name string) string { return filepath.Join(fs.Dir, name) }
	out, err := os.Create(d("log/console.out"))
	if err != nil {
		return err
	}
	fs.cmd = exec.Command(bin, "-nf", "-nc", "-nonat", "-nonatmap",
		"-conf", d("conf"), "-log", d("log"), "-db", d("db"), "-run", d("run"),
		"-temp", d("tmp"), "-scripts", fs.LuaDir, "-sounds", d("sounds"),
		"-cache", d("cache"), "-recordings", d("rec"), "-storage", d("storage"), "-certs", d("certs"))
	fs.cmd.Stdout, fs.cmd.Stderr = out, out
	fs.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := fs.cmd.Start(); err != nil {
		out.Close()
		return fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		_ = fs.cmd.Wait()
		out.Close()
		close(fs.exited)
	}()
	return nil
}

// waitReady polls the ESL socket until the password is accepted.
func (fs *FreeSWITCH) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-fs.exited:
			return errors.New("freeswitch exited during start-up")
		default:
		}
		c := &Client{Addr: fs.Addr, Password: fs.Password}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := c.API(ctx, "status")
		cancel()
		c.Close()
		if err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("no ESL on %s after %s", fs.Addr, limit)
}

// Stop ends the instance: SIGTERM, then SIGKILL after 15 s.
func (fs *FreeSWITCH) Stop() error {
	if fs.client != nil {
		fs.client.Close()
	}
	if fs.cmd == nil || fs.cmd.Process == nil {
		return nil
	}
	_ = fs.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-fs.exited:
		return nil
	case <-time.After(15 * time.Second):
		_ = fs.cmd.Process.Kill()
		<-fs.exited
		return errors.New("freeswitch did not stop in 15 s; killed")
	}
}

// LogPath is the instance's debug log (each call line starts with its uuid).
func (fs *FreeSWITCH) LogPath() string { return filepath.Join(fs.Dir, "log", "freeswitch.log") }

// Log returns the log lines that contain substr (all lines when empty).
func (fs *FreeSWITCH) Log(substr string) []string {
	b, _ := os.ReadFile(fs.LogPath())
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return out
}

// API runs an api command on the instance's shared inbound connection.
func (fs *FreeSWITCH) API(ctx context.Context, cmd string) (string, error) {
	return fs.client.API(ctx, cmd)
}

// MustAPI is API that fails the test on an error.
func (fs *FreeSWITCH) MustAPI(t testing.TB, cmd string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := fs.API(ctx, cmd)
	if err != nil {
		t.Fatalf("realfs: api %s: %v", cmd, err)
	}
	return out
}

// WriteLua writes LuaDir/name.lua for mod_lua (loopback/lua_NAME).
func (fs *FreeSWITCH) WriteLua(t testing.TB, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(fs.LuaDir, name+".lua"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
