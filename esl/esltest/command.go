package esltest

import (
	"bufio"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Header is one `Name: value` line of a client command.
type Header struct {
	Name, Value string
}

// Command is one packet a client sent, as the simulator parsed it.
type Command struct {
	// Conn is the id of the connection it arrived on (see Conn.ID).
	Conn int
	// Line is the first line, the command itself ("api status").
	Line string
	// Headers are the following header lines in order (values not decoded,
	// as FreeSWITCH does not decode them either).
	Headers []Header
	// Body is the Content-Length body, if any.
	Body string
	raw  string // the header block as read, line ends normalised to \n
}

// Get returns the first header value of that name (case-insensitive).
func (c Command) Get(name string) string {
	for _, h := range c.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// Name returns the first word of Line, lower-cased ("api", "sendmsg").
func (c Command) Name() string {
	w, _, _ := strings.Cut(c.Line, " ")
	return strings.ToLower(w)
}

// Arg returns the rest of Line after the first word, trimmed.
func (c Command) Arg() string {
	_, a, _ := strings.Cut(c.Line, " ")
	return strings.TrimSpace(a)
}

var errBadLength = errors.New("esltest: bad Content-Length")

// readCommand reads one client packet the way read_packet does: blank lines
// before a command are skipped, lines end at \n (a \r before it is ignored),
// the packet ends at an empty line, then Content-Length body bytes follow.
func readCommand(r *bufio.Reader) (Command, error) {
	var cmd Command
	for {
		line, err := readLine(r)
		if err != nil {
			return cmd, err
		}
		if line == "" {
			if cmd.Line == "" {
				continue
			}
			cmd.raw += "\n"
			break
		}
		cmd.raw += line + "\n"
		if cmd.Line == "" {
			cmd.Line = line
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		cmd.Headers = append(cmd.Headers, Header{name, strings.TrimLeft(value, " \t")})
	}
	return cmd, readBody(r, &cmd)
}

func readLine(r *bufio.Reader) (string, error) {
	s, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimRight(s, "\r\n"), nil
}

func readBody(r *bufio.Reader, cmd *Command) error {
	cl := cmd.Get("Content-Length")
	if cl == "" {
		return nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(cl))
	if err != nil || n < 0 || n > maxContentLen {
		return errBadLength
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return err
	}
	cmd.Body = string(buf)
	return nil
}
