package esltest_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/eslscript/eslscript/esl/esltest"
)

// readFrame reads one header block (and ignores any body) for the example.
func readFrame(r *bufio.Reader) string {
	var b strings.Builder
	n := 0
	for {
		line, _ := r.ReadString('\n')
		if line == "\n" || line == "" {
			break
		}
		fmt.Sscanf(line, "Content-Length: %d", &n)
		b.WriteString(line)
	}
	body := make([]byte, n)
	_, _ = io.ReadFull(r, body)
	return b.String() + string(body)
}

func Example() {
	sim, err := esltest.Start(esltest.Options{TimeScale: 0.001})
	if err != nil {
		panic(err)
	}
	defer sim.Close()
	sim.HandleAPI("reloadxml", func(string) string { return "+OK [Success]\n" })

	nc, _ := net.Dial("tcp", sim.Addr())
	defer nc.Close()
	r := bufio.NewReader(nc)
	fmt.Print(readFrame(r))
	fmt.Fprint(nc, "auth ClueCon\n\n")
	fmt.Print(readFrame(r))
	fmt.Fprint(nc, "api reloadxml\n\n")
	fmt.Print(readFrame(r))
	// Output:
	// Content-Type: auth/request
	// Content-Type: command/reply
	// Reply-Text: +OK accepted
	// Content-Type: api/response
	// Content-Length: 14
	// +OK [Success]
}

func ExampleServer_Dial() {
	sim, _ := esltest.Start(esltest.Options{TimeScale: 0.001})
	defer sim.Close()
	ln, _ := net.Listen("tcp", "127.0.0.1:0") // the outbound socket server under test
	defer ln.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	call := sim.NewCall(esltest.CallOptions{CallerIDNumber: "1000", DTMF: "42#"})
	_, _ = sim.Dial(ctx, ln.Addr().String(), call, esltest.DialOptions{Async: true, Full: true})

	nc, _ := ln.Accept()
	defer nc.Close()
	fmt.Fprint(nc, "connect\n\n")
	fmt.Fprint(nc, "sendmsg\ncall-command: execute\nexecute-app-name: play_and_get_digits\n"+
		"execute-app-arg: 1 3 1 5000 # prompt.wav invalid.wav pin \\d+\n\n")
	if _, err := call.WaitExecuted(ctx, "play_and_get_digits"); err != nil {
		panic(err)
	}
	fmt.Println(call.Var("pin"))
	// Output: 42
}
