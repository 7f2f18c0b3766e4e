package config

import (
	"strings"
	"testing"
)

// Validation errors name the file and line of the key at fault when the
// key comes from the file (the line of the list item when the key itself
// is missing); keys set by the environment, flags or defaults have none.
func TestValidationErrorsHaveFileAndLine(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"listener address", "listeners:\n  - name: a\n    script: s\n    address: '1.2.3.4:99999'\n", "config: c.yaml:4: listeners[0].address: \"1.2.3.4:99999\": invalid port"},
		{"missing script", "log: {level: info}\nlisteners:\n  - name: a\n", "config: c.yaml:3: listeners[0].script: required"},
		{"second item", "nodes:\n  - {name: a, address: 'h:1'}\n  - name: b\n    address: fs2\n", "config: c.yaml:4: nodes[1].address: \"fs2\" is not host:port"},
		{"level", "scripts: {dir: x}\nlog:\n  level: loud\n", "config: c.yaml:3: log.level: \"loud\" is not one of"},
		{"cause", "drain:\n  timeout: 1s\n  cause: bye\n", "config: c.yaml:3: drain.cause:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := loadErr(t, tc.yaml, nil, nil); !strings.Contains(got, tc.want) {
				t.Errorf("error = %q\nwant it to contain %q", got, tc.want)
			}
		})
	}
	got := loadErr(t, "scripts: {dir: x}\n", envMap{"ESLSCRIPT_LOG_LEVEL": "loud"}, nil)
	if !strings.HasPrefix(got, "config: log.level: ") {
		t.Errorf("a value from the environment: %q, want no file:line", got)
	}
}

// A value of the wrong YAML type says what was expected, not the decoder's
// Go type names.
func TestTypeErrorsSayWhatIsExpected(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"scripts:\n  handler_budget: 5\n", "config: c.yaml:2: scripts.handler_budget: 5 is not a duration (use Go syntax with a unit: 5s, 1m30s, 4h)"},
		{"listeners:\n  - name: a\n    max_calls: lots\n", "config: c.yaml:3: listeners[0].max_calls: \"lots\" is not an integer"},
		{"scripts:\n  watch: sometimes\n", "config: c.yaml:2: scripts.watch: \"sometimes\" is not a boolean (true or false)"},
	}
	for _, tc := range cases {
		got := loadErr(t, tc.yaml, nil, nil)
		if !strings.Contains(got, tc.want) || strings.Contains(got, "unmarshal") {
			t.Errorf("error = %q\nwant it to contain %q", got, tc.want)
		}
	}
}

// KeyError locates a key of the file, for errors found after Load.
func TestKeyError(t *testing.T) {
	c := mustLoad(t, "log: {level: info}\nlisteners:\n  - name: ivr\n    script: pin_irv\n", nil, nil)
	if got := c.KeyError("listeners[0].script", "no such script").Error(); got != "config: c.yaml:4: listeners[0].script: no such script" {
		t.Errorf("KeyError = %q", got)
	}
	c = mustLoad(t, "", nil, map[string]string{"listen": "127.0.0.1:1", "script": "x"})
	if got := c.KeyError("listeners[0].script", "no such script").Error(); got != "config: listeners[0].script: no such script" {
		t.Errorf("KeyError of a flag's value = %q", got)
	}
}
