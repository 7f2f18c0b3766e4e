package main

import (
	"io"
	"os"
	"os/signal"
)

// env is everything of the process the CLI touches: standard streams, the
// environment, the filesystem and signals. main passes the real ones;
// tests pass buffers, a map and a channel they control.
type env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// LookupEnv reads an environment variable.
	LookupEnv func(key string) (string, bool)
	// ReadFile reads a file (config, password file).
	ReadFile func(name string) ([]byte, error)
	// Signals delivers the given process signals on the returned channel
	// until stop is called.
	Signals func(sig ...os.Signal) (c <-chan os.Signal, stop func())
}

// osEnv returns the real process environment.
func osEnv() *env {
	return &env{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		LookupEnv: os.LookupEnv,
		ReadFile:  os.ReadFile,
		Signals:   notify,
	}
}

// notify subscribes to process signals with os/signal.
func notify(sig ...os.Signal) (<-chan os.Signal, func()) {
	c := make(chan os.Signal, 4)
	signal.Notify(c, sig...)
	return c, func() { signal.Stop(c) }
}
