package rediskv

import (
	"fmt"
	"log/slog"
)

// hidden is what a set Password prints as.
const hidden = "********"

// redacted returns a copy of o whose Password, if set, is hidden.
func (o Options) redacted() Options {
	if o.Password != "" {
		o.Password = hidden
	}
	return o
}

// String implements fmt.Stringer without the password.
func (o Options) String() string {
	type plain Options // no methods: no recursion
	return fmt.Sprintf("%+v", plain(o.redacted()))
}

// GoString implements fmt.GoStringer (%#v) without the password.
func (o Options) GoString() string { return "rediskv.Options" + o.String() }

// Format implements fmt.Formatter so that no verb shows the password.
func (o Options) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, o.GoString())
		return
	}
	fmt.Fprint(f, o.String())
}

// LogValue implements slog.LogValuer without the password.
func (o Options) LogValue() slog.Value { return slog.StringValue(o.String()) }
