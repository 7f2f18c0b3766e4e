// Command eslscript runs Lua scripts against FreeSWITCH's Event Socket:
// event consumers, outbound call scripts and inbound commands, in one
// process. See `eslscript help`.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), osEnv(), os.Args))
}
