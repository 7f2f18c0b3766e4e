package bindings

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/eslscript/eslscript/esl"
)

// serveSessions runs handler for every outbound call on a loopback
// esl.Server and returns its address; the server is shut down on cleanup.
func serveSessions(t *testing.T, handler esl.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &esl.Server{Handler: handler}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return ln.Addr().String()
}
