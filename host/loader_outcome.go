package host

import (
	"errors"
	"time"
)

// BuildOutcome is the result of one Loader.Build.
type BuildOutcome struct {
	// At is when the build finished.
	At time.Time
	// Err is what Build returned, except that ErrUnchanged is reported as
	// nil: the running generation already matches the files.
	Err error
	// Changed reports that the build produced a new generation.
	Changed bool
	// Generation is the ID of the generation running once the outcome is
	// applied: the new one, or prev's (0 when there was none).
	Generation uint64
}

// lastBuild returns the outcome of the most recent Build, and false before
// the first. It never blocks.
func (l *Loader) lastBuild() (BuildOutcome, bool) {
	o := l.last.Load()
	if o == nil {
		return BuildOutcome{}, false
	}
	return *o, true
}

// record stores the outcome of a Build given prev.
func (l *Loader) record(prev, g *Generation, err error) {
	o := &BuildOutcome{At: time.Now(), Err: err}
	if errors.Is(err, ErrUnchanged) {
		o.Err = nil
	}
	switch {
	case g != nil:
		o.Changed, o.Generation = true, g.ID
	case prev != nil:
		o.Generation = prev.ID
	}
	l.last.Store(o)
}
