package bench

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeServer is a minimal inbound ESL server on loopback. Both clients
// under test see exactly the same bytes from it:
//   - auth/userauth: "+OK accepted";
//   - event/filter/other: "+OK"; an "event ... ALL" is followed by the
//     blast stream written passes times;
//   - "api echo X": body X; any other api: the captured "status" body;
//   - "bgapi CMD" (Job-UUID header honoured): the reply with Job-UUID, then
//     a BACKGROUND_JOB plain event carrying the api result;
//   - exit: "+OK bye" and close.
type fakeServer struct {
	ln     net.Listener
	blast  []byte
	passes int

	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

// startServer listens on 127.0.0.1 and serves until the test ends.
func startServer(tb testing.TB, blast []byte, passes int) *fakeServer {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Skip("no loopback:", err)
	}
	s := &fakeServer{ln: ln, blast: blast, passes: passes}
	s.wg.Add(1)
	go s.acceptLoop()
	tb.Cleanup(s.close)
	return s
}

// addr is the listening address.
func (s *fakeServer) addr() string { return s.ln.Addr().String() }

// acceptLoop serves every connection on its own goroutine.
func (s *fakeServer) acceptLoop() {
	defer s.wg.Done()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, nc)
		s.mu.Unlock()
		s.wg.Add(1)
		go s.serve(nc)
	}
}

// close stops listening, drops every connection and waits for the
// goroutines.
func (s *fakeServer) close() {
	_ = s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// serve runs one connection: greeting, then one reply per command. Replies
// are buffered and flushed when no further command is already buffered.
func (s *fakeServer) serve(nc net.Conn) {
	defer s.wg.Done()
	defer nc.Close()
	br := bufio.NewReaderSize(nc, 64<<10)
	bw := bufio.NewWriterSize(nc, 64<<10)
	bw.WriteString("Content-Type: auth/request\n\n")
	if bw.Flush() != nil {
		return
	}
	for {
		cmd, hdrs, err := readCommand(br)
		if err != nil {
			return
		}
		if !s.answer(bw, cmd, hdrs) {
			_ = bw.Flush()
			return
		}
		if br.Buffered() == 0 && bw.Flush() != nil {
			return
		}
		if isBlastTrigger(cmd) && s.blast != nil && !s.writeBlast(bw) {
			return
		}
	}
}

// readCommand reads one command: its first line and its header lines, up
// to the blank line ("\r\n" line ends are accepted).
func readCommand(br *bufio.Reader) (cmd string, hdrs map[string]string, err error) {
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return "", nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "" && cmd == "":
			continue
		case line == "":
			return cmd, hdrs, nil
		case cmd == "":
			cmd = line
		default:
			name, value, _ := strings.Cut(line, ":")
			if hdrs == nil {
				hdrs = map[string]string{}
			}
			hdrs[name] = strings.TrimSpace(value)
		}
	}
}

// answer writes the reply to one command; false means close.
func (s *fakeServer) answer(bw *bufio.Writer, cmd string, hdrs map[string]string) bool {
	verb, arg, _ := strings.Cut(cmd, " ")
	switch verb {
	case "auth", "userauth":
		writeReply(bw, "+OK accepted")
	case "api":
		writeAPI(bw, apiResult(arg))
	case "bgapi":
		writeBgAPI(bw, arg, hdrs["Job-UUID"])
	case "exit":
		writeReply(bw, "+OK bye")
		return false
	default:
		writeReply(bw, "+OK")
	}
	return true
}

// isBlastTrigger reports an "event <fmt> ... ALL" command.
func isBlastTrigger(cmd string) bool {
	f := strings.Fields(cmd)
	return len(f) > 1 && f[0] == "event" && f[len(f)-1] == "ALL"
}

// writeBlast writes the stream passes times, straight to the socket.
func (s *fakeServer) writeBlast(bw *bufio.Writer) bool {
	if bw.Flush() != nil {
		return false
	}
	for range s.passes {
		if _, err := bw.Write(s.blast); err != nil {
			return false
		}
	}
	return bw.Flush() == nil
}

// apiResult is the body of "api arg".
func apiResult(arg string) string {
	if tok, ok := strings.CutPrefix(arg, "echo "); ok {
		return tok
	}
	return statusBody
}

// statusBody is what FreeSWITCH 1.10.12 answered to "api status" in the
// captures (inbound-auth-api.txt).
const statusBody = "UP 0 years, 0 days, 0 hours, 0 minutes, 3 seconds, 905 milliseconds, 711 microseconds\n" +
	"FreeSWITCH (Version 1.10.12-release git a88d069 2024-08-02 21:02:27Z 64bit) is ready\n" +
	"0 session(s) since startup\n" +
	"0 session(s) - peak 0, last 5min 0 \n" +
	"0 session(s) per Sec out of max 200, peak 0, last 5min 0 \n" +
	"1000 session(s) max\n" +
	"min idle cpu 0.00/95.50\n" +
	"Current Stack Size/Max 240K/8192K\n"

// writeReply writes a command/reply.
func writeReply(bw *bufio.Writer, text string) {
	bw.WriteString("Content-Type: command/reply\nReply-Text: ")
	bw.WriteString(text)
	bw.WriteString("\n\n")
}

// writeAPI writes an api/response.
func writeAPI(bw *bufio.Writer, body string) {
	bw.WriteString("Content-Type: api/response\nContent-Length: ")
	bw.WriteString(strconv.Itoa(len(body)))
	bw.WriteString("\n\n")
	bw.WriteString(body)
}

// writeBgAPI writes the bgapi reply and, at once, its BACKGROUND_JOB event
// shaped like FreeSWITCH's (inbound-bgapi.txt).
func writeBgAPI(bw *bufio.Writer, cmd, id string) {
	if id == "" {
		id = "68b817c2-c030-4bbe-8647-ec92ee0274f5"
	}
	bw.WriteString("Content-Type: command/reply\nReply-Text: +OK Job-UUID: " + id + "\nJob-UUID: " + id + "\n\n")
	result := apiResult(cmd)
	body := jobEventHead + "Job-UUID: " + id + "\nJob-Command: " + cmd +
		"\nContent-Length: " + strconv.Itoa(len(result)) + "\n\n" + result
	bw.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\nContent-Type: text/event-plain\n\n")
	bw.WriteString(body)
}

// jobEventHead is the fixed part of a BACKGROUND_JOB event.
const jobEventHead = "Event-Name: BACKGROUND_JOB\n" +
	"Core-UUID: bbfef30f-487b-46ad-8c97-a579ecf4c714\n" +
	"FreeSWITCH-Hostname: vm\nFreeSWITCH-Switchname: vm\n" +
	"FreeSWITCH-IPv4: 192.0.2.2\nFreeSWITCH-IPv6: fd00%3A%3A2\n" +
	"Event-Date-Local: 2026-11-23%2005%3A43%3A36\n" +
	"Event-Date-GMT: Mon,%2023%20Nov%202026%2005%3A43%3A36%20GMT\n" +
	"Event-Date-Timestamp: 1795412616431769\n" +
	"Event-Calling-File: mod_event_socket.c\nEvent-Calling-Function: api_exec\n" +
	"Event-Calling-Line-Number: 1572\nEvent-Sequence: 532\n"
