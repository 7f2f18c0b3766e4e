package esltest

import (
	"time"

	"github.com/eslscript/eslscript/esl"
)

// queueReply queues a command reply (written before any queued event).
func (c *Conn) queueReply(b []byte) {
	c.mu.Lock()
	if !c.dead && !c.finalSet && !c.discard {
		c.replies = append(c.replies, b)
		c.cond.Broadcast()
	}
	c.mu.Unlock()
}

// reply queues a command/reply with that Reply-Text.
func (c *Conn) reply(text string) { c.queueReply(commandReply(text)) }

// setFinal queues the last frame; the socket is closed after it.
func (c *Conn) setFinal(b []byte) {
	c.mu.Lock()
	if !c.dead && !c.finalSet {
		c.final, c.finalSet = b, true
		c.cond.Broadcast()
	}
	c.mu.Unlock()
}

// queueEvent queues an event, dropping it when the queue is full and
// killing the listener after too many drops in a row.
func (c *Conn) queueEvent(it outItem) {
	c.mu.Lock()
	if c.dead || c.finalSet {
		c.mu.Unlock()
		return
	}
	if len(c.events) >= c.s.opts.QueueLimit && !it.down {
		c.lost++
		lost := c.lost
		c.mu.Unlock()
		if lost == maxMissed+1 {
			c.s.logf("esltest: conn %d: killed, lost events", c.id)
			c.kill(lostEventsMsg)
		}
		return
	}
	c.lost = 0
	c.events = append(c.events, it)
	c.queued++
	c.cond.Broadcast()
	c.mu.Unlock()
}

// next waits for the next thing to write. Replies go first; events only
// while no command is being handled, as in FreeSWITCH's read_packet.
func (c *Conn) next() (b []byte, it outItem, last, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		switch {
		case c.dead:
			return nil, it, false, false
		case len(c.replies) > 0:
			b = c.replies[0]
			c.replies = c.replies[1:]
			return b, it, false, true
		case c.finalSet:
			return c.final, it, true, true
		case !c.busy && len(c.events) > 0:
			it = c.events[0]
			c.events = c.events[1:]
			return nil, it, false, true
		}
		c.cond.Wait()
	}
}

func (c *Conn) writeLoop() {
	defer c.s.wg.Done()
	defer c.finish()
	for {
		b, it, last, ok := c.next()
		if !ok {
			return
		}
		if it.down {
			if !c.channelDown() {
				return
			}
			continue
		}
		if it.raw != nil {
			b = it.raw
		}
		if it.ev != nil {
			b = it.ev.frame(c.currentFormat(), c.s.currentFaults().CorruptEvents)
		}
		err := c.write(b)
		if it.ev != nil || it.raw != nil {
			c.eventWritten()
		}
		if err != nil || last {
			return
		}
	}
}

// eventWritten counts one queued event as written and wakes Flush.
func (c *Conn) eventWritten() {
	c.mu.Lock()
	c.written++
	c.mu.Unlock()
	c.s.bump()
}

// write sends b, one byte per write when the ByteWrites fault is on.
func (c *Conn) write(b []byte) error {
	if !c.s.currentFaults().ByteWrites {
		_, err := c.nc.Write(b)
		return err
	}
	for i := range b {
		if _, err := c.nc.Write(b[i : i+1]); err != nil {
			return err
		}
	}
	return nil
}

// channelDown handles the controlled call's hangup once every event queued
// before it was written: linger notice, or disconnect notice and close.
func (c *Conn) channelDown() bool {
	c.mu.Lock()
	linger, secs, call := c.linger, c.lingerSecs, c.call
	c.mu.Unlock()
	if !linger {
		_ = c.write(disconnectNotice(call.uuid, byeMessage))
		return false
	}
	if c.write(lingerNotice(call.uuid, call.ChannelName(), secs)) != nil {
		return false
	}
	if secs > 0 {
		time.AfterFunc(c.s.opts.scale(time.Duration(secs)*time.Second), func() {
			c.setFinal(disconnectNotice(call.uuid, byeMessage))
		})
	}
	return true
}

func (c *Conn) currentFormat() esl.Format {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.format
}
