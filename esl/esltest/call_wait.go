package esltest

import "context"

// WaitHangup waits until the call hung up (CHANNEL_HANGUP_COMPLETE fired).
func (c *Call) WaitHangup(ctx context.Context) error {
	return c.s.waitFor(ctx, "hangup of "+c.uuid, func() bool {
		select {
		case <-c.ended:
			return true
		default:
			return false
		}
	})
}

// WaitAnswered waits until the call was answered.
func (c *Call) WaitAnswered(ctx context.Context) error {
	return c.s.waitFor(ctx, "answer of "+c.uuid, c.Answered)
}

// WaitExecuting waits until application app started (CHANNEL_EXECUTE
// fired); use it to inject DTMF while play_and_get_digits runs.
func (c *Call) WaitExecuting(ctx context.Context, app string) (Execution, error) {
	return c.waitExec(ctx, app, false)
}

// WaitExecuted waits until application app finished (CHANNEL_EXECUTE_COMPLETE
// fired) and returns that execution.
func (c *Call) WaitExecuted(ctx context.Context, app string) (Execution, error) {
	return c.waitExec(ctx, app, true)
}

func (c *Call) waitExec(ctx context.Context, app string, done bool) (Execution, error) {
	var found Execution
	err := c.s.waitFor(ctx, "execution of "+app, func() bool {
		for _, e := range c.Executed() {
			if e.App == app && (e.Done || !done) {
				found = e
				return true
			}
		}
		return false
	})
	return found, err
}

// WaitVar waits until the channel variable name has the value want.
func (c *Call) WaitVar(ctx context.Context, name, want string) error {
	return c.s.waitFor(ctx, "variable "+name, func() bool { return c.Var(name) == want })
}
