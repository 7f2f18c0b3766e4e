package config

import (
	"errors"
	"io/fs"
	"testing"
)

// files is an in-memory filesystem for Options.ReadFile.
type files map[string]string

func (f files) read(name string) ([]byte, error) {
	s, ok := f[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return []byte(s), nil
}

// envMap is an environment for Options.Lookup.
type envMap map[string]string

func (e envMap) lookup(k string) (string, bool) {
	v, ok := e[k]
	return v, ok
}

// load runs Load on an in-memory file "c.yaml" (none if yamlText is "").
func load(t *testing.T, yamlText string, env envMap, flags map[string]string) (*Config, error) {
	t.Helper()
	opts := Options{Lookup: env.lookup, Flags: flags, ReadFile: files{"c.yaml": yamlText}.read}
	if yamlText != "" {
		opts.Path = "c.yaml"
	}
	return Load(opts)
}

// mustLoad is load that fails the test on error.
func mustLoad(t *testing.T, yamlText string, env envMap, flags map[string]string) *Config {
	t.Helper()
	c, err := load(t, yamlText, env, flags)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// loadErr is load that expects an ErrInvalid error and returns its text.
func loadErr(t *testing.T, yamlText string, env envMap, flags map[string]string) string {
	t.Helper()
	_, err := load(t, yamlText, env, flags)
	if err == nil {
		t.Fatal("Load succeeded, want an error")
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("error %v does not match ErrInvalid", err)
	}
	return err.Error()
}
