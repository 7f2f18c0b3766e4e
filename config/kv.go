package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// KV backends (kv.backend).
const (
	KVMemory = "memory"
	KVRedis  = "redis"
)

// kv section defaults.
const (
	DefaultKVBackend     = KVMemory
	DefaultKVTimeout     = time.Second
	DefaultKVPasswordEnv = "ESLSCRIPT_KV_PASSWORD"
)

// KV configures the kv module's store: in the process (memory, the
// default) or in Redis, shared by every eslscript process using it. The
// Redis password comes from PasswordFile or the environment variable
// PasswordEnv (DefaultKVPasswordEnv when unset; no password when that
// variable is unset too), never from the file or the command line: Resolve
// reads it into Password.
type KV struct {
	Backend string `yaml:"backend"`
	// Address is the Redis server's host:port.
	Address string `yaml:"address"`
	DB      int    `yaml:"db"`
	// Prefix namespaces every key in Redis; scripts never see it.
	Prefix string `yaml:"prefix"`
	// Timeout bounds one kv call.
	Timeout      time.Duration `yaml:"timeout"`
	PasswordEnv  string        `yaml:"password_env"`
	PasswordFile string        `yaml:"password_file"`
	Password     Secret        `yaml:"-"`
}

func init() {
	settings = append(settings, kvSettings...)
}

var kvSettings = []Setting{
	{Flag: "kv-backend", Env: "ESLSCRIPT_KV_BACKEND", Usage: "kv store: memory or redis (shared between processes)",
		set: func(c *Config, v string) error { c.KV.Backend = v; return nil }},
	{Flag: "kv-address", Env: "ESLSCRIPT_KV_ADDRESS", Usage: "Redis host:port of the kv store",
		set: func(c *Config, v string) error { c.KV.Address = v; return nil }},
	{Flag: "kv-db", Env: "ESLSCRIPT_KV_DB", Usage: "Redis database number of the kv store",
		set: func(c *Config, v string) error { return parseInt(v, &c.KV.DB) }},
	{Flag: "kv-prefix", Env: "ESLSCRIPT_KV_PREFIX", Usage: "namespace prefixed to every kv key in Redis",
		set: func(c *Config, v string) error { c.KV.Prefix = v; return nil }},
	{Flag: "kv-timeout", Env: "ESLSCRIPT_KV_TIMEOUT", Usage: "time bound of one kv call to Redis",
		set: func(c *Config, v string) error { return parseDuration(v, &c.KV.Timeout) }},
	{Flag: "kv-password-file", Env: "ESLSCRIPT_KV_PASSWORD_FILE", Usage: "file holding the kv store's Redis password",
		set: func(c *Config, v string) error { c.KV.PasswordFile, c.KV.PasswordEnv = v, ""; return nil }},
}

func parseInt(v string, dst *int) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("invalid integer %q", v)
	}
	*dst = n
	return nil
}

// setDefaults fills the backend and the timeout.
func (k *KV) setDefaults() {
	k.Backend = orString(strings.ToLower(k.Backend), DefaultKVBackend)
	if k.Timeout == 0 {
		k.Timeout = DefaultKVTimeout
	}
}

// validateKV checks the kv section; the Redis settings only with redis.
func (c *Config) validateKV(add func(*Error)) {
	k := &c.KV
	add(oneOf("kv.backend", k.Backend, KVMemory, KVRedis))
	if k.Backend != KVRedis {
		return
	}
	add(address("kv.address", k.Address, false))
	if k.DB < 0 {
		add(errorf("kv.db", "must not be negative"))
	}
	add(positive("kv.timeout", k.Timeout.Seconds()))
	if k.PasswordEnv != "" && k.PasswordFile != "" {
		add(errorf("kv", "set only one of password_env and password_file"))
	}
}

// resolve reads the Redis password (redis backend only). A password_env
// named in the configuration must be set; the default one may be unset
// (a Redis without a password).
func (k *KV) resolve(lookup func(string) (string, bool), readFile func(string) ([]byte, error)) error {
	if k.Backend != KVRedis || k.Password != "" {
		return nil
	}
	if k.PasswordFile != "" {
		data, err := readFile(k.PasswordFile)
		if err != nil {
			return errorf("kv.password_file", "%v", err)
		}
		if k.Password = Secret(strings.TrimRight(string(data), "\r\n")); k.Password == "" {
			return errorf("kv.password_file", "%s is empty", k.PasswordFile)
		}
		return nil
	}
	v, _ := lookup(orString(k.PasswordEnv, DefaultKVPasswordEnv))
	if v == "" && k.PasswordEnv != "" {
		return errorf("kv.password_env", "environment variable %s is not set", k.PasswordEnv)
	}
	k.Password = Secret(v)
	return nil
}
