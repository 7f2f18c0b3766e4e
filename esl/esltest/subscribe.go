package esltest

import (
	"strings"

	"github.com/eslscript/eslscript/esl"
)

// subs is one listener's subscription state (event_list[] + event_hash).
type subs struct {
	all    bool
	names  map[string]bool
	custom map[string]bool
}

func (s *subs) empty() bool { return !s.all && len(s.names) == 0 && len(s.custom) == 0 }

func (s *subs) reset() { *s = subs{} }

// wants is event_handler's subscription test.
func (s *subs) wants(name, subclass string) bool {
	if s.all {
		return true
	}
	if !s.names[name] {
		return false
	}
	return name != "CUSTOM" || subclass == "" || s.custom[subclass]
}

// parseFormat recognises the optional leading format word.
func parseFormat(tok string) (esl.Format, bool) {
	switch strings.ToLower(tok) {
	case "plain":
		return esl.FormatPlain, true
	case "json":
		return esl.FormatJSON, true
	case "xml":
		return esl.FormatXML, true
	}
	return 0, false
}

// add applies an `event` keyword list; it returns how many known names it
// saw (FreeSWITCH's key_count).
func (s *subs) add(tokens []string) int {
	n, custom := 0, false
	for _, t := range tokens {
		if custom {
			s.setCustom(t, true)
			continue
		}
		name, ok := nameEvent(t)
		if !ok {
			continue
		}
		n++
		s.set(name, true)
		custom = custom || name == "CUSTOM"
	}
	return n
}

// remove applies a `nixevent` keyword list.
func (s *subs) remove(tokens []string) int {
	n, custom := 0, false
	for _, t := range tokens {
		if custom {
			s.setCustom(t, false)
			continue
		}
		name, ok := nameEvent(t)
		if !ok {
			continue
		}
		n++
		if s.all && name != "ALL" {
			s.expandAll()
		}
		s.set(name, false)
		custom = custom || name == "CUSTOM"
	}
	return n
}

// expandAll turns ALL into "every type" so one can be removed.
func (s *subs) expandAll() {
	s.all = false
	for _, n := range eventNames {
		if n != "ALL" {
			s.set(n, true)
		}
	}
}

func (s *subs) set(name string, on bool) {
	if name == "ALL" {
		s.all = on
		if !on {
			s.names = nil
		}
		return
	}
	if s.names == nil {
		s.names = map[string]bool{}
	}
	if on {
		s.names[name] = true
	} else {
		delete(s.names, name)
	}
}

func (s *subs) setCustom(sub string, on bool) {
	if s.custom == nil {
		s.custom = map[string]bool{}
	}
	if on {
		s.custom[sub] = true
	} else {
		delete(s.custom, sub)
	}
}
