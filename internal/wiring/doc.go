// Package wiring turns the configuration into the runtime's parts: the
// host's options, the sandbox and limits of scripts, the kv store, a node's
// event format and the process logger. Package daemon composes the
// long-running daemon from them; the CLI's one-shot commands (exec, test,
// check) use the same mappings, so a setting means the same everywhere.
package wiring
