package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/eslscript/eslscript/config"
	"github.com/eslscript/eslscript/host"
)

// checkRoutes checks that the default script of every listener is a
// session script of g: a wrong name would refuse every call at run time.
// Each problem is a configuration error naming listeners[i].script. A
// listener without a default (the simulator's) routes by eslscript_script
// alone.
func checkRoutes(cfg *config.Config, g *host.Generation) error {
	var errs []error
	for i, l := range cfg.Listeners {
		if l.Script == "" {
			continue
		}
		if err := g.CheckSessionScript(l.Script); err != nil {
			errs = append(errs, cfg.KeyError(fmt.Sprintf("listeners[%d].script", i), strings.TrimPrefix(err.Error(), "host: ")))
		}
	}
	return errors.Join(errs...)
}
