package esl

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

const testPassword = "s3cr3t-Pa55word"

// authOK is a server script prefix: greeting, auth, BACKGROUND_JOB.
func authOK(p *peer) bool {
	p.send(frGreeting)
	if !p.expect("auth " + testPassword + "\n\n") {
		return false
	}
	p.send(frReply("+OK accepted"))
	if !p.expect("event plain BACKGROUND_JOB\n\n") {
		return false
	}
	p.send(frReply("+OK event listener enabled plain"))
	return true
}

// dialTest dials a test server with short timeouts.
func dialTest(addr string, opts Options) (*Client, error) {
	opts.Password = testPassword
	opts.AuthTimeout = orDefault(opts.AuthTimeout, 2*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	defer cancel()
	return Dial(ctx, addr, opts)
}

func TestDialAuthOK(t *testing.T) {
	s := startPeerServer(t, "127.0.0.1:0", func(p *peer) {
		if authOK(p) && p.expect("api status\n\n") {
			p.send(frAPI("UP 0 years\n"))
		}
		p.read()
	})
	c, err := dialTest(s.addr(), Options{Node: "fs1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.State() != StateConnected {
		t.Errorf("State() = %v", c.State())
	}
	if body, err := c.API(context.Background(), "status"); err != nil || body != "UP 0 years\n" {
		t.Errorf("API: %q, %v", body, err)
	}
}

func TestDialUserAuth(t *testing.T) {
	s := startPeerServer(t, "127.0.0.1:0", func(p *peer) {
		p.send(frGreeting)
		p.expect("userauth 1000@example.com:" + testPassword + "\n\n")
		p.send("Content-Type: command/reply\nReply-Text: +OK accepted\nAllowed-Events: all\nAllowed-API: all\nAllowed-LOG: true\n\n")
		p.expect("event plain BACKGROUND_JOB\n\n")
		p.send(frReply("+OK event listener enabled plain"))
		p.read()
	})
	c, err := dialTest(s.addr(), Options{User: "1000@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
}

func TestDialAuthErrors(t *testing.T) {
	fixture := func(name string) string {
		b, err := os.ReadFile("testdata/freeswitch-1.10.12/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	authFail := fixture("inbound-auth-fail.txt") // greeting, -ERR invalid, notice
	beforeAuth := fixture("inbound-command-before-auth.txt")
	tests := []struct {
		name   string
		script func(*peer)
		want   error
	}{
		{"wrong password", func(p *peer) {
			greeting, rest, _ := strings.Cut(authFail, "\n\n")
			p.send(greeting + "\n\n")
			p.read()
			p.send(rest) // -ERR invalid + disconnect notice, then close
		}, ErrAuthFailed},
		{"rude rejection", func(p *peer) {
			p.send("Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n")
		}, ErrRejected},
		{"command before auth", func(p *peer) {
			greeting, rest, _ := strings.Cut(beforeAuth, "\n\n")
			p.send(greeting + "\n\n")
			p.read()
			reply, _, _ := strings.Cut(rest, "\n\n")
			p.send(reply + "\n\n")
			p.read()
		}, ErrNotAuthenticated},
		{"no greeting", func(p *peer) { p.read() }, ErrAuthTimeout},
		{"no auth reply", func(p *peer) {
			p.send(frGreeting)
			p.read()
			p.read()
		}, ErrAuthTimeout},
	}
	sentinels := []error{ErrAuthFailed, ErrRejected, ErrNotAuthenticated, ErrAuthTimeout}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startPeerServer(t, "127.0.0.1:0", tt.script)
			c, err := dialTest(s.addr(), Options{AuthTimeout: 200 * time.Millisecond})
			if err == nil {
				_ = c.Close()
				t.Fatal("Dial succeeded")
			}
			for _, sen := range sentinels {
				if errors.Is(err, sen) != (sen == tt.want) {
					t.Errorf("errors.Is(%v, %v) = %v", err, sen, errors.Is(err, sen))
				}
			}
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("error text reveals the password: %v", err)
			}
		})
	}
}

func TestDialRefused(t *testing.T) {
	s := startPeerServer(t, "127.0.0.1:0", func(*peer) {})
	addr := s.addr()
	s.stop()
	if _, err := dialTest(addr, Options{}); err == nil || strings.Contains(err.Error(), testPassword) {
		t.Errorf("Dial to a closed port: %v", err)
	}
}

// waitGoroutines waits until at most n goroutines run.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, want <= %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestClientCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	s := startPeerServer(t, "127.0.0.1:0", func(p *peer) {
		authOK(p)
		p.read()
	})
	c, err := dialTest(s.addr(), Options{Reconnect: true})
	if err != nil {
		t.Fatal(err)
	}
	sub := c.Subscribe(SubscribeOptions{})
	_ = c.Close()
	if _, ok := <-sub.C; ok {
		t.Error("subscription open after Close")
	}
	if _, err := c.API(context.Background(), "status"); !errors.Is(err, ErrClosed) {
		t.Errorf("API after Close: %v, want ErrClosed", err)
	}
	s.stop()
	waitGoroutines(t, before)
}
