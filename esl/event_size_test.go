package esl

import "testing"

func TestEventSizeParsedAndBuilt(t *testing.T) {
	text := "Event-Name: CUSTOM\nUnique-ID: u1\nContent-Length: 2\n\nhi"
	ev, err := ParseEvent(FormatPlain, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if got := ev.Size(); got != len(text) {
		t.Errorf("parsed: Size() = %d, want the wire length %d", got, len(text))
	}
	b := NewEvent("CUSTOM") // Event-Name: CUSTOM
	b.Add("Unique-ID", "u1")
	b.SetBody("hi")
	if want := len("Event-Name") + len("CUSTOM") + 4 + len("Unique-ID") + len("u1") + 4 + 2; b.Size() != want {
		t.Errorf("built: Size() = %d, want %d", b.Size(), want)
	}
}
