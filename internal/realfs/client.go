package realfs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client is a minimal inbound ESL client of its own, independent of the
// esl package under test: the judge must not share the code it judges.
type Client struct {
	Addr, Password string

	mu sync.Mutex
	nc net.Conn
	r  *bufio.Reader
}

// Event is one event: its URL-decoded headers and its body.
type Event struct {
	Headers map[string]string
	Body    string

	lines []Header // every header line in order (a repeated name keeps each)
}

// Get returns a header (the last value of a repeated one).
func (e Event) Get(name string) string { return e.Headers[name] }

// Values returns every value of a header in order: a header FreeSWITCH
// sent several times has several.
func (e Event) Values(name string) []string {
	var out []string
	for _, h := range e.lines {
		if h.Name == name {
			out = append(out, h.Value)
		}
	}
	return out
}

// Close ends the connection.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nc != nil {
		c.nc.Close()
		c.nc = nil
	}
}

// API sends "api cmd" and returns the reply body. One command at a time;
// a broken connection is redialled on the next call.
func (c *Client) API(ctx context.Context, cmd string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nc == nil {
		if err := c.dial(ctx); err != nil {
			return "", err
		}
	}
	dl, ok := ctx.Deadline()
	if !ok {
		dl = time.Now().Add(time.Minute)
	}
	_ = c.nc.SetDeadline(dl)
	if _, err := io.WriteString(c.nc, "api "+cmd+"\n\n"); err != nil {
		c.drop()
		return "", err
	}
	for {
		h, body, err := readPacket(c.r)
		if err != nil {
			c.drop()
			return "", err
		}
		if h["Content-Type"] == "api/response" {
			return body, nil
		}
	}
}

func (c *Client) drop() {
	c.nc.Close()
	c.nc = nil
}

// dial connects and authenticates.
func (c *Client) dial(ctx context.Context) error {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	r := bufio.NewReaderSize(nc, 64<<10)
	if h, _, err := readPacket(r); err != nil || h["Content-Type"] != "auth/request" {
		nc.Close()
		return fmt.Errorf("realfs: no auth request (%v)", err)
	}
	if _, err := io.WriteString(nc, "auth "+c.Password+"\n\n"); err != nil {
		nc.Close()
		return err
	}
	h, _, err := readPacket(r)
	if err != nil || !strings.HasPrefix(h["Reply-Text"], "+OK") {
		nc.Close()
		return errors.New("realfs: auth refused")
	}
	c.nc, c.r = nc, r
	return nil
}

// Subscribe opens a connection of its own that receives the named events
// (plain format; "ALL" for every event) and sends them on the returned
// channel until ctx ends. The channel is closed when the connection ends.
func (c *Client) Subscribe(ctx context.Context, names ...string) (<-chan Event, error) {
	sub := &Client{Addr: c.Addr, Password: c.Password}
	if err := sub.dial(ctx); err != nil {
		return nil, err
	}
	_ = sub.nc.SetDeadline(time.Time{})
	if _, err := io.WriteString(sub.nc, "event plain "+strings.Join(names, " ")+"\n\n"); err != nil {
		sub.Close()
		return nil, err
	}
	if h, _, err := readPacket(sub.r); err != nil || !strings.HasPrefix(h["Reply-Text"], "+OK") {
		sub.Close()
		return nil, fmt.Errorf("realfs: event subscription refused: %v", err)
	}
	ch := make(chan Event, 4096)
	stop := context.AfterFunc(ctx, sub.Close)
	go func() {
		defer close(ch)
		defer stop()
		for {
			h, body, err := readPacket(sub.r)
			if err != nil {
				return
			}
			if h["Content-Type"] != "text/event-plain" {
				continue
			}
			ev := parsePlain(body)
			select {
			case ch <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

// readPacket reads one frame: headers (values URL-decoded) and body.
func readPacket(r *bufio.Reader) (map[string]string, string, error) {
	h := map[string]string{}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, "", err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if len(h) == 0 {
				continue
			}
			break
		}
		k, v, _ := strings.Cut(line, ": ")
		if d, err := url.PathUnescape(v); err == nil {
			v = d
		}
		h[k] = v
	}
	n, _ := strconv.Atoi(h["Content-Length"])
	if n == 0 {
		return h, "", nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, "", err
	}
	return h, string(b), nil
}

// parsePlain decodes a text/event-plain body.
func parsePlain(s string) Event {
	ev := Event{Headers: map[string]string{}}
	head, body, _ := strings.Cut(s, "\n\n")
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		if d, err := url.PathUnescape(v); err == nil {
			v = d
		}
		ev.Headers[k] = v
		ev.lines = append(ev.lines, Header{Name: k, Value: v})
	}
	if ev.Headers["Content-Length"] != "" {
		ev.Body = body
	}
	return ev
}
