package scripttest

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// watchRuns starts Watch on dir and returns the runs it asks for.
func watchRuns(t *testing.T, dir string) <-chan WatchRun {
	t.Helper()
	runs := make(chan WatchRun, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Watch(ctx, Options{Root: dir, Paths: []string{dir}}, func(r WatchRun) { runs <- r }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Watch: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Watch did not return after cancel")
		}
	})
	return runs
}

// nextRun waits for the next run (5 s deadline).
func nextWatchRun(t *testing.T, runs <-chan WatchRun) WatchRun {
	t.Helper()
	select {
	case r := <-runs:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no run within 5 s")
		return WatchRun{}
	}
}

// expectFiles checks a run's test files (as base names).
func expectFiles(t *testing.T, r WatchRun, want ...string) {
	t.Helper()
	var got []string
	for _, f := range r.Files {
		got = append(got, filepath.Base(f))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("ran %v (changed %v), want %v", got, r.Changed, want)
	}
}

func touch(t *testing.T, dir, name, src string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatchRunsOnlyTheAffectedTests(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"a.lua": echoScript, "a_test.lua": `it("a", function() end)`,
		"b.lua": echoScript, "b_test.lua": `it("b", function() end)`,
		"lib/util.lua": "return {}",
	})
	runs := watchRuns(t, dir)
	expectFiles(t, nextWatchRun(t, runs), "a_test.lua", "b_test.lua")

	touch(t, dir, "a.lua", echoScript+"\n-- edited\n")
	r := nextWatchRun(t, runs)
	expectFiles(t, r, "a_test.lua")
	if !slices.Equal(r.Changed, []string{filepath.Join(dir, "a.lua")}) {
		t.Errorf("changed %v, want a.lua", r.Changed)
	}

	touch(t, dir, "b_test.lua", `it("b again", function() end)`)
	expectFiles(t, nextWatchRun(t, runs), "b_test.lua")

	touch(t, dir, "lib/util.lua", "return { x = 1 }")
	expectFiles(t, nextWatchRun(t, runs), "a_test.lua", "b_test.lua")

	if err := os.Remove(filepath.Join(dir, "b.lua")); err != nil {
		t.Fatal(err)
	}
	expectFiles(t, nextWatchRun(t, runs), "b_test.lua")
}

func TestAffected(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"x.lua": "", "x_test.lua": "", "y_test.lua": "", "solo.lua": ""})
	p := func(n string) string { return filepath.Join(dir, n) }
	sel := []string{p("x_test.lua"), p("y_test.lua")}
	for _, c := range []struct {
		changed []string
		want    []string
	}{
		{[]string{p("x.lua")}, []string{p("x_test.lua")}},
		{[]string{p("y_test.lua")}, []string{p("y_test.lua")}},
		{[]string{p("gone_test.lua")}, nil},
		{[]string{p("lib/util.lua")}, sel},
		{[]string{p("deep/lib/m.lua")}, sel},
		{[]string{p("solo.lua")}, sel},
		{[]string{p("prompts.txt")}, sel},
		{[]string{p("x.lua"), p("y_test.lua")}, sel},
	} {
		if got := Affected(sel, []string{dir}, c.changed); !slices.Equal(got, c.want) {
			t.Errorf("Affected(%v) = %v, want %v", c.changed, got, c.want)
		}
	}
}
