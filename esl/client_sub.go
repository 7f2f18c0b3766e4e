package esl

import (
	"context"
	"errors"
	"slices"
)

// jobFilter keeps BACKGROUND_JOB events flowing once any filter exists:
// FreeSWITCH sends only events that some filter matches, and a bgapi
// result has no Unique-ID or other call header to match.
var jobFilter = Filter{Header: "Event-Name", Value: "BACKGROUND_JOB"}

// Events subscribes on the wire ("event <Options.EventFormat> NAMES...
// [CUSTOM subs...]").
// Names beginning with "CUSTOM " or containing "::" are sent as CUSTOM
// subclasses, last. Remembered for reconnect unless FreeSWITCH refuses it.
func (c *Client) Events(ctx context.Context, names ...string) error {
	conn, err := c.current()
	if err != nil {
		return err
	}
	call := &eventsCall{names: slices.Clone(names)}
	c.mu.Lock()
	c.events = append(c.events, call)
	c.mu.Unlock()
	_, err = conn.Send(ctx, EventCmd{Format: c.opts.EventFormat, Names: call.names})
	if isRefusal(err) {
		c.forgetEvents(call)
	}
	return err
}

// Filter adds a wire filter ("filter Header value"). Remembered for
// reconnect unless FreeSWITCH refuses it. The first filter is preceded by
// "filter Event-Name BACKGROUND_JOB" so that BgAPI results still arrive.
func (c *Client) Filter(ctx context.Context, header, value string) error {
	conn, err := c.current()
	if err != nil {
		return err
	}
	f := Filter{Header: header, Value: value}
	c.mu.Lock()
	first := len(c.filters) == 0
	if first {
		c.filters = append(c.filters, jobFilter)
	}
	c.filters = append(c.filters, f)
	c.mu.Unlock()
	if first {
		if _, err := conn.Send(ctx, jobFilter); err != nil {
			return err
		}
	}
	_, err = conn.Send(ctx, f)
	if isRefusal(err) {
		c.forgetFilter(f)
	}
	return err
}

// isRefusal reports whether FreeSWITCH answered -ERR.
func isRefusal(err error) bool {
	var ce *CommandError
	return errors.As(err, &ce)
}

// eventsCall is one remembered Events call.
type eventsCall struct{ names []string }

// forgetEvents drops a refused Events call.
func (c *Client) forgetEvents(call *eventsCall) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = slices.DeleteFunc(c.events, func(x *eventsCall) bool { return x == call })
}

// forgetFilter drops one copy of a refused filter.
func (c *Client) forgetFilter(f Filter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i := slices.Index(c.filters, f); i >= 0 && c.filters[i] != jobFilter {
		c.filters = slices.Delete(c.filters, i, i+1)
	}
}

// replay subscribes a fresh connection: one "event <format> BACKGROUND_JOB
// ..." with every remembered name, then each remembered filter.
func (c *Client) replay(ctx context.Context, conn *Conn) error {
	c.mu.Lock()
	names := []string{"BACKGROUND_JOB"}
	for _, n := range c.events {
		names = append(names, n.names...)
	}
	filters := slices.Clone(c.filters)
	c.mu.Unlock()
	if _, err := conn.Send(ctx, EventCmd{Format: c.opts.EventFormat, Names: names}); err != nil {
		return err
	}
	for _, f := range filters {
		if _, err := conn.Send(ctx, f); err != nil {
			return err
		}
	}
	return nil
}
