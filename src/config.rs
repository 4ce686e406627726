//! Typed configuration, read once from the environment at start-up; bad values fail fast.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Default database: an embedded SQLite file next to where kith runs, created if missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kith.db?mode=rwc";
/// Default listening address: loopback only, so a first run exposes nothing.
pub const DEFAULT_BIND: &str = "127.0.0.1:3000";
/// Default days an introduction waits for answers: long enough for someone who checks rarely.
pub const DEFAULT_INTRODUCTION_EXPIRY_DAYS: i64 = 14;
/// Default sender of digests.
pub const DEFAULT_MAIL_FROM: &str = "kith <kith@localhost>";
/// Default folder for `.eml` files when no SMTP server is configured.
pub const DEFAULT_MAIL_DIR: &str = "./mail-out";
/// Default pause between two runs of the in-server digest job.
pub const DEFAULT_DIGEST_INTERVAL: Duration = Duration::from_secs(300);

/// Everything kith needs to know about where it runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Address the HTTP server listens on.
    pub bind: SocketAddr,
    /// Public address of the service, used for links in emails; no trailing slash.
    pub base_url: String,
    /// How long an introduction waits for both answers before it expires.
    pub introduction_expiry: chrono::Duration,
    /// Where digests go: an SMTP server, or `.eml` files in a folder.
    pub mail: MailConfig,
    /// How often the server composes and sends digests itself; `None` when disabled.
    pub digest_interval: Option<Duration>,
}

/// Outgoing mail settings.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `smtp://host:25`, `smtp://host:587?tls=required` (STARTTLS), `smtps://user:pass@host:465`;
    /// `None` writes `.eml` files into `dir` instead.
    pub smtp_url: Option<String>,
    /// The `From:` of every digest, e.g. `kith <kith@example.org>`.
    pub from: String,
    /// Folder for `.eml` files when `smtp_url` is `None`.
    pub dir: PathBuf,
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
        let expiry_text = non_empty("KITH_INTRODUCTION_EXPIRY_DAYS")
            .unwrap_or_else(|| DEFAULT_INTRODUCTION_EXPIRY_DAYS.to_string());
        let introduction_expiry = expiry_text
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|days| (1..=365).contains(days))
            .map(chrono::Duration::days)
            .ok_or_else(|| ConfigError {
                var: "KITH_INTRODUCTION_EXPIRY_DAYS",
                message: format!("`{expiry_text}` is not a whole number of days from 1 to 365"),
            })?;
        let smtp_url = match non_empty("KITH_SMTP_URL") {
            Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => Some(url),
            Some(_) => {
                return Err(ConfigError {
                    var: "KITH_SMTP_URL",
                    // The value may hold a password, so it is not repeated here.
                    message: "must start with smtp:// or smtps://".to_string(),
                });
            }
            None => None,
        };
        let from = non_empty("KITH_MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.to_string());
        if from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError {
                var: "KITH_MAIL_FROM",
                message: format!("`{from}` is not an address like `kith <kith@example.org>`"),
            });
        }
        let dir = PathBuf::from(
            non_empty("KITH_MAIL_DIR").unwrap_or_else(|| DEFAULT_MAIL_DIR.to_string()),
        );
        let digest_interval = match non_empty("KITH_DIGEST_INTERVAL") {
            None => Some(DEFAULT_DIGEST_INTERVAL),
            Some(v) if v.trim() == "0" || v.trim().eq_ignore_ascii_case("off") => None,
            Some(v) => match v.trim().parse::<u64>() {
                Ok(seconds) => Some(Duration::from_secs(seconds)),
                Err(_) => {
                    return Err(ConfigError {
                        var: "KITH_DIGEST_INTERVAL",
                        message: format!("`{v}` is not a number of seconds, `0` or `off`"),
                    });
                }
            },
        };
        Ok(Self {
            database_url,
            bind,
            base_url,
            introduction_expiry,
            mail: MailConfig {
                smtp_url,
                from,
                dir,
            },
            digest_interval,
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
    fn introduction_expiry_defaults_to_two_weeks_and_rejects_nonsense() {
        assert_eq!(config(&[]).unwrap().introduction_expiry.num_days(), 14);
        let c = config(&[("KITH_INTRODUCTION_EXPIRY_DAYS", "3")]).unwrap();
        assert_eq!(c.introduction_expiry.num_days(), 3);
        for bad in ["0", "-2", "fortnight", "400"] {
            let err = config(&[("KITH_INTRODUCTION_EXPIRY_DAYS", bad)]).unwrap_err();
            assert_eq!(err.var, "KITH_INTRODUCTION_EXPIRY_DAYS");
        }
    }

    #[test]
    fn mail_defaults_write_files_and_run_digests_every_five_minutes() {
        let c = config(&[]).unwrap();
        assert!(c.mail.smtp_url.is_none());
        assert_eq!(c.mail.from, DEFAULT_MAIL_FROM);
        assert_eq!(c.mail.dir, PathBuf::from(DEFAULT_MAIL_DIR));
        assert_eq!(c.digest_interval, Some(DEFAULT_DIGEST_INTERVAL));
    }

    #[test]
    fn smtp_url_and_interval_are_read_and_checked() {
        let c = config(&[
            ("KITH_SMTP_URL", "smtps://u:p@mail.example.org:465"),
            ("KITH_DIGEST_INTERVAL", "60"),
        ])
        .unwrap();
        assert_eq!(
            c.mail.smtp_url.as_deref(),
            Some("smtps://u:p@mail.example.org:465")
        );
        assert_eq!(c.digest_interval, Some(Duration::from_secs(60)));
        for off in ["0", "off", "OFF"] {
            let c = config(&[("KITH_DIGEST_INTERVAL", off)]).unwrap();
            assert_eq!(c.digest_interval, None);
        }
        let err = config(&[("KITH_SMTP_URL", "http://mail")]).unwrap_err();
        assert_eq!(err.var, "KITH_SMTP_URL");
        assert!(!err.message.contains("mail"), "no secrets echoed");
        let err = config(&[("KITH_DIGEST_INTERVAL", "5m")]).unwrap_err();
        assert_eq!(err.var, "KITH_DIGEST_INTERVAL");
        let err = config(&[("KITH_MAIL_FROM", "not an address")]).unwrap_err();
        assert_eq!(err.var, "KITH_MAIL_FROM");
    }

    #[test]
    fn unknown_database_scheme_is_refused() {
        let err = config(&[("KITH_DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(err.var, "KITH_DATABASE_URL");
    }
}
