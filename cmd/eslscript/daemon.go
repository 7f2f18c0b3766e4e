package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"syscall"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/daemon"
	"github.com/eslscript/eslscript/host"
)

// serve runs the daemon until ctx ends or a stop signal, then drains.
func serve(ctx context.Context, e *env, cfg *config.Config, log *slog.Logger) error {
	if err := resolveSecrets(e, cfg); err != nil {
		return err
	}
	if len(cfg.Nodes) == 0 && len(cfg.Listeners) == 0 {
		log.Warn("eslscript: no nodes and no listeners configured: only init functions and timers will run")
	}
	sigs, stop := e.Signals(syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	d, err := startDaemon(ctx, cfg, daemon.Options{Logger: log})
	if err != nil {
		return err
	}
	return loop(ctx, d, sigs)
}

// startDaemon starts the daemon of cfg with the CLI's version and maps a
// failure to its exit code.
func startDaemon(ctx context.Context, cfg *config.Config, opts daemon.Options) (*daemon.Daemon, error) {
	opts.Version = version
	d, err := daemon.Start(ctx, cfg, opts)
	var le *host.LoadError
	switch {
	case err == nil:
		return d, nil
	case errors.As(err, &le):
		return nil, exitError(err, exitScripts)
	case errors.Is(err, config.ErrInvalid):
		return nil, err
	}
	return nil, exitError(err, runtimeCode(err))
}

// loop handles signals until ctx ends or SIGTERM/SIGINT, then drains:
// SIGHUP reloads, a listener failing stops the daemon.
func loop(ctx context.Context, d *daemon.Daemon, sigs <-chan os.Signal) error {
	for {
		select {
		case <-ctx.Done():
			return d.Shutdown(context.Background())
		case err := <-d.Failed():
			d.Logger().Error("eslscript: listener failed, shutting down", "error", err)
			_ = d.Shutdown(context.Background())
			return exitError(err, exitFailure)
		case s := <-sigs:
			if s == syscall.SIGHUP {
				_ = d.Reload()
				continue
			}
			d.StopAccepting() // before the log line: a call placed after it is refused
			d.Logger().Info("eslscript: draining", "signal", s.String(), "timeout", d.Config().Drain.Timeout)
			return drain(d, sigs)
		}
	}
}

// drain shuts the daemon down; a second SIGTERM/SIGINT cuts the drain
// short.
func drain(d *daemon.Daemon, sigs <-chan os.Signal) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()
	return d.Shutdown(ctx)
}
