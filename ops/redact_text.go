package ops

import "fmt"

// slogText formats an arbitrary value as %+v, as slog's text handler does.
func slogText(v any) string { return fmt.Sprintf("%+v", v) }
