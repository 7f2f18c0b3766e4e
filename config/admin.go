package config

import "strings"

// DefaultAdminTokenEnv is where the admin token is read from when
// admin.token_file is not set.
const DefaultAdminTokenEnv = "ESLSCRIPT_ADMIN_TOKEN"

// ResolveAdmin reads the admin endpoint's bearer token into Admin.Token:
// from admin.token_file, else from $ESLSCRIPT_ADMIN_TOKEN (no token when
// unset). The daemon and the CLI commands that talk to it (reload, status)
// read it the same way. lookup and readFile as in Resolve.
func (c *Config) ResolveAdmin(lookup func(string) (string, bool), readFile func(string) ([]byte, error)) error {
	a := &c.Admin
	if a.Token != "" {
		return nil
	}
	if a.TokenFile != "" {
		data, err := readFile(a.TokenFile)
		if err != nil {
			return errorf("admin.token_file", "%v", err)
		}
		if a.Token = Secret(strings.TrimRight(string(data), "\r\n")); a.Token == "" {
			return errorf("admin.token_file", "%s is empty", a.TokenFile)
		}
		return nil
	}
	if lookup != nil {
		v, _ := lookup(DefaultAdminTokenEnv)
		a.Token = Secret(v)
	}
	return nil
}
