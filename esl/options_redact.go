package esl

import (
	"fmt"
	"log/slog"
)

// optionsView is Options without methods, for printing its fields.
type optionsView Options

// redactedOptions returns o's fields with the password replaced.
func (o Options) redactedOptions() optionsView {
	if o.Password != "" {
		o.Password = redacted
	}
	return optionsView(o)
}

// String implements fmt.Stringer: the fields as %+v prints them, with the
// password redacted.
func (o Options) String() string { return fmt.Sprintf("%+v", o.redactedOptions()) }

// GoString implements fmt.GoStringer (%#v) with the password redacted.
func (o Options) GoString() string {
	return "esl.Options" + fmt.Sprintf("%#v", o.redactedOptions())[len("esl.optionsView"):]
}

// Format implements fmt.Formatter so that no verb (%v, %+v, %#v, %s, %d,
// %x...) prints the password.
func (o Options) Format(f fmt.State, verb rune) { formatRedacted(f, verb, o) }

// LogValue implements slog.LogValuer: the settings worth logging, the
// password redacted.
func (o Options) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("node", o.Node), slog.String("user", o.User),
		slog.String("password", o.redactedOptions().Password),
		slog.Duration("dial_timeout", o.DialTimeout), slog.Duration("auth_timeout", o.AuthTimeout),
		slog.Bool("reconnect", o.Reconnect),
		slog.Duration("backoff_min", o.BackoffMin), slog.Duration("backoff_max", o.BackoffMax),
	)
}

// GoString implements fmt.GoStringer (%#v) with the password redacted.
func (c Auth) GoString() string { return fmt.Sprintf("esl.Auth{Password:%q}", redacted) }

// Format implements fmt.Formatter so that no verb prints the password.
func (c Auth) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c) }

// GoString implements fmt.GoStringer (%#v) with the password redacted.
func (c UserAuth) GoString() string {
	return fmt.Sprintf("esl.UserAuth{User:%q, Password:%q}", c.User, redacted)
}

// Format implements fmt.Formatter so that no verb prints the password.
func (c UserAuth) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c) }

// formatRedacted prints v's GoString for %#v and its String otherwise.
func formatRedacted(f fmt.State, verb rune, v interface {
	fmt.Stringer
	fmt.GoStringer
}) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, v.GoString())
		return
	}
	fmt.Fprint(f, v.String())
}

// MarshalText implements encoding.TextMarshaler (used by JSON and YAML
// encoders): the String form, password redacted.
func (o Options) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// MarshalText implements encoding.TextMarshaler: the String form, password
// redacted.
func (c Auth) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// MarshalText implements encoding.TextMarshaler: the String form, password
// redacted.
func (c UserAuth) MarshalText() ([]byte, error) { return []byte(c.String()), nil }
