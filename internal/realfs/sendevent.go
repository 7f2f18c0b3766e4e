package realfs

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Header is one header of an event sent with SendEvent.
type Header struct{ Name, Value string }

// SendEvent fires an event on the instance ("sendevent NAME" with the
// headers in order, repeated names kept, values sent as they are, and the
// body if not empty); for a CUSTOM event give the Event-Subclass header.
// It returns the Event-UUID FreeSWITCH gave the event.
func (fs *FreeSWITCH) SendEvent(t testing.TB, name string, headers []Header, body string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("sendevent " + name + "\n")
	for _, h := range headers {
		b.WriteString(h.Name + ": " + h.Value + "\n")
	}
	if body != "" {
		b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\n\n" + body)
	} else {
		b.WriteString("\n")
	}
	id, err := fs.client.command(b.String())
	if err != nil {
		t.Fatalf("realfs: sendevent %s: %v", name, err)
	}
	return id
}

// command writes a raw command and returns the text after "+OK " of its
// command/reply.
func (c *Client) command(raw string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if c.nc == nil {
		if err := c.dial(ctx); err != nil {
			return "", err
		}
	}
	dl, _ := ctx.Deadline()
	_ = c.nc.SetDeadline(dl)
	if _, err := io.WriteString(c.nc, raw); err != nil {
		c.drop()
		return "", err
	}
	for {
		h, _, err := readPacket(c.r)
		if err != nil {
			c.drop()
			return "", err
		}
		if h["Content-Type"] == "command/reply" {
			id, ok := strings.CutPrefix(h["Reply-Text"], "+OK ")
			if !ok {
				return "", fmt.Errorf("refused: %s", h["Reply-Text"])
			}
			return strings.TrimSpace(id), nil
		}
	}
}
