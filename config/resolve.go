package config

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Resolve reads every node's password from its environment variable or
// file into Node.Password, and the kv store's Redis password into
// KV.Password. lookup and readFile default to the process's
// environment and os.ReadFile. Errors name the key, never the password.
func (c *Config) Resolve(lookup func(string) (string, bool), readFile func(string) ([]byte, error)) error {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	if readFile == nil {
		readFile = os.ReadFile
	}
	for i := range c.Nodes {
		if err := c.Nodes[i].resolve(fmt.Sprintf("nodes[%d]", i), lookup, readFile); err != nil {
			return err
		}
	}
	if err := c.KV.resolve(lookup, readFile); err != nil {
		return err
	}
	if err := c.Fleet.resolve(&c.KV, lookup, readFile); err != nil {
		return err
	}
	return c.ResolveAdmin(lookup, readFile)
}

func (n *Node) resolve(key string, lookup func(string) (string, bool), readFile func(string) ([]byte, error)) error {
	switch {
	case n.Password != "":
		return nil
	case n.PasswordFile != "":
		data, err := readFile(n.PasswordFile)
		if err != nil {
			return errorf(key+".password_file", "%v", err)
		}
		n.Password = Secret(strings.TrimRight(string(data), "\r\n"))
		if n.Password == "" {
			return errorf(key+".password_file", "%s is empty", n.PasswordFile)
		}
	case n.PasswordEnv != "":
		v, _ := lookup(n.PasswordEnv)
		if v == "" {
			return errorf(key+".password_env", "environment variable %s is not set", n.PasswordEnv)
		}
		n.Password = Secret(v)
	}
	return nil
}

// SecretEnv names the environment variables that may hold a secret of this
// configuration: every node's password_env, the kv store's, and the
// built-in names (ESL_PASSWORD, ESLSCRIPT_FS_PASSWORD, ESLSCRIPT_KV_PASSWORD,
// ESLSCRIPT_ADMIN_TOKEN).
// The CLI removes them from its environment once Resolve has read them, so
// that no script (os.getenv, or a child of os.execute) can read them.
func (c *Config) SecretEnv() []string {
	names := []string{DefaultPasswordEnv, "ESLSCRIPT_FS_PASSWORD", DefaultKVPasswordEnv, DefaultAdminTokenEnv}
	for _, n := range c.Nodes {
		if n.PasswordEnv != "" {
			names = append(names, n.PasswordEnv)
		}
	}
	if c.KV.PasswordEnv != "" {
		names = append(names, c.KV.PasswordEnv)
	}
	return names
}

// String renders the configuration as YAML with passwords redacted.
func (c *Config) String() string {
	out, err := yaml.Marshal(c)
	if err != nil {
		return "config: " + err.Error()
	}
	return string(out)
}
