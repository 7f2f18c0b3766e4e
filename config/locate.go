package config

import (
	"errors"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

// source is the YAML file a configuration was read from, kept to locate
// keys in error messages.
type source struct {
	file string
	root yaml.Node
}

// KeyError returns an *Error for key (a path such as
// "listeners[0].script") with the file and line of that key when its
// value came from the configuration file.
func (c *Config) KeyError(key, msg string) *Error {
	e := &Error{Key: key, Msg: msg}
	c.locate(e)
	return e
}

// locate fills in e's file and line from the source, when e names a key of
// the file and has no location yet.
func (c *Config) locate(e *Error) {
	if c.src == nil || e.File != "" || e.Key == "" {
		return
	}
	if line := keyLine(&c.src.root, e.Key); line > 0 {
		e.File, e.Line = c.src.file, line
	}
}

// locateAll locates every *Error of a joined error.
func (c *Config) locateAll(err error) error {
	var multi interface{ Unwrap() []error }
	if errors.As(err, &multi) {
		for _, x := range multi.Unwrap() {
			c.locateAll(x)
		}
		return err
	}
	var e *Error
	if errors.As(err, &e) {
		c.locate(e)
	}
	return err
}

// pathPart matches one step of a key path: a name, "[index]" or
// ["quoted key"] (Go syntax).
var pathPart = regexp.MustCompile(`([^.\[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]`)

// keyLine is the line of key in the document root: the line of the last
// step found, as long as every list index of the path is in the file (a
// missing last name gives its item's line); 0 when the path leaves the
// file.
func keyLine(root *yaml.Node, key string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, m := range pathPart.FindAllStringSubmatch(key, -1) {
		if m[2] != "" {
			i, _ := strconv.Atoi(m[2])
			if n == nil || n.Kind != yaml.SequenceNode || i >= len(n.Content) {
				return 0
			}
			n = n.Content[i]
			line = n.Line
			continue
		}
		name := m[1]
		if m[3] != "" {
			name, _ = strconv.Unquote(m[3])
		}
		next := mappingValue(n, name)
		if next == nil {
			return line
		}
		n, line = next.value, next.key.Line
	}
	return line
}

type keyValue struct{ key, value *yaml.Node }

// mappingValue returns the key and value nodes of name in mapping n, or nil.
func mappingValue(n *yaml.Node, name string) *keyValue {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == name {
			return &keyValue{key: n.Content[i], value: n.Content[i+1]}
		}
	}
	return nil
}
