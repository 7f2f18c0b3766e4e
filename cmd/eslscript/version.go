package main

import (
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"
)

// version is the release, set at build time:
//
//	go build -ldflags "-X main.version=v1.2.3" ./cmd/eslscript
var version = "dev"

func init() { register(versionCommand) }

// versionCommand prints the version and the Go toolchain it was built with.
func versionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version",
		Action: func(*cli.Context) error {
			_, err := fmt.Fprintf(e.Stdout, "eslscript %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}
