package host

import (
	"errors"
	"strings"
	"testing"
)

func TestLoaderLastBuild(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.lua": "return { session = function() end }"})
	l := &Loader{Dir: dir}
	if _, ok := l.lastBuild(); ok {
		t.Fatal("LastBuild reports an outcome before any Build")
	}
	g := mustBuild(t, l, nil)
	if o, _ := l.lastBuild(); o.Err != nil || !o.Changed || o.Generation != 1 || o.At.IsZero() {
		t.Errorf("after the first build: %+v", o)
	}
	if _, err := l.Build(g); !errors.Is(err, ErrUnchanged) {
		t.Fatalf("Build = %v, want ErrUnchanged", err)
	}
	if o, _ := l.lastBuild(); o.Err != nil || o.Changed || o.Generation != 1 {
		t.Errorf("after an unchanged build: %+v", o)
	}
	writeFile(t, dir, "main.lua", "return {\n session = 1 +\n}\n")
	for _, what := range []string{"broken", "known bad"} {
		_, _ = l.Build(g)
		o, _ := l.lastBuild()
		var le *LoadError
		if !errors.As(o.Err, &le) || !strings.HasSuffix(le.File, "main.lua") || le.Line != 3 || o.Changed || o.Generation != 1 {
			t.Errorf("after a %s build: %+v", what, o)
		}
	}
	writeFile(t, dir, "main.lua", "return { init = function() end }")
	mustBuild(t, l, g)
	if o, _ := l.lastBuild(); o.Err != nil || !o.Changed || o.Generation != 2 {
		t.Errorf("after the fix: %+v", o)
	}
}

func TestHostLastReload(t *testing.T) {
	th := startHost(t, map[string]string{"main.lua": "return { session = function() end }"}, Options{})
	if o := th.LastReload(); o.Err != nil || o.Generation != 1 {
		t.Errorf("after New: %+v", o)
	}
	th.write(t, "main.lua", "return { session = function() end, bogus = 1 }")
	if err := th.Reload(); err == nil {
		t.Fatal("Reload of a broken script succeeded")
	}
	var le *LoadError
	if o := th.LastReload(); !errors.As(o.Err, &le) || le.Line != 1 || o.Generation != 1 {
		t.Errorf("after a broken reload: %+v", o)
	}
	th.write(t, "main.lua", "return { session = function() end }")
	if err := th.Reload(); err != nil {
		t.Fatal(err)
	}
	if o := th.LastReload(); o.Err != nil || o.Changed || o.Generation != 1 {
		t.Errorf("after restoring the running content: %+v", o)
	}
}
