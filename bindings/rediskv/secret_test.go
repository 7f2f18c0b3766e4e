package rediskv_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/bindings/rediskv"
	"github.com/eslscript/eslscript/bindings/rediskv/rediskvtest"
)

const secret = "Kv-S3cr3t-Pw"

// TestPasswordNeverShown authenticates, then fails with a wrong password
// and with the server gone, and checks that no error, log line or
// printed Options holds the password.
func TestPasswordNeverShown(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{Password: secret})
	var logged bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	good := rediskv.Options{Address: srv.Address, Password: secret, Timeout: time.Second, Logger: logger}
	store := rediskv.New(good)
	defer store.Close()
	if err := store.SetContext(context.Background(), "k", "v", 0); err != nil {
		t.Fatalf("set with the password: %v", err)
	}
	wrong := rediskv.New(rediskv.Options{Address: srv.Address, Password: secret + "x", Logger: logger})
	defer wrong.Close()
	_, _, wrongErr := wrong.GetContext(context.Background(), "k")
	if wrongErr == nil {
		t.Fatal("a wrong password was accepted")
	}
	srv.Stop()
	_, _, downErr := store.GetContext(context.Background(), "k")
	logger.Info("options", "opts", good)
	outputs := []string{wrongErr.Error(), downErr.Error(), logged.String(), good.String(),
		fmt.Sprintf("%v %+v %#v %s %q %x", good, good, good, good, good, good)}
	for i, out := range outputs {
		if strings.Contains(out, secret) || strings.Contains(out, fmt.Sprintf("%x", secret)) {
			t.Errorf("output %d shows the password: %s", i, out)
		}
	}
	if !strings.Contains(logged.String(), "connection refused") {
		t.Errorf("the client's own messages did not reach the logger: %s", logged.String())
	}
}

// TestUnavailableIsASentinel checks the error a caller can branch on.
func TestUnavailableIsASentinel(t *testing.T) {
	srv := rediskvtest.Start(t, rediskvtest.Options{})
	store := newStore(t, srv, "")
	srv.Stop()
	err := store.Ping(context.Background())
	if err == nil || !errorsIs(err, rediskv.ErrUnavailable) || errorsIs(err, bindings.ErrNotInteger) {
		t.Fatalf("ping on a stopped server: %v", err)
	}
}
