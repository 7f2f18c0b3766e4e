package esl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

const redactPw = "Pw-OptionsMustNotLeak-42"

// printings renders v every way a log line, an error or a panic might.
func printings(v any) []string {
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "v", v)
	out := []string{text.String(), js.String(), fmt.Sprint(v), fmt.Sprintln(v), fmt.Sprint([]any{v}),
		fmt.Errorf("wrapped: %w", fmt.Errorf("%v", v)).Error(), fmt.Sprintf("%v", &v)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%10.3v"} {
		out = append(out, fmt.Sprintf(verb, v))
	}
	if b, err := json.Marshal(v); err == nil {
		out = append(out, string(b))
	} else {
		out = append(out, err.Error())
	}
	return out
}

func TestOptionsNeverPrintThePassword(t *testing.T) {
	opts := Options{Password: redactPw, User: "ops@example", Node: "fs1", DialTimeout: time.Second, Reconnect: true}
	values := []any{opts, &opts, Auth{Password: redactPw}, UserAuth{User: "ops@example", Password: redactPw},
		&Auth{Password: redactPw}, struct{ O Options }{opts}}
	for _, v := range values {
		for i, out := range printings(v) {
			if strings.Contains(out, redactPw) || strings.Contains(out, fmt.Sprintf("%x", redactPw)) ||
				strings.Contains(strings.ToLower(out), fmt.Sprintf("%x", redactPw)) {
				t.Errorf("%T printing %d reveals the password: %s", v, i, out)
			}
		}
	}
	if s := fmt.Sprintf("%+v", opts); !strings.Contains(s, "Node:fs1") || !strings.Contains(s, "Password:"+redacted) || !strings.Contains(s, "DialTimeout:1s") {
		t.Errorf("%%+v = %s, want the other fields and a redacted password", s)
	}
	if s := fmt.Sprintf("%#v", opts); !strings.HasPrefix(s, "esl.Options{Password:\""+redacted+"\"") {
		t.Errorf("%%#v = %s", s)
	}
	if s := fmt.Sprintf("%+v", Options{Node: "x"}); !strings.Contains(s, "Password: ") {
		t.Errorf("an empty password should print empty: %s", s)
	}
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("dial", "opts", opts)
	if !strings.Contains(js.String(), `"node":"fs1"`) || !strings.Contains(js.String(), `"password":"`+redacted+`"`) {
		t.Errorf("LogValue: %s", js.String())
	}
	if opts.Password != redactPw {
		t.Fatal("printing changed the options")
	}
}
