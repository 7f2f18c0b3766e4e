package ops

import "fmt"

func sprintf(f string, args ...any) string { return fmt.Sprintf(f, args...) }
