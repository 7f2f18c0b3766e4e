package config

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	lineRE     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	notFoundRE = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

// yamlError turns a yaml.v3 error into *Errors naming file, line and key.
func yamlError(file string, data []byte, err error) error {
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root) // best effort: only used to name keys
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return lineError(file, &root, err.Error())
	}
	errs := make([]error, 0, len(te.Errors))
	for _, msg := range te.Errors {
		errs = append(errs, lineError(file, &root, msg))
	}
	return errors.Join(errs...)
}

// lineError parses yaml's "line N: text" and names the key found there.
func lineError(file string, root *yaml.Node, msg string) *Error {
	m := lineRE.FindStringSubmatch(msg)
	if m == nil {
		return &Error{File: file, Msg: strings.TrimPrefix(msg, "yaml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	e := &Error{File: file, Line: line, Msg: m[2]}
	if nf := notFoundRE.FindStringSubmatch(m[2]); nf != nil {
		e.Key = keyAtLine(root, line, nf[1], "")
		e.Msg = "unknown key"
		if e.Key == "" {
			e.Msg = "unknown key " + strconv.Quote(nf[1])
		}
		return e
	}
	e.Key = keyAtLine(root, line, "", "")
	e.Msg = typeMessage(e.Msg)
	return e
}

// unmarshalRE matches yaml.v3's type errors:
// "cannot unmarshal !!int `5` into time.Duration".
var unmarshalRE = regexp.MustCompile("^cannot unmarshal !!\\w+ `(.*)` into (\\S+)$")

// wanted says what a value of a Go type must look like in the file.
var wanted = map[string]string{
	"time.Duration": "a duration (use Go syntax with a unit: 5s, 1m30s, 4h)",
	"int":           "an integer",
	"bool":          "a boolean (true or false)",
	"string":        "a string",
}

// typeMessage rewrites a yaml type error in the terms of the file:
// `5 is not a duration (...)` rather than the decoder's Go type names.
func typeMessage(msg string) string {
	m := unmarshalRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want, ok := wanted[m[2]]
	if !ok {
		switch {
		case strings.HasPrefix(m[2], "[]"):
			want = "a list"
		case strings.HasPrefix(m[2], "map[") || strings.HasPrefix(m[2], "config."):
			want = "a mapping of keys"
		default:
			return msg
		}
	}
	v := m[1]
	if _, err := strconv.ParseFloat(v, 64); err != nil {
		v = strconv.Quote(v)
	}
	return v + " is not " + want
}

// keyAtLine returns the path ("listeners[0].address") of the deepest key
// or sequence item on line (restricted to keys named want, if set).
func keyAtLine(n *yaml.Node, line int, want, prefix string) string {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if p := keyAtLine(c, line, want, prefix); p != "" {
				return p
			}
		}
	case yaml.MappingNode:
		return mappingKeyAtLine(n, line, want, prefix)
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := prefix + "[" + strconv.Itoa(i) + "]"
			if sub := keyAtLine(c, line, want, p); sub != "" {
				return sub
			}
			if c.Kind == yaml.ScalarNode && c.Line == line && want == "" {
				return p
			}
		}
	}
	return ""
}

func mappingKeyAtLine(n *yaml.Node, line int, want, prefix string) string {
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		p := key.Value
		if prefix != "" {
			p = prefix + "." + key.Value
		}
		if sub := keyAtLine(val, line, want, p); sub != "" {
			return sub
		}
		if key.Line == line && (want == "" || key.Value == want) {
			return p
		}
	}
	return ""
}
