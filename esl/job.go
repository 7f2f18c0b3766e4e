package esl

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Job is a bgapi job in flight.
type Job struct {
	// UUID is the Job-UUID we chose.
	UUID string

	done  chan struct{}
	once  sync.Once
	ev    *Event
	err   error
	timer *time.Timer // expires the job (nil: no bound)
}

// DefaultJobTimeout is ConnOptions.JobTimeout when unset: longer than any
// originate a dialplan would wait for, short enough that lost results do
// not pile up.
const DefaultJobTimeout = 10 * time.Minute

// newJob returns a pending job.
func newJob(uuid string) *Job { return &Job{UUID: uuid, done: make(chan struct{})} }

// Wait blocks until the BACKGROUND_JOB arrives and returns its body. A body
// starting with -ERR comes back with a *CommandError.
func (j *Job) Wait(ctx context.Context) (string, error) {
	select {
	case <-j.done:
	case <-ctx.Done():
		return "", fmt.Errorf("esl: bgapi job %s: %w", j.UUID, ctx.Err())
	}
	if j.err != nil {
		return "", j.err
	}
	body := j.ev.Body()
	return body, errorText(body)
}

// Done is closed when the result is in (or the connection died).
func (j *Job) Done() <-chan struct{} { return j.done }

// Event returns the BACKGROUND_JOB event once Done is closed (nil if the
// connection died first).
func (j *Job) Event() *Event {
	select {
	case <-j.done:
		return j.ev
	default:
		return nil
	}
}

// finish completes the job once with an event or an error.
func (j *Job) finish(ev *Event, err error) {
	j.once.Do(func() {
		j.ev, j.err = ev, err
		close(j.done)
		if j.timer != nil {
			j.timer.Stop()
		}
	})
}
