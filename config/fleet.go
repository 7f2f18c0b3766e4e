package config

import (
	"strings"
	"time"
)

// fleet section defaults.
const (
	DefaultFleetLease       = 3 * time.Second
	DefaultFleetPrefix      = "eslscript:fleet:"
	DefaultFleetPasswordEnv = "ESLSCRIPT_FLEET_PASSWORD"
)

// Fleet makes this process one instance of a fleet sharing its nodes
// through Redis (package fleet): each call's handlers run on one instance,
// node-level events and leader timers on the leader. With Address empty
// the kv store's Redis is used (kv.backend redis), its password included;
// else the password comes from PasswordFile or the environment variable
// PasswordEnv (DefaultFleetPasswordEnv when unset; none when that is
// unset too), never from the file or the command line.
type Fleet struct {
	Enabled bool `yaml:"enabled"`
	// Instance names this instance, unique in the fleet (host name and
	// process id when empty).
	Instance string `yaml:"instance"`
	// Lease is how long an instance's lease lasts unrenewed; a stopped
	// instance's calls move within Lease + Lease/3. The same everywhere.
	Lease        time.Duration `yaml:"lease"`
	Address      string        `yaml:"address"`
	DB           int           `yaml:"db"`
	Prefix       string        `yaml:"prefix"`
	PasswordEnv  string        `yaml:"password_env"`
	PasswordFile string        `yaml:"password_file"`
	Password     Secret        `yaml:"-"`
}

func init() {
	settings = append(settings, fleetSettings...)
}

var fleetSettings = []Setting{
	{Flag: "fleet", Env: "ESLSCRIPT_FLEET", Usage: "be one instance of a fleet sharing the nodes through Redis", Bool: true,
		set: func(c *Config, v string) error { return parseBool(v, &c.Fleet.Enabled) }},
	{Flag: "fleet-instance", Env: "ESLSCRIPT_FLEET_INSTANCE", Usage: "this instance's name in the fleet (default host-pid)",
		set: func(c *Config, v string) error { c.Fleet.Instance = v; return nil }},
	{Flag: "fleet-lease", Env: "ESLSCRIPT_FLEET_LEASE", Usage: "fleet lease: a stopped instance's calls move within lease + lease/3",
		set: func(c *Config, v string) error { return parseDuration(v, &c.Fleet.Lease) }},
	{Flag: "fleet-address", Env: "ESLSCRIPT_FLEET_ADDRESS", Usage: "Redis host:port of the fleet (default: the kv store's)",
		set: func(c *Config, v string) error { c.Fleet.Address = v; return nil }},
	{Flag: "fleet-password-file", Env: "ESLSCRIPT_FLEET_PASSWORD_FILE", Usage: "file holding the fleet's Redis password",
		set: func(c *Config, v string) error { c.Fleet.PasswordFile, c.Fleet.PasswordEnv = v, ""; return nil }},
}

// setDefaults fills the lease and the prefix.
func (f *Fleet) setDefaults() {
	if f.Lease == 0 {
		f.Lease = DefaultFleetLease
	}
	f.Prefix = orString(f.Prefix, DefaultFleetPrefix)
}

// validateFleet checks the fleet section when it is enabled.
func (c *Config) validateFleet(add func(*Error)) {
	f := &c.Fleet
	if !f.Enabled {
		return
	}
	if f.Address == "" && c.KV.Backend != KVRedis {
		add(errorf("fleet.address", "required unless kv.backend is redis (the fleet then uses the kv store's Redis)"))
	}
	if f.Address != "" {
		add(address("fleet.address", f.Address, false))
	}
	if f.Lease < 300*time.Millisecond {
		add(errorf("fleet.lease", "must be at least 300ms"))
	}
	if f.PasswordEnv != "" && f.PasswordFile != "" {
		add(errorf("fleet", "set only one of password_env and password_file"))
	}
	if strings.ContainsAny(f.Instance, " \t\n") {
		add(errorf("fleet.instance", "must not contain white space"))
	}
}

// resolve reads the fleet's Redis password, or takes the kv store's when
// the fleet uses its Redis.
func (f *Fleet) resolve(kv *KV, lookup func(string) (string, bool), readFile func(string) ([]byte, error)) error {
	if !f.Enabled || f.Password != "" {
		return nil
	}
	if f.Address == "" {
		f.Address, f.DB, f.Password = kv.Address, kv.DB, kv.Password
		return nil
	}
	if f.PasswordFile != "" {
		data, err := readFile(f.PasswordFile)
		if err != nil {
			return errorf("fleet.password_file", "%v", err)
		}
		if f.Password = Secret(strings.TrimRight(string(data), "\r\n")); f.Password == "" {
			return errorf("fleet.password_file", "%s is empty", f.PasswordFile)
		}
		return nil
	}
	v, _ := lookup(orString(f.PasswordEnv, DefaultFleetPasswordEnv))
	if v == "" && f.PasswordEnv != "" {
		return errorf("fleet.password_env", "environment variable %s is not set", f.PasswordEnv)
	}
	f.Password = Secret(v)
	return nil
}
