package config

import (
	"fmt"
	"log/slog"
)

// redacted is what a Secret prints as.
const redacted = "[redacted]"

// Secret holds a password. Printing it with fmt (any verb), logging it
// with slog or marshalling it shows "[redacted]" (or "" when empty); only
// Reveal returns the value.
type Secret string

// Reveal returns the secret's value, for handing to the ESL client.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer without revealing the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString implements fmt.GoStringer (%#v) without revealing the value.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret(%q)", s.String()) }

// Format implements fmt.Formatter so that no verb (%x, %q...) reveals it.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, s.String())
}

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText implements encoding.TextMarshaler (used by YAML and JSON
// encoders) without revealing the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
