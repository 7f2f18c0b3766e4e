// Package config loads eslscript's configuration: one YAML file, then
// environment variables (ESLSCRIPT_*), then command-line flags, each layer
// overriding the one before, over built-in defaults.
//
// The ESL password never comes from the command line. It is read from an
// environment variable (password_env, default ESL_PASSWORD) or a file
// (password_file), or written inline (password, discouraged). It is held in
// a Secret, whose String, Format and LogValue never show it, and no error
// of this package contains it.
package config
