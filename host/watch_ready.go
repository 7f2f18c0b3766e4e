package host

import (
	"context"
	"time"
)

// WatchReady calls onChange after files under dir or its subdirectories
// change, until ctx ends (a burst of changes gives one call, debounce
// after the last; hidden files and editor temporaries are ignored, as the
// loader ignores them), and onReady once every
// directory under dir is being watched (before any onChange), so that a
// caller knows from which moment on a change is reported. It returns nil
// when ctx ends and an error only if it cannot start.
func WatchReady(ctx context.Context, dir string, debounce time.Duration, onChange, onReady func()) error {
	return watch(ctx, dir, debounce, onChange, onReady)
}
