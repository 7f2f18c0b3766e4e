package bindings

import (
	"context"
	"errors"
	"testing"

	"github.com/eslscript/eslscript/esl"
)

// subCommander is a Commander that claims to stream events.
type subCommander struct{ fakeCommander }

func (*subCommander) Subscribe(esl.SubscribeOptions) *esl.Subscription { return nil }

// unwrapCommander wraps another Commander.
type unwrapCommander struct{ inner Commander }

func (u unwrapCommander) Unwrap() Commander { return u.inner }

func (u unwrapCommander) Send(ctx context.Context, cmd esl.Command) (*esl.Reply, error) {
	return u.inner.Send(ctx, cmd)
}
func (u unwrapCommander) API(ctx context.Context, cmd string) (string, error) {
	return u.inner.API(ctx, cmd)
}
func (u unwrapCommander) BgAPI(ctx context.Context, cmd string) (*esl.Job, error) {
	return u.inner.BgAPI(ctx, cmd)
}

// The consumer's source: the node's connection, looked through wrappers;
// never a call's own socket.
func TestConsumerSource(t *testing.T) {
	node, callSock, plain := &subCommander{}, &subCommander{}, &fakeCommander{}
	nodes := func(name string) Commander {
		if name == "fs1" {
			return unwrapCommander{node}
		}
		return nil
	}
	cases := []struct {
		name    string
		env     *testEnv
		wantSrc eventSource
		wantErr error
	}{
		{"exec default node", &testEnv{ESL: unwrapCommander{node}}, node, nil},
		{"call uses the node", &testEnv{CallUUID: "u1", ESL: callSock, Node: "fs1", Nodes: nodes}, node, nil},
		{"call without node", &testEnv{CallUUID: "u1", ESL: callSock}, nil, errNoEventSource},
		{"no connection", &testEnv{}, nil, ErrNoESL},
		{"cannot stream", &testEnv{ESL: plain}, nil, errNoEventSource},
		{"wrapper of nothing", &testEnv{ESL: unwrapCommander{plain}}, nil, errNoEventSource},
	}
	for _, tc := range cases {
		_, src, err := consumerSource(tc.env.runtime())
		if !errors.Is(err, tc.wantErr) || src != tc.wantSrc {
			t.Errorf("%s: source %v, err %v; want %v, %v", tc.name, src, err, tc.wantSrc, tc.wantErr)
		}
	}
}
