package ops

import (
	"context"
	"testing"

	"github.com/eslscript/eslscript/bindings"
	"github.com/eslscript/eslscript/esl"
)

// fakeCommander is a Commander that answers nothing.
type fakeCommander struct{ name string }

func (*fakeCommander) Send(context.Context, esl.Command) (*esl.Reply, error) { return nil, nil }
func (*fakeCommander) API(context.Context, string) (string, error)           { return "", nil }
func (*fakeCommander) BgAPI(context.Context, string) (*esl.Job, error)       { return nil, nil }

// The metrics/tracing wrapper lets event consumers reach the connection.
func TestCommanderUnwraps(t *testing.T) {
	inner := &fakeCommander{name: "fs1"}
	w := Commander("fs1", inner, NewMetrics(MetricsOptions{}), NewTracer(nil))
	u, ok := w.(bindings.CommanderUnwrapper)
	if !ok || u.Unwrap() != bindings.Commander(inner) {
		t.Fatalf("Commander(...) = %T, does not unwrap to the wrapped commander", w)
	}
}
