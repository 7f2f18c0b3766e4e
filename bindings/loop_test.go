package bindings

import (
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// postAll posts n callbacks appending their index to *got, failing if a
// Post blocks or is refused.
func postAll(t *testing.T, q *Queue, n int, got *[]int) {
	t.Helper()
	done := make(chan bool, 1)
	go func() {
		ok := true
		for i := range n {
			ok = q.Post(func(*lua.LState) { *got = append(*got, i) }) && ok
		}
		done <- ok
	}()
	select {
	case ok := <-done:
		if !ok {
			t.Fatal("Post refused a callback on an open queue")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Post blocked on a full queue")
	}
}

// checkOrder fails unless got is 0..n-1.
func checkOrder(t *testing.T, got []int, n int) {
	t.Helper()
	if len(got) != n {
		t.Fatalf("ran %d callbacks, want %d", len(got), n)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("callback %d ran in place %d", v, i)
		}
	}
}

// The queue grows on demand as the host's worker loops do: posts beyond
// its size neither block nor are refused, and run in order, whether
// drained with runPending or taken one by one from Pending (as a blocking
// binding does).
func TestQueueGrowsOnDemand(t *testing.T) {
	const n = 1000
	L := lua.NewState()
	defer L.Close()

	q := NewQueue(2)
	var got []int
	postAll(t, q, n, &got)
	if ran := q.runPending(L); ran != n {
		t.Fatalf("runPending ran %d, want %d", ran, n)
	}
	checkOrder(t, got, n)

	q, got = NewQueue(1), nil
	postAll(t, q, n, &got)
	pend := q.Pending() // taken once, as block does
	for range n {
		select {
		case fn := <-pend:
			fn(L)
		case <-time.After(10 * time.Second):
			t.Fatalf("stalled after %d callbacks", len(got))
		}
	}
	checkOrder(t, got, n)
}

// A callback taken but never run (its run could not start) does not stall
// the backlog: the next Pending hands out the rest.
func TestQueueTakenNotRun(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	q := NewQueue(1)
	var got []int
	postAll(t, q, 3, &got)
	<-q.Pending()
	select {
	case fn := <-q.Pending():
		fn(L)
	case <-time.After(10 * time.Second):
		t.Fatal("backlog stalled")
	}
	if q.runPending(L); len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("ran %v, want [1 2]", got)
	}
}

// Post is false only once the queue is closed, and a closed queue runs
// nothing it held.
func TestQueueClosed(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	q := NewQueue(1)
	var got []int
	postAll(t, q, 5, &got)
	q.Close()
	if q.Post(func(*lua.LState) { got = append(got, -1) }) {
		t.Fatal("Post on a closed queue returned true")
	}
	q.Pending()
	if q.runPending(L); len(got) > 1 {
		t.Fatalf("a closed queue ran %v (at most the one handed out before Close)", got)
	}
}
