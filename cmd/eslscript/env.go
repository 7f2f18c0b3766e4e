package main

import (
	"io"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/internal/wiring"
	"github.com/eslscript/eslscript/ops"
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
	// Unsetenv removes an environment variable (secrets, once read).
	Unsetenv func(key string)
	// ReadFile reads a file (config, password file).
	ReadFile func(name string) ([]byte, error)
	// redact scrubs the configuration's secrets from what the CLI prints
	// (set once they are read).
	redact ops.Redactor
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
		Unsetenv:  func(k string) { _ = os.Unsetenv(k) },
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

// resolveSecrets reads the configuration's passwords, then removes every
// variable that may hold one from the process environment: scripts
// (os.getenv, os.execute's children) never see them.
func resolveSecrets(e *env, cfg *config.Config) error {
	if err := cfg.Resolve(e.LookupEnv, e.ReadFile); err != nil {
		return err
	}
	e.redact = wiring.Secrets(cfg)
	if e.Unsetenv != nil {
		for _, name := range cfg.SecretEnv() {
			e.Unsetenv(name)
		}
	}
	return nil
}
