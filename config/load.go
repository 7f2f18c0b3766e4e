package config

import (
	"bytes"
	"errors"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

// EnvConfig names the environment variable holding the config file path
// when Options.Path is empty.
const EnvConfig = "ESLSCRIPT_CONFIG"

// Options say where Load reads each layer from.
type Options struct {
	// Path is the YAML file; "" means the ESLSCRIPT_CONFIG variable, and
	// when that is unset too, no file.
	Path string
	// Lookup reads an environment variable (nil: no environment).
	Lookup func(key string) (string, bool)
	// Flags maps flag names without dashes ("fs-address") to the values
	// given on the command line; see Settings.
	Flags map[string]string
	// ReadFile reads the config file (os.ReadFile when nil).
	ReadFile func(name string) ([]byte, error)
}

// Load builds the configuration from defaults, the file, the environment
// and the flags (each overriding the one before), then validates it. Every
// error matches ErrInvalid and names the key at fault. Passwords are not
// read here: see Resolve.
func Load(opts Options) (*Config, error) {
	c := Default()
	if err := c.loadFile(opts); err != nil {
		return nil, err
	}
	if err := c.applyEnv(opts.Lookup); err != nil {
		return nil, err
	}
	if err := c.applyFlags(opts.Flags); err != nil {
		return nil, err
	}
	c.finish()
	if err := c.Validate(); err != nil {
		return nil, c.locateAll(err)
	}
	return c, nil
}

// loadFile decodes the config file named by opts, if any, over c.
func (c *Config) loadFile(opts Options) error {
	path := opts.Path
	if path == "" && opts.Lookup != nil {
		path, _ = opts.Lookup(EnvConfig)
	}
	if path == "" {
		return nil
	}
	read := opts.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	data, err := read(path)
	if err != nil {
		return &Error{File: path, Msg: err.Error()}
	}
	return c.decode(path, data)
}

// decode strictly decodes YAML data over c: an unknown key is an error.
func (c *Config) decode(file string, data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(c)
	if err == nil || errors.Is(err, io.EOF) {
		c.src = &source{file: file}
		_ = yaml.Unmarshal(data, &c.src.root) // decoded above: it parses
		return nil
	}
	return yamlError(file, data, err)
}
