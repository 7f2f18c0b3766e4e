package esl

import (
	"context"
	"fmt"
	"time"
)

// BgAPI runs "bgapi cmd" with a Job-UUID of our own and returns the job.
// The BACKGROUND_JOB event subscription is added automatically (in the
// connection's current event format) unless it is already on. Pending jobs
// fail with ErrConnLost (ErrClosed after Close) when the connection ends.
func (c *Conn) BgAPI(ctx context.Context, cmd string) (*Job, error) {
	if err := c.ensureJobEvents(ctx); err != nil {
		return nil, err
	}
	b := NewBgAPI(cmd)
	job := newJob(b.JobUUID)
	if err := c.addJob(job); err != nil {
		return nil, err
	}
	res, err := c.exchange(ctx, b, replyCheck, job)
	if err == nil && !res.isBody {
		err = newReply(res.f).Err()
	}
	if err != nil {
		c.dropJob(job)
		return nil, err
	}
	return job, nil
}

// ensureJobEvents sends "event <fmt> BACKGROUND_JOB" once.
func (c *Conn) ensureJobEvents(ctx context.Context) error {
	if c.jobEvents.Load() {
		return nil
	}
	cmd := EventCmd{Format: Format(c.format.Load()), Names: []string{"BACKGROUND_JOB"}}
	_, err := c.Send(ctx, cmd)
	return err
}

// addJob registers a job unless the connection has ended, and arms its
// bound: a job whose result never comes fails with ErrJobTimeout and is
// forgotten (one timer, no goroutine, per job).
func (c *Conn) addJob(j *Job) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.jobs[j.UUID] = j
	if d := c.jobTimeout(); d > 0 {
		j.timer = time.AfterFunc(d, func() { c.expireJob(j, d) })
	}
	return nil
}

// jobTimeout is the bound of a bgapi job (0: none).
func (c *Conn) jobTimeout() time.Duration {
	switch d := c.opts.JobTimeout; {
	case d < 0:
		return 0
	case d == 0:
		return DefaultJobTimeout
	default:
		return d
	}
}

// expireJob fails a job that is still waiting after d.
func (c *Conn) expireJob(j *Job, d time.Duration) {
	c.mu.Lock()
	id := j.UUID // rekeyJob changes it under c.mu
	if c.jobs[id] == j {
		delete(c.jobs, id)
	}
	c.mu.Unlock()
	j.finish(nil, fmt.Errorf("%w: job %s after %s", ErrJobTimeout, id, d))
}

// dropJob forgets a job whose bgapi failed.
func (c *Conn) dropJob(j *Job) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.jobs, j.UUID)
}

// rekeyJob follows the server's Job-UUID if it did not keep ours. It runs
// on the reader, before any BACKGROUND_JOB after the reply is read.
func (c *Conn) rekeyJob(j *Job, f *Frame) {
	id := f.Header("Job-UUID")
	c.mu.Lock()
	defer c.mu.Unlock()
	if id == "" || id == j.UUID || c.jobs[j.UUID] != j {
		return
	}
	delete(c.jobs, j.UUID)
	j.UUID = id
	c.jobs[id] = j
}

// completeJob finishes the job named by a BACKGROUND_JOB event and
// reports whether one of this connection's jobs waited for it.
func (c *Conn) completeJob(ev *Event) bool {
	id := ev.Get("Job-UUID")
	c.mu.Lock()
	j := c.jobs[id]
	delete(c.jobs, id)
	c.mu.Unlock()
	if j == nil {
		return false
	}
	j.finish(ev, nil)
	return true
}
