//! Typed configuration, read once from the environment at start-up; bad values fail fast.

use std::net::SocketAddr;

/// Default database: an embedded SQLite file next to where kith runs, created if missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kith.db?mode=rwc";
/// Default listening address: loopback only, so a first run exposes nothing.
pub const DEFAULT_BIND: &str = "127.0.0.1:3000";

/// Everything kith needs to know about where it runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Address the HTTP server listens on.
    pub bind: SocketAddr,
    /// Public address of the service, used for links in emails; no trailing slash.
    pub base_url: String,
}

/// A configuration value that cannot be used, naming the variable to fix.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        let database_url =
            non_empty("KITH_DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError {
                var: "KITH_DATABASE_URL",
                message: format!("`{database_url}` is neither a sqlite: nor a postgres:// URL"),
            });
        }
        let bind_text = non_empty("KITH_BIND").unwrap_or_else(|| DEFAULT_BIND.to_string());
        let bind: SocketAddr = bind_text.parse().map_err(|_| ConfigError {
            var: "KITH_BIND",
            message: format!("`{bind_text}` is not an address like 127.0.0.1:3000"),
        })?;
        let base_url = match non_empty("KITH_BASE_URL") {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => {
                url.trim_end_matches('/').to_string()
            }
            Some(url) => {
                return Err(ConfigError {
                    var: "KITH_BASE_URL",
                    message: format!("`{url}` must start with http:// or https://"),
                });
            }
            None => format!("http://{bind}"),
        };
        Ok(Self {
            database_url,
            bind,
            base_url,
        })
    }

    /// Whether cookies must be marked `Secure` (the service is reached over HTTPS).
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_use_embedded_sqlite_on_loopback() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.bind.to_string(), DEFAULT_BIND);
        assert_eq!(c.base_url, "http://127.0.0.1:3000");
        assert!(!c.secure_cookies());
    }

    #[test]
    fn bad_bind_address_names_the_variable() {
        let err = config(&[("KITH_BIND", "localhost")]).unwrap_err();
        assert_eq!(err.var, "KITH_BIND");
    }

    #[test]
    fn base_url_loses_trailing_slash_and_https_means_secure_cookies() {
        let c = config(&[("KITH_BASE_URL", "https://kith.example.org/")]).unwrap();
        assert_eq!(c.base_url, "https://kith.example.org");
        assert!(c.secure_cookies());
    }

    #[test]
    fn unknown_database_scheme_is_refused() {
        let err = config(&[("KITH_DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(err.var, "KITH_DATABASE_URL");
    }
}
