// Package ops is what an operations team needs to run eslscript as a
// daemon: Prometheus metrics (Metrics, a host.Observer that also records
// node states and command round trips), an admin HTTP server (Admin:
// /healthz, /readyz, /metrics, /status, /reload, /loglevel) guarded by a
// source-network allow-list, a slog handler that scrubs secrets
// (RedactHandler), and OpenTelemetry tracing configured only from the
// standard OTEL_* environment variables (SetupTracing, Tracer).
//
// Every metric label is bounded: node, listener, script and handler names
// come from the configuration and the scripts, and everything else (hangup
// causes, command words, reasons) is mapped onto a fixed set, with unknown
// values folded into "other" or "OTHER". No call uuid and no free text ever
// becomes a label.
package ops
