//! Logging set-up: `tracing` to stderr, filtered by `RUST_LOG`.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber; by default kith logs at `info` and its dependencies at `warn`.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("warn,kith=info,tower_http=info"));
    // A second call (tests, `kith demo` then `serve`) must not panic, so errors are ignored.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
