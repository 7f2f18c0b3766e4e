package host

import (
	"context"
	"time"
)

// WatchReady is Watch that also calls onReady once every directory under
// dir is being watched (before any onChange), so that a caller knows from
// which moment on a change is reported.
func WatchReady(ctx context.Context, dir string, debounce time.Duration, onChange, onReady func()) error {
	return watch(ctx, dir, debounce, onChange, onReady)
}
