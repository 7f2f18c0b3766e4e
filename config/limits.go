package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Defaults of the scripts' limits beyond their time budgets.
const (
	// DefaultBusyBudget bounds how long a run may execute Lua without
	// waiting (scripts.busy_budget).
	DefaultBusyBudget = 5 * time.Second
	// DefaultMemoryLimit is the process's memory limit (scripts.memory_limit).
	DefaultMemoryLimit ByteSize = 1 << 30
	// DefaultStringLimit is the longest string one library call may build
	// (scripts.string_limit).
	DefaultStringLimit ByteSize = 16 << 20
	// minMemoryLimit is the smallest memory_limit accepted: below it the
	// process's own heap would pass the bound.
	minMemoryLimit ByteSize = 64 << 20
)

// ByteSize is a number of bytes: an integer, optionally followed by B,
// KiB, MiB, GiB or TiB (as GOMEMLIMIT reads it: "512MiB", "1GiB").
type ByteSize int64

// byteUnits are the units ByteSize reads, longest first.
var byteUnits = []struct {
	suffix string
	size   int64
}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// ParseByteSize reads "1GiB", "512MiB", "1048576".
func ParseByteSize(s string) (ByteSize, error) {
	t, mult := strings.TrimSpace(s), int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.size
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid size %q (a number of bytes, or with a unit: 512MiB, 1GiB)", s)
	}
	return ByteSize(n * mult), nil
}

// String writes the size with the largest unit that divides it.
func (b ByteSize) String() string {
	for _, u := range byteUnits {
		if int64(b) >= u.size && int64(b)%u.size == 0 {
			return strconv.FormatInt(int64(b)/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(b), 10)
}

// UnmarshalYAML reads a ByteSize from a number or a string with a unit;
// an error says the line ("line N: ...", as yaml's own errors do).
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*b = v
	return nil
}

func init() {
	settings = append(settings, limitSettings...)
}

var limitSettings = []Setting{
	{Flag: "busy-budget", Env: "ESLSCRIPT_BUSY_BUDGET", Usage: "how long a script may run Lua code without waiting",
		set: func(c *Config, v string) error { return parseDuration(v, &c.Scripts.BusyBudget) }},
	{Flag: "memory-limit", Env: "ESLSCRIPT_MEMORY_LIMIT", Usage: "the process's memory limit (runs executing Lua are stopped at 3/4 of it)",
		set: func(c *Config, v string) error { return parseSize(v, &c.Scripts.MemoryLimit) }},
	{Flag: "string-limit", Env: "ESLSCRIPT_STRING_LIMIT", Usage: "the longest string one library call may build",
		set: func(c *Config, v string) error { return parseSize(v, &c.Scripts.StringLimit) }},
}

func parseSize(v string, dst *ByteSize) error {
	b, err := ParseByteSize(v)
	if err != nil {
		return err
	}
	*dst = b
	return nil
}

// setLimitDefaults fills the limits left at zero.
func (s *Scripts) setLimitDefaults() {
	if s.BusyBudget == 0 {
		s.BusyBudget = DefaultBusyBudget
	}
	if s.MemoryLimit == 0 {
		s.MemoryLimit = DefaultMemoryLimit
	}
	if s.StringLimit == 0 {
		s.StringLimit = DefaultStringLimit
	}
}

// validateLimits checks busy_budget, memory_limit and string_limit.
func (s *Scripts) validateLimits(add func(*Error)) {
	add(positive("scripts.busy_budget", s.BusyBudget.Seconds()))
	if s.MemoryLimit < minMemoryLimit {
		add(errorf("scripts.memory_limit", "%s is below the minimum of %s", s.MemoryLimit, minMemoryLimit))
	}
	if s.StringLimit <= 0 || s.StringLimit > s.MemoryLimit/8 {
		add(errorf("scripts.string_limit", "%s must be positive and at most 1/8 of scripts.memory_limit (%s)", s.StringLimit, s.MemoryLimit))
	}
}
